"""Helpers shared by the back office's tests (the fixtures are in this folder's conftest)."""

from dataclasses import dataclass
from typing import Any

from django.test import Client

from mercato.catalog.models import Product
from mercato.offers.models import Offer
from mercato.shops.models import Shop

PASSWORD = "correct horse battery staple"


@dataclass
class SignedIn:
    client: Client
    seller: Any  # tests/conftest.py's Seller: shop, user, key


def make_offer(shop: Shop, product: Product, sku: str, **values: object) -> Offer:
    fields: dict[str, object] = {"state": "11", "quantity": 5, "price": "100.00"}
    fields.update(values)
    return Offer.objects.create(shop=shop, product=product, sku=sku, **fields)


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())
