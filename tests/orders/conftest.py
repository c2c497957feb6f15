"""Fixtures of the orders' tests: two shops on the small catalog, their offers and orders."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from order_cases import CUSTOMER, NOW, make_offer

from mercato.orders.services import Item, place_order
from mercato.shops.models import Channel


@pytest.fixture
def channels(db: None) -> None:
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True, position=0)
    Channel.objects.create(
        code="ES_B2C", label="Espagne - B2C", labels={"en": "Spain - B2C"}, position=1
    )


@pytest.fixture
def alpha(channels: None, small_catalog: object, make_seller) -> Any:  # type: ignore[no-untyped-def]
    seller = make_seller("Boutique Alpha", channels=["FR_B2C", "ES_B2C"])
    make_offer(seller.shop, "SKU-B", "MP-B", price=Decimal("100.00"), leadtime_to_ship=3)
    make_offer(
        seller.shop,
        "SKU-A",
        "MP-A",
        price=Decimal("30.00"),
        channel_prices={"ES_B2C": {"price": "35.00"}},
    )
    return seller


@pytest.fixture
def gamma(alpha: Any, make_seller) -> Any:  # type: ignore[no-untyped-def]
    """Another shop, with an offer and an order of its own."""
    seller = make_seller("Boutique Gamma", channels=["FR_B2C"])
    make_offer(seller.shop, "G-1", "MP-B", price=Decimal("90.00"))
    place_order(seller.shop, [Item("G-1")], CUSTOMER, commercial_id="CMD-G", now=NOW)
    return seller


@pytest.fixture
def alpha_api(alpha: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=alpha.key)
