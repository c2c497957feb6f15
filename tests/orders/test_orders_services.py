"""Placing an order, the shop's decision (OR21's rules) and the refusal of late orders."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from order_cases import CUSTOMER, NOW, make_offer, order_of

from mercato.errors import InvalidInput
from mercato.orders.models import Order, OrderLine, PaymentWorkflow
from mercato.orders.services import (
    Item,
    OrderInvalidState,
    OrderLineDecisionError,
    OrderNotFound,
    accept_order,
    expire_orders,
    place_order,
)
from mercato.orders.tasks import expire_overdue_orders

LATER = NOW + timedelta(hours=3)


def lines(order: Order) -> list[tuple[Any, ...]]:
    return list(
        OrderLine.objects.filter(order=order)
        .order_by("index")
        .values_list("line_id", "offer_sku", "quantity", "price_unit", "price", "state")
    )


def test_an_order_waits_for_acceptance_for_the_guides_five_days(alpha: Any) -> None:
    order = order_of(alpha.shop)

    order.refresh_from_db()
    assert (
        order.order_id,
        order.commercial_id,
        order.state,
        order.channel.code if order.channel else None,
        order.currency_iso_code,
        order.price,
        order.total_price,
        order.leadtime_to_ship,
        order.created_date,
        order.acceptance_deadline,
        order.acceptance_decision_date,
        order.payment_workflow,
    ) == (
        "CMD-1-A",
        "CMD-1",
        "WAITING_ACCEPTANCE",
        "FR_B2C",
        "EUR",
        Decimal("160.00"),
        Decimal("160.00"),
        3,
        NOW,
        NOW + timedelta(days=5),
        None,
        "PAY_ON_ACCEPTANCE",
    )
    assert lines(order) == [
        ("CMD-1-A-1", "SKU-B", 1, Decimal("100.00"), Decimal("100.00"), "WAITING_ACCEPTANCE"),
        ("CMD-1-A-2", "SKU-A", 2, Decimal("30.00"), Decimal("60.00"), "WAITING_ACCEPTANCE"),
    ]
    assert list(order.lines.values_list("product_sku", "product_title", "category_code")) == [
        ("MP-B", "Cafetière filtre", "cafetieres"),
        ("MP-A", "Bouilloire", "bouilloires"),
    ]


def test_the_acceptance_delay_is_a_setting(alpha: Any, settings: Any) -> None:
    settings.MERCATO_ORDER_ACCEPTANCE_DAYS = 2
    assert order_of(alpha.shop).acceptance_deadline == NOW + timedelta(days=2)


def test_an_order_on_another_channel_takes_that_channels_price(alpha: Any) -> None:
    order = place_order(alpha.shop, [Item("SKU-A", 2)], CUSTOMER, channel_code="ES_B2C", now=NOW)
    assert (order.channel.code if order.channel else None, order.total_price) == (
        "ES_B2C",
        Decimal("70.00"),
    )
    with pytest.raises(InvalidInput) as refused:
        place_order(alpha.shop, [Item("SKU-B")], CUSTOMER, channel_code="ES_B2C", now=NOW)
    assert refused.value.message == "Offer 'SKU-B' has no price on channel ES_B2C."


def test_an_order_takes_only_the_shops_own_offers(alpha: Any, gamma: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        place_order(alpha.shop, [Item("G-1"), Item("SKU-A", 0)], CUSTOMER, now=NOW)
    assert refused.value.message == (
        f"Quantity of 'SKU-A' must be at least 1. Shop {alpha.shop.id} has no offer 'G-1'."
    )
    with pytest.raises(InvalidInput) as refused:
        place_order(gamma.shop, [Item("G-1")], CUSTOMER, channel_code="ES_B2C", now=NOW)
    assert refused.value.message == f"Shop {gamma.shop.id} does not sell on channel 'ES_B2C'."
    assert Order.objects.filter(shop=alpha.shop).count() == 0


def test_one_commercial_order_gets_one_letter_per_shop(alpha: Any, gamma: Any) -> None:
    order_of(alpha.shop, commercial_id="CMD-G")
    assert list(Order.objects.order_by("id").values_list("order_id", "shop")) == [
        ("CMD-G-A", gamma.shop.id),
        ("CMD-G-B", alpha.shop.id),
    ]


def test_accepting_every_line_moves_the_order_on_to_the_debit(alpha: Any) -> None:
    order = order_of(alpha.shop)
    accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-1", True), ("CMD-1-A-2", True)], now=LATER)

    order.refresh_from_db()
    assert (order.state, order.acceptance_decision_date) == ("WAITING_DEBIT_PAYMENT", LATER)
    assert [line[-1] for line in lines(order)] == ["WAITING_DEBIT_PAYMENT"] * 2


def test_a_refused_line_is_refused_and_the_rest_goes_on(alpha: Any) -> None:
    order = order_of(alpha.shop)
    accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-2", False), ("CMD-1-A-1", True)], now=LATER)

    order.refresh_from_db()
    assert order.state == "WAITING_DEBIT_PAYMENT"
    assert [line[-1] for line in lines(order)] == ["WAITING_DEBIT_PAYMENT", "REFUSED"]


def test_refusing_every_line_refuses_the_order(alpha: Any) -> None:
    order = order_of(alpha.shop)
    accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-1", False), ("CMD-1-A-2", False)], now=LATER)

    order.refresh_from_db()
    assert (order.state, order.acceptance_decision_date) == ("REFUSED", LATER)
    assert [line[-1] for line in lines(order)] == ["REFUSED", "REFUSED"]


def test_an_order_not_paid_on_acceptance_can_be_shipped_once_accepted(alpha: Any) -> None:
    order = order_of(alpha.shop)
    Order.objects.filter(id=order.id).update(payment_workflow=PaymentWorkflow.PAY_ON_DELIVERY)
    accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-1", True), ("CMD-1-A-2", False)], now=LATER)

    order.refresh_from_db()
    assert order.state == "SHIPPING"
    assert [line[-1] for line in lines(order)] == ["SHIPPING", "REFUSED"]


@pytest.mark.parametrize(
    ("decisions", "code", "message"),
    [
        (
            [("CMD-1-A-1", True)],
            "ORDER_LINE_ACCEPTANCE_DECISION_MISSING",
            "Accept or refuse every line of order CMD-1-A in one call; missing: CMD-1-A-2.",
        ),
        (
            [("CMD-1-A-1", True), ("CMD-1-A-1", False), ("CMD-1-A-2", True)],
            "ORDER_LINE_DUPLICATE_ID",
            "Order line 'CMD-1-A-1' appears more than once.",
        ),
        (
            [("CMD-1-A-1", True), ("CMD-1-A-2", True), ("CMD-G-A-1", True)],
            "ORDER_LINE_NOT_FOUND",
            "Order CMD-1-A has no line CMD-G-A-1.",
        ),
        (
            [("CMD-1-A-1", True), None],
            "ORDER_LINE_NULL_ELEMENT",
            "The order lines list contains a null element.",
        ),
    ],
)
def test_a_decision_list_that_breaks_or21s_rules_changes_nothing(
    alpha: Any, gamma: Any, decisions: list[Any], code: str, message: str
) -> None:
    order = order_of(alpha.shop)
    with pytest.raises(OrderLineDecisionError) as refused:
        accept_order(alpha.shop, "CMD-1-A", decisions, now=LATER)

    assert (refused.value.status, refused.value.code, refused.value.message) == (400, code, message)
    order.refresh_from_db()
    assert (order.state, order.acceptance_decision_date) == ("WAITING_ACCEPTANCE", None)
    assert [line[-1] for line in lines(order)] == ["WAITING_ACCEPTANCE"] * 2


def test_another_shops_order_is_not_found(alpha: Any, gamma: Any) -> None:
    with pytest.raises(OrderNotFound) as refused:
        accept_order(alpha.shop, "CMD-G-A", [("CMD-G-A-1", True)], now=LATER)
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        404,
        "ORDER_NOT_FOUND",
        "Order 'CMD-G-A' not found.",
    )
    assert Order.objects.get(order_id="CMD-G-A").state == "WAITING_ACCEPTANCE"


def test_an_order_past_its_deadline_can_no_longer_be_decided(alpha: Any) -> None:
    order = order_of(alpha.shop)
    with pytest.raises(OrderInvalidState) as refused:
        accept_order(
            alpha.shop,
            "CMD-1-A",
            [("CMD-1-A-1", True), ("CMD-1-A-2", True)],
            now=order.acceptance_deadline,
        )
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        400,
        "ORDER_INVALID_STATE",
        "Order CMD-1-A passed its acceptance deadline (2026-11-25 09:00 UTC): it is refused "
        "automatically.",
    )
    assert lines(order)[0][-1] == "WAITING_ACCEPTANCE"
    assert Order.objects.get(id=order.id).acceptance_decision_date is None


def test_an_order_is_decided_once(alpha: Any) -> None:
    order_of(alpha.shop)
    accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-1", False), ("CMD-1-A-2", False)], now=LATER)
    with pytest.raises(OrderInvalidState) as refused:
        accept_order(alpha.shop, "CMD-1-A", [("CMD-1-A-1", True), ("CMD-1-A-2", True)])
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        400,
        "ORDER_INVALID_STATE",
        "Order CMD-1-A is REFUSED: only an order in WAITING_ACCEPTANCE can be accepted or refused.",
    )


def test_orders_not_accepted_by_their_deadline_are_refused_once(alpha: Any, gamma: Any) -> None:
    late = order_of(alpha.shop, commercial_id="LATE")
    on_time = order_of(alpha.shop, commercial_id="ON-TIME", now=NOW + timedelta(days=1))
    decided = order_of(alpha.shop, commercial_id="DECIDED")
    accept_order(
        alpha.shop, "DECIDED-A", [("DECIDED-A-1", True), ("DECIDED-A-2", False)], now=LATER
    )
    deadline = NOW + timedelta(days=5)

    assert expire_orders(now=deadline - timedelta(seconds=1)) == []
    assert expire_orders(now=deadline) == ["CMD-G-A", "LATE-A"]
    assert expire_orders(now=deadline + timedelta(hours=23)) == []

    states = dict(Order.objects.values_list("order_id", "state"))
    assert states == {
        "CMD-G-A": "REFUSED",
        "LATE-A": "REFUSED",
        "ON-TIME-A": "WAITING_ACCEPTANCE",
        "DECIDED-A": "WAITING_DEBIT_PAYMENT",
    }
    late.refresh_from_db()
    assert late.acceptance_decision_date is None  # the deadline decided, not the shop
    assert [line[-1] for line in lines(late)] == ["REFUSED", "REFUSED"]
    assert [line[-1] for line in lines(on_time)] == ["WAITING_ACCEPTANCE"] * 2
    assert [line[-1] for line in lines(decided)] == ["WAITING_DEBIT_PAYMENT", "REFUSED"]


def test_the_sweep_refuses_what_is_overdue_now(alpha: Any) -> None:
    order_of(alpha.shop, commercial_id="OLD")  # placed at NOW, long past
    assert expire_overdue_orders() == ["OLD-A"]
    assert expire_overdue_orders() == []


def test_an_offer_that_changes_or_goes_leaves_the_order_as_it_was(alpha: Any) -> None:
    order = order_of(alpha.shop)
    alpha.shop.offers.filter(sku="SKU-B").update(price=Decimal("1.00"))
    alpha.shop.offers.filter(sku="SKU-A").delete()
    make_offer(alpha.shop, "SKU-C", "MP-A")

    assert lines(order)[0][3:5] == (Decimal("100.00"), Decimal("100.00"))
    assert lines(order)[1][1] == "SKU-A"
