"""`mercato demo`'s orders: a few waiting orders for each demo shop, placed once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mercato.orders.demo import place_demo_orders
from mercato.orders.models import Order
from mercato.shops.demo import prepare_demo


def test_the_demo_places_three_waiting_orders_per_shop_once(reference_marketplace: None) -> None:
    shops = [shop.id for shop in prepare_demo().shops]
    now = timezone.now()

    placed = place_demo_orders(shops, now=now)

    assert [(o.order_id, o.state, o.lines.count()) for o in placed] == [
        (f"DEMO-{shop}-{n}-A", "WAITING_ACCEPTANCE", lines)
        for shop in shops
        for n, lines in ((1, 2), (2, 3), (3, 1))
    ]
    assert sorted({o.acceptance_deadline - now for o in placed}) == [
        timedelta(hours=5),
        timedelta(days=2, hours=3),
        timedelta(days=5),
    ]
    assert sorted(
        Order.objects.filter(shop_id=shops[0]).values_list("lines__offer_sku", flat=True)
    ) == ["DEMO-1", "DEMO-1", "DEMO-1", "DEMO-2", "DEMO-2", "DEMO-3"]
    assert place_demo_orders(shops) == []
    assert Order.objects.count() == 6


@pytest.mark.django_db
def test_mercato_demo_run_twice_places_the_orders_once_and_or11_shows_them() -> None:
    for _run in range(2):
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out, stderr=StringIO())

    key = re.search(r"2000  Demo Electro  API key: (\S+)", out.getvalue())
    assert key is not None
    response = Client(HTTP_AUTHORIZATION=key.group(1)).get(
        "/api/orders?order_state_codes=WAITING_ACCEPTANCE"
    )
    assert [order["order_id"] for order in response.json()["orders"]] == [
        "DEMO-2000-1-A",
        "DEMO-2000-2-A",
        "DEMO-2000-3-A",
    ]
    assert Order.objects.count() == 6
