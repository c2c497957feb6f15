"""OR11 (list orders) and OR21 (accept or refuse order lines), as the seller contract says."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from order_cases import CUSTOMER, NOW, order_of

from contract import assert_matches_contract, contract_operation
from mercato.orders.models import Order, OrderLine, OrderState
from mercato.orders.services import Item, place_order

# The contract's order line states (OR11 order_line_state, enum in its description).
LINE_STATES = [*OrderState.values, "INCIDENT_OPEN", "REFUNDED"]


@pytest.fixture(autouse=True)
def far_deadline(settings: Any) -> None:
    """Orders placed on NOW, a fixed past day, still wait for a decision taken today."""
    settings.MERCATO_ORDER_ACCEPTANCE_DAYS = 36500


def stamp(moment: Any = NOW) -> None:
    """Orders and lines last updated at `moment`, for bodies that can be compared whole."""
    Order.objects.update(last_updated_date=moment)
    OrderLine.objects.update(last_updated_date=moment)


def offer_id(seller: Any, sku: str) -> int:
    return int(seller.shop.offers.get(sku=sku).id)


def get(client: Client, query: str = "") -> Any:
    response = client.get(f"/api/orders{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract("OR11", 200, body)
    return body


def accept(client: Client, order_id: str, lines: Any, query: str = "") -> Any:
    return client.put(
        f"/api/orders/{order_id}/accept{query}",
        data=json.dumps({"order_lines": lines}),
        content_type="application/json",
    )


def test_the_order_states_are_the_contracts() -> None:
    _method, _path, operation = contract_operation("OR11")
    parameter = next(p for p in operation["parameters"] if p["name"] == "order_state_codes")
    assert OrderState.values == parameter["schema"]["enum"]


def line_out(seller: Any, index: int, sku: str, quantity: int, unit: float, state: str) -> Any:
    product = {"SKU-B": ("MP-B", "Cafetière filtre", "cafetieres", "Cafetières")}.get(
        sku, ("MP-A", "Bouilloire", "bouilloires", "Bouilloires")
    )
    return {
        "can_refund": False,
        "cancelations": [],
        "category_code": product[2],
        "category_label": product[3],
        "commission_fee": None,
        "commission_rate_vat": None,
        "commission_vat": None,
        "created_date": "2026-11-20T09:00:00Z",
        "description": None,
        "last_updated_date": "2026-11-20T09:00:00Z",
        "offer_id": offer_id(seller, sku),
        "offer_sku": sku,
        "offer_state_code": "11",
        "order_line_additional_fields": [],
        "order_line_id": f"CMD-1-A-{index}",
        "order_line_index": index,
        "order_line_state": state,
        "price": unit * quantity,
        "price_unit": unit,
        "product_medias": [],
        "product_sku": product[0],
        "product_title": product[1],
        "quantity": quantity,
        "refunds": [],
        "shipping_price": 0.0,
        "total_commission": None,
        "total_price": unit * quantity,
    }


def order_out(seller: Any, state: str, line_states: list[str], **changes: Any) -> Any:
    return {
        "acceptance_decision_date": None,
        "can_cancel": False,
        "can_shop_ship": False,
        "channel": {"code": "FR_B2C", "label": "France - B2C"},
        "commercial_id": "CMD-1",
        "created_date": "2026-11-20T09:00:00Z",
        "currency_iso_code": "EUR",
        "customer": {
            "customer_id": "C-1",
            "firstname": "Camille",
            "lastname": "Martin",
            "billing_address": None,
            "shipping_address": None,
        },
        "fulfillment": {"center": {"code": "DEFAULT"}},
        "fully_refunded": False,
        "has_customer_message": False,
        "has_incident": False,
        "has_invoice": False,
        "last_updated_date": "2026-11-20T09:00:00Z",
        "leadtime_to_ship": 3,
        "order_id": "CMD-1-A",
        "order_lines": [
            line_out(seller, 1, "SKU-B", 1, 100.0, line_states[0]),
            line_out(seller, 2, "SKU-A", 2, 30.0, line_states[1]),
        ],
        "order_state": state,
        "order_tax_mode": "TAX_INCLUDED",
        "paymentType": None,
        "payment_workflow": "PAY_ON_ACCEPTANCE",
        "price": 160.0,
        "shipping_price": 0.0,
        "shipping_type_code": None,
        "shipping_type_label": None,
        "shipping_zone_code": None,
        "shipping_zone_label": None,
        "total_commission": None,
        "total_price": 160.0,
        **changes,
    }


def test_or11_shows_a_waiting_order_without_the_address(alpha: Any, alpha_api: Client) -> None:
    order_of(alpha.shop)
    stamp()
    body = get(alpha_api)

    waiting = "WAITING_ACCEPTANCE"
    assert body == {"orders": [order_out(alpha, waiting, [waiting, waiting])], "total_count": 1}


def test_or21_accepts_and_refuses_lines_then_or11_shows_the_address(
    alpha: Any, alpha_api: Client
) -> None:
    order_of(alpha.shop)
    response = accept(
        alpha_api,
        "CMD-1-A",
        [{"id": "CMD-1-A-1", "accepted": True}, {"id": "CMD-1-A-2", "accepted": False}],
    )
    assert (response.status_code, response.content) == (204, b"")

    decided = Order.objects.get(order_id="CMD-1-A").acceptance_decision_date
    assert decided is not None
    stamp()
    body = get(alpha_api, "?locale=en_US")
    debit = "WAITING_DEBIT_PAYMENT"
    address = {
        "firstname": "Camille",
        "lastname": "Martin",
        "street_1": "12 rue de la Paix",
        "street_2": None,
        "zip_code": "75002",
        "city": "Paris",
        "country": "France",
        "country_iso_code": "FRA",
        "phone": None,
    }
    expected = order_out(
        alpha,
        debit,
        [debit, "REFUSED"],
        acceptance_decision_date=decided.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        customer={
            "customer_id": "C-1",
            "firstname": "Camille",
            "lastname": "Martin",
            "billing_address": None,
            "shipping_address": address,
        },
    )
    assert body == {"orders": [expected], "total_count": 1}
    for order in body["orders"]:
        assert order["order_state"] in OrderState.values
        assert {line["order_line_state"] for line in order["order_lines"]} <= set(LINE_STATES)


def test_or11_in_english_labels_the_channel_in_english(alpha: Any, alpha_api: Client) -> None:
    place_order(alpha.shop, [Item("SKU-A")], CUSTOMER, channel_code="ES_B2C", now=NOW)
    (order,) = get(alpha_api, "?locale=en_US")["orders"]
    assert (order["channel"], order["price"]) == ({"code": "ES_B2C", "label": "Spain - B2C"}, 35.0)
    (order,) = get(alpha_api)["orders"]
    assert order["channel"] == {"code": "ES_B2C", "label": "Espagne - B2C"}


@pytest.fixture
def five(alpha: Any) -> None:
    """Orders D0 to D4, placed a day apart; D2 refused, D4 on ES_B2C."""
    for day in range(5):
        place_order(
            alpha.shop,
            [Item("SKU-A")],
            CUSTOMER,
            commercial_id=f"D{day}",
            channel_code="ES_B2C" if day == 4 else None,
            now=NOW + timedelta(days=day),
        )
    Order.objects.filter(order_id="D2-A").update(state=OrderState.REFUSED)


def ids(body: Any) -> list[str]:
    return [order["order_id"] for order in body["orders"]]


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ("", ["D0-A", "D1-A", "D2-A", "D3-A", "D4-A"], 5),
        ("?order=desc", ["D4-A", "D3-A", "D2-A", "D1-A", "D0-A"], 5),
        ("?max=2", ["D0-A", "D1-A"], 5),
        ("?max=2&offset=3", ["D3-A", "D4-A"], 5),
        ("?max=1&paginate=false", ["D0-A", "D1-A", "D2-A", "D3-A", "D4-A"], 5),
        ("?order_ids=D3-A,D1-A,NOPE", ["D1-A", "D3-A"], 2),
        ("?order_state_codes=REFUSED", ["D2-A"], 1),
        ("?order_state_codes=WAITING_ACCEPTANCE,REFUSED&max=1", ["D0-A"], 5),
        ("?channel_codes=ES_B2C", ["D4-A"], 1),
        ("?start_date=2026-11-21T10:00:00%2B01:00", ["D1-A", "D2-A", "D3-A", "D4-A"], 4),
        ("?end_date=2026-11-21T09:59:59Z", ["D0-A", "D1-A"], 2),
        ("?start_date=2026-11-22T10:00:00&end_date=2026-11-23T10:00:00", ["D2-A", "D3-A"], 2),
        ("?payment_workflow=PAY_ON_ACCEPTANCE&max=2", ["D0-A", "D1-A"], 5),
        ("?payment_workflow=PAY_ON_DELIVERY", [], 0),
        ("?fulfillment_center_code=DEFAULT&max=1", ["D0-A"], 5),
        ("?fulfillment_center_code=WH-2&fulfillment_center_code=WH-3", [], 0),
        ("?customer_debited=false&has_incident=false&max=1", ["D0-A"], 5),
        ("?customer_debited=true", [], 0),
        ("?has_incident=true", [], 0),
        ("?order_references_for_customer=REF-1", [], 0),
        ("?order_references_for_seller=REF-1", [], 0),
    ],
)
def test_or11_filters_and_pages(
    five: None, alpha_api: Client, query: str, expected: list[str], total: int
) -> None:
    body = get(alpha_api, query)
    assert (ids(body), body["total_count"]) == (expected, total)


@pytest.mark.parametrize("mode", ["TAX_INCLUDED", "TAX_EXCLUDED"])
def test_or11_shows_the_same_amounts_in_either_tax_mode(
    alpha: Any, alpha_api: Client, mode: str
) -> None:
    order_of(alpha.shop)
    (order,) = get(alpha_api, f"?order_tax_mode={mode}")["orders"]
    assert (order["order_tax_mode"], order["price"], order["total_price"]) == (mode, 160.0, 160.0)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?order_state_codes=WAITING_ACCEPTANCE,SENT",
            "Parameter 'order_state_codes': unknown SENT; use STAGING, WAITING_ACCEPTANCE, "
            "WAITING_DEBIT, WAITING_DEBIT_PAYMENT, SHIPPING, SHIPPED, TO_COLLECT, RECEIVED, "
            "CLOSED, REFUSED, CANCELED.",
        ),
        ("?max=101", "Parameter 'max': Input should be less than or equal to 100, got '101'."),
        ("?order=up", "Parameter 'order': Input should be 'asc' or 'desc', got 'up'."),
    ],
)
def test_or11_refuses_a_bad_parameter(alpha_api: Client, query: str, message: str) -> None:
    response = alpha_api.get(f"/api/orders{query}")
    assert (response.status_code, response.json()) == (400, {"message": message, "status": 400})


def test_or11_never_shows_another_shops_orders(alpha: Any, gamma: Any, alpha_api: Client) -> None:
    order_of(alpha.shop)
    assert ids(get(alpha_api)) == ["CMD-1-A"]
    assert get(alpha_api, "?order_ids=CMD-G-A") == {"orders": [], "total_count": 0}
    gamma_api = Client(HTTP_AUTHORIZATION=gamma.key)
    assert ids(get(gamma_api)) == ["CMD-G-A"]
    forbidden = alpha_api.get(f"/api/orders?shop_id={gamma.shop.id}")
    assert (forbidden.status_code, forbidden.json()) == (
        403,
        {"message": f"Access denied to shop {gamma.shop.id}.", "status": 403},
    )


def test_or21_on_another_shops_order_is_not_found(
    alpha: Any, gamma: Any, alpha_api: Client
) -> None:
    response = accept(alpha_api, "CMD-G-A", [{"id": "CMD-G-A-1", "accepted": False}])
    assert (response.status_code, response.json()) == (
        404,
        {"message": "Order 'CMD-G-A' not found.", "status": 404},
    )
    assert Order.objects.get(order_id="CMD-G-A").state == "WAITING_ACCEPTANCE"


def test_or21_refuses_a_second_decision(alpha: Any, alpha_api: Client) -> None:
    order_of(alpha.shop)
    every = [{"id": "CMD-1-A-1", "accepted": False}, {"id": "CMD-1-A-2", "accepted": False}]
    assert accept(alpha_api, "CMD-1-A", every).status_code == 204
    response = accept(alpha_api, "CMD-1-A", every)
    assert (response.status_code, response.json()) == (
        400,
        {
            "message": "Order CMD-1-A is REFUSED: only an order in WAITING_ACCEPTANCE can be "
            "accepted or refused.",
            "status": 400,
        },
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [{"id": "CMD-1-A-1", "accepted": True}],
            "Accept or refuse every line of order CMD-1-A in one call; missing: CMD-1-A-2.",
        ),
        (
            [{"id": "CMD-1-A-1", "accepted": True}, None],
            "The order lines list contains a null element.",
        ),
        (
            [{"id": "CMD-1-A-1"}],
            "Parameter 'body.order_lines.0.accepted': Field required.",
        ),
    ],
)
def test_or21_refuses_a_bad_decision_list(
    alpha: Any, alpha_api: Client, lines: Any, message: str
) -> None:
    order_of(alpha.shop)
    response = accept(alpha_api, "CMD-1-A", lines)
    assert (response.status_code, response.json()) == (400, {"message": message, "status": 400})
    assert Order.objects.get(order_id="CMD-1-A").state == "WAITING_ACCEPTANCE"
