"""Marketplace skus: "MP-", the millisecond drawn and a counter, in 20 hexadecimal digits."""

import itertools
import re
import time

import pytest

from mercato.catalog import models
from mercato.catalog.models import new_product_sku, new_product_skus

SKU = re.compile(r"MP-[0-9A-F]{20}")


def _value(sku: str) -> int:
    return int(sku[3:], 16)


def test_a_batch_of_skus_has_the_format_of_one_increasing_with_no_repeat() -> None:
    before = int(time.time() * 1000)
    skus = new_product_skus(20000)
    after = int(time.time() * 1000)
    assert len(skus) == 20000
    assert all(SKU.fullmatch(sku) for sku in skus)
    values = [_value(sku) for sku in skus]
    assert values == sorted(values)
    assert len(set(values)) == 20000
    assert [b - a for a, b in itertools.pairwise(values)] == [1] * 19999
    assert before <= values[0] >> 36 <= after  # the millisecond it was drawn
    one = new_product_sku()
    assert SKU.fullmatch(one)
    assert _value(one) > values[-1]
    assert new_product_skus(0) == []


@pytest.mark.parametrize("clock", [0.0, -3600.0], ids=["same millisecond", "clock set back"])
def test_skus_drawn_later_are_greater(monkeypatch: pytest.MonkeyPatch, clock: float) -> None:
    frozen = time.time()
    first = new_product_skus(3)
    monkeypatch.setattr(models.time, "time", lambda: frozen + clock)
    later = new_product_skus(2) + new_product_skus(1)
    values = [_value(sku) for sku in first + later]
    assert values == sorted(values)
    assert len(set(values)) == 6
