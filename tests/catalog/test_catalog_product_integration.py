"""integrate_batch: what becomes of each valid row, in a fixed number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mercato.catalog.models import Product, ProductIdentifier
from mercato.catalog.product_integration import Candidate, VariantRegistry, integrate_batch
from mercato.catalog.selectors import catalog_schema
from mercato.catalog.validation import ProductData

pytestmark = pytest.mark.usefixtures("reference_marketplace")


def data(
    ean: str, *, category: str = "smartphones", group: str = "", color: str = "noir"
) -> ProductData:
    return ProductData(
        category_code=category,
        ean=ean,
        shop_sku=f"S-{ean[-4:]}",
        titles={"fr_FR": f"Produit {ean}"},
        descriptions={},
        brand="samsung",
        media=["https://images.example.com/1.jpg"],
        variant_group_code=group,
        attributes={"color": color, "storage-capacity": "128GB"},
    )


def test_each_row_is_created_matched_or_refused_with_its_reason(seller: Any) -> None:
    schema = catalog_schema()
    candidates = [
        Candidate(2, data("4000000000012", group="G")),
        Candidate(3, data("3000000000007")),  # the reference catalog's P-00000000
        Candidate(4, data("4000000000029", group="G")),  # same colour and capacity as line 2
        Candidate(5, data("4000000000036", category="disparue")),
        Candidate(6, data("4000000000043", group="G", color="bleu")),
    ]
    before = Product.objects.count()
    done = integrate_batch(seller.shop, candidates, schema, VariantRegistry())
    assert [(d.line, d.outcome, [(i.code, i.args) for i in d.issues]) for d in done] == [
        (2, "CREATED", []),
        (3, "MATCHED", []),
        (4, "INVALID", [(2022, ("G", "noir, 128GB", "2"))]),
        (5, "INVALID", [(1001, ("disparue",))]),
        (6, "CREATED", []),
    ]
    assert done[1].product_id == ProductIdentifier.objects.get(value="3000000000007").product_id
    created = Product.objects.filter(id__in=[done[0].product_id, done[4].product_id])
    assert sorted(created.values_list("shop_sku", "status", "shop_id")) == [
        ("S-0012", "PENDING", seller.shop.id),
        ("S-0043", "PENDING", seller.shop.id),
    ]
    assert Product.objects.count() == before + 2

    def queries_for(count: int, first: int) -> int:
        batch = [
            Candidate(n, data(f"{first + n:013d}", group=f"H{first}", color=str(n)))
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            integrate_batch(seller.shop, batch, schema, VariantRegistry())
        return len(captured)

    # Set-based: a batch of 200 costs the queries of a batch of 5.
    assert queries_for(200, 5_000_000_000_000) == queries_for(5, 6_000_000_000_000)
