"""offers.services.save_offer: a form's cells applied as one import line."""

from decimal import Decimal

import pytest
from backoffice_cases import make_offer

from mercato.catalog.models import Product
from mercato.offers.models import Offer
from mercato.offers.services import OfferRejected, save_offer


@pytest.fixture
def shop(make_seller, reference_marketplace: None):  # type: ignore[no-untyped-def]
    return make_seller("Boutique Alpha", channels=["FR_B2C"]).shop


def galaxy() -> Product:
    return Product.objects.get(identifiers__value="3000000000007")


def test_it_creates_an_offer_from_import_columns(shop) -> None:  # type: ignore[no-untyped-def]
    offer = save_offer(
        shop,
        {"sku": "S-1", "product-id": "3000000000007", "product-id-type": "EAN", "state": "11",
         "price": "19,90", "quantity": "3"},
    )  # fmt: skip
    assert (offer.sku, offer.product, offer.price, offer.quantity) == (
        "S-1",
        galaxy(),
        Decimal("19.90"),
        3,
    )
    assert offer.row_hash in ("", None)  # empty, whichever way the model stores it


def test_every_line_issue_comes_back_with_its_column(shop) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OfferRejected) as rejected:
        save_offer(shop, {"sku": "", "state": "99", "price": "-1"})
    assert [(i.column, i.code) for i in rejected.value.issues] == [
        ("sku", "sku-missing"),
        ("state", "state-unknown"),
        ("price", "price-not-positive"),
    ]
    assert rejected.value.message == "Le champ 'sku' est obligatoire"
    assert Offer.objects.count() == 0


def test_what_the_database_refuses_comes_back_too(shop) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OfferRejected) as rejected:
        save_offer(
            shop,
            {"sku": "S-1", "product-id": "9999999999999", "product-id-type": "EAN",
             "state": "11", "price": "10"},
        )  # fmt: skip
    assert [(i.line, i.column, i.code) for i in rejected.value.issues] == [
        (1, "product-id", "product-unknown")
    ]
    assert Offer.objects.count() == 0


def test_columns_left_out_keep_their_values_and_the_row_hash_is_cleared(shop) -> None:  # type: ignore[no-untyped-def]
    make_offer(shop, galaxy(), "S-1", quantity=7, row_hash=12345, description="Boxed")
    offer = save_offer(shop, {"sku": "S-1", "state": "11", "price": "120", "discount-price": ""})
    assert (offer.price, offer.quantity, offer.description) == (Decimal("120.00"), 7, "Boxed")
    assert offer.row_hash in ("", None)  # empty, whichever way the model stores it


def test_the_same_values_again_still_clear_the_row_hash(shop) -> None:  # type: ignore[no-untyped-def]
    make_offer(shop, galaxy(), "S-1", price=Decimal("100.00"), row_hash=12345)
    offer = save_offer(shop, {"sku": "S-1", "state": "11", "price": "100"})
    assert offer.price == Decimal("100.00")
    assert offer.row_hash in ("", None)


def test_partial_update_changes_only_the_filled_cells(shop) -> None:  # type: ignore[no-untyped-def]
    make_offer(shop, galaxy(), "S-1", quantity=7, price=Decimal("100.00"))
    offer = save_offer(shop, {"sku": "S-1", "price": "", "quantity": "9"}, mode="PARTIAL_UPDATE")
    assert (offer.price, offer.quantity) == (Decimal("100.00"), 9)
    with pytest.raises(OfferRejected) as rejected:
        save_offer(shop, {"sku": "S-2", "quantity": "1"}, mode="PARTIAL_UPDATE")
    assert [i.code for i in rejected.value.issues] == ["offer-not-found"]
