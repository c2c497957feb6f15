"""Marketplace skus: "MP-" and twelve upper-case hexadecimal digits, drawn at random."""

import re

from mercato.catalog.models import new_product_sku, new_product_skus

SKU = re.compile(r"MP-[0-9A-F]{12}")


def test_a_batch_of_skus_has_the_format_of_one_and_no_repeat() -> None:
    skus = new_product_skus(20000)
    assert len(skus) == 20000
    assert all(SKU.fullmatch(sku) for sku in skus)
    assert len(set(skus)) == 20000  # 48 random bits: a repeat here is a 1 in 10^6 chance
    assert SKU.fullmatch(new_product_sku())
    assert new_product_skus(0) == []
