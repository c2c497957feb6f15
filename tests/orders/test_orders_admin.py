"""Operator console for orders: the list, filtered by state and shop, and one order's lines."""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from order_cases import NOW, order_of

from mercato.orders.models import Order
from mercato.orders.services import accept_order

ROW = re.compile(r'<th class="field-order_id"><a href="[^"]+">([^<]+)</a>')


@pytest.fixture
def operator(db: None) -> Client:
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def listed(operator: Client, query: str = "") -> list[str]:
    response = operator.get(f"/operator/orders/order/{query}")
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def test_the_operator_lists_orders_by_state_and_shop(
    operator: Client, alpha: Any, gamma: Any
) -> None:
    order_of(alpha.shop, commercial_id="A1")
    order_of(alpha.shop, commercial_id="A2")
    accept_order(alpha.shop, "A2-A", [("A2-A-1", False), ("A2-A-2", False)], now=NOW)

    assert listed(operator) == ["A2-A", "A1-A", "CMD-G-A"]
    assert listed(operator, "?state__exact=REFUSED") == ["A2-A"]
    assert listed(operator, f"?shop__id__exact={gamma.shop.id}") == ["CMD-G-A"]
    assert listed(operator, "?q=A1") == ["A1-A"]


def test_the_operator_reads_an_order_and_its_lines_without_changing_them(
    operator: Client, alpha: Any
) -> None:
    order = order_of(alpha.shop)
    response = operator.get(f"/operator/orders/order/{order.id}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ("CMD-1-A-1" in html, "CMD-1-A-2" in html, 'name="_save"' in html) == (
        True,
        True,
        False,
    )
    assert operator.get("/operator/orders/order/add/").status_code == 403
    assert Order.objects.get(id=order.id).state == "WAITING_ACCEPTANCE"
