"""Helpers shared by the orders' tests (the fixtures are in this folder's conftest)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mercato.catalog.models import Product
from mercato.offers.models import Offer
from mercato.orders.models import Order
from mercato.orders.services import Customer, Item, place_order
from mercato.shops.models import Shop

NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
ADDRESS = {
    "firstname": "Camille",
    "lastname": "Martin",
    "street_1": "12 rue de la Paix",
    "zip_code": "75002",
    "city": "Paris",
    "country": "France",
    "country_iso_code": "FRA",
}
CUSTOMER = Customer("C-1", "Camille", "Martin", ADDRESS)


def make_offer(shop: Shop, sku: str, product_sku: str, **values: Any) -> Offer:
    defaults: dict[str, Any] = {"state": "11", "quantity": 5, "price": Decimal("50.00")}
    return Offer.objects.create(
        shop=shop,
        sku=sku,
        product=Product.objects.get(product_sku=product_sku),
        **{**defaults, **values},
    )


def order_of(shop: Shop, commercial_id: str = "CMD-1", **kwargs: Any) -> Order:
    """An order of one SKU-B and two SKU-A, placed at NOW unless told otherwise."""
    items = [Item("SKU-B"), Item("SKU-A", quantity=2)]
    kwargs.setdefault("now", NOW)
    return place_order(shop, items, CUSTOMER, commercial_id=commercial_id, **kwargs)
