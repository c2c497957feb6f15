"""Product moderation: accepting puts products live, rejecting needs a reason."""

import pytest

from mercato.catalog.models import Category, Product
from mercato.catalog.moderation import accept_products, reject_products
from mercato.errors import InvalidInput


@pytest.fixture
def products(db: None) -> list[Product]:
    category = Category.objects.create(code="smartphones", label="Smartphones")
    return [
        Product.objects.create(
            category=category, product_sku=f"MP-{n}", status=status, rejection_reason=reason
        )
        for n, (status, reason) in enumerate(
            [
                (Product.Status.PENDING, ""),
                (Product.Status.REJECTED, "Photo floue"),
                (Product.Status.LIVE, ""),
                (Product.Status.PENDING, ""),
            ]
        )
    ]


def states() -> list[tuple[str, str, str]]:
    return list(Product.objects.values_list("product_sku", "status", "rejection_reason"))


def test_accept_puts_the_selected_products_live(products: list[Product]) -> None:
    count = accept_products(Product.objects.filter(product_sku__in=["MP-0", "MP-1", "MP-2"]))

    assert count == 2
    assert states() == [
        ("MP-0", "LIVE", ""),
        ("MP-1", "LIVE", ""),
        ("MP-2", "LIVE", ""),
        ("MP-3", "PENDING", ""),
    ]


def test_reject_records_the_reason(products: list[Product]) -> None:
    count = reject_products(
        Product.objects.filter(product_sku__in=["MP-0", "MP-2"]), "  EAN inconnu du fabricant  "
    )

    assert count == 2
    assert states() == [
        ("MP-0", "REJECTED", "EAN inconnu du fabricant"),
        ("MP-1", "REJECTED", "Photo floue"),
        ("MP-2", "REJECTED", "EAN inconnu du fabricant"),
        ("MP-3", "PENDING", ""),
    ]


def test_reject_without_a_reason_changes_nothing(products: list[Product]) -> None:
    before = states()

    with pytest.raises(InvalidInput) as error:
        reject_products(Product.objects.all(), "   ")

    assert error.value.message == "A rejection needs a reason, which the shop will see."
    assert states() == before


def test_a_distinct_selection_can_be_moderated(products: list[Product]) -> None:
    # The console's search across identifiers hands over a distinct queryset.
    count = accept_products(Product.objects.filter(status="PENDING").distinct())

    assert count == 2
    assert Product.objects.filter(status="LIVE").count() == 3
