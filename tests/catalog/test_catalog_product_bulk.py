"""product_bulk.reserve_ids: ids drawn from the product table's own sequence."""

from typing import Any

import pytest
from django.db import connection

from mercato.catalog.models import Category, Product
from mercato.catalog.product_bulk import reserve_ids


@pytest.mark.django_db
def test_reserved_ids_are_distinct_and_never_handed_out_again() -> None:
    reserved = reserve_ids(Product._meta.db_table, 3)
    if connection.vendor != "postgresql":
        assert reserved is None  # rows are read back by their sku instead
        return
    assert reserved is not None
    assert len(reserved) == 3
    assert reserved == sorted(set(reserved))
    category = Category.objects.create(code="c", label="C")
    product = Product.objects.create(category=category, titles={"fr_FR": "Produit"})
    assert product.id > max(reserved)
    assert reserve_ids(Product._meta.db_table, 0) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
@pytest.mark.django_db
def test_the_sequence_is_looked_up_once_for_all_the_ids(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1) as captured:
        reserved = reserve_ids(Product._meta.db_table, 2000)
    assert reserved is not None and len(set(reserved)) == 2000
    assert "MATERIALIZED" in captured.captured_queries[0]["sql"]
