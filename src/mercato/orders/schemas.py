"""OR11's orders, shaped as the seller contract says.

Required keys that mercato has no data for (commissions, shipping type and zone, billing
address) are present with a null value, never left out. The shipping address is shown once
the shop has accepted the order, as Mirakl does: before that the seller only needs to know
what is ordered.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from mercato.catalog.localization import localized
from mercato.orders.models import FULFILLMENT_CENTER, Order, OrderLine, OrderState
from mercato.orders.selectors import OrderPage

# Marketplace prices are what the customer pays, taxes included; orders carry no taxes of
# their own, so both modes show the same amounts (as the contract says).
ORDER_TAX_MODE = "TAX_INCLUDED"
_ADDRESS_KEYS = (
    "firstname", "lastname", "street_1", "street_2", "zip_code", "city", "country",
    "country_iso_code", "phone",
)  # fmt: skip
_ADDRESS_HIDDEN = (OrderState.STAGING, OrderState.WAITING_ACCEPTANCE, OrderState.REFUSED)


class ChannelOut(Schema):
    code: str
    label: str


class CenterOut(Schema):
    code: str


class FulfillmentOut(Schema):
    center: CenterOut


class CustomerOut(Schema):
    customer_id: str
    firstname: str
    lastname: str
    billing_address: dict[str, Any] | None
    shipping_address: dict[str, Any] | None


class OrderLineOut(Schema):
    can_refund: bool
    cancelations: list[Any]
    category_code: str
    category_label: str
    commission_fee: float | None
    commission_rate_vat: float | None
    commission_vat: float | None
    created_date: datetime
    description: str | None
    last_updated_date: datetime
    offer_id: int
    offer_sku: str
    offer_state_code: str
    order_line_additional_fields: list[Any]
    order_line_id: str
    order_line_index: int
    order_line_state: str
    price: float
    price_unit: float
    product_medias: list[Any]
    product_sku: str
    product_title: str
    quantity: int
    refunds: list[Any]
    shipping_price: float
    total_commission: float | None
    total_price: float


class OrderOut(Schema):
    acceptance_decision_date: datetime | None
    can_cancel: bool
    can_shop_ship: bool
    channel: ChannelOut | None
    commercial_id: str
    created_date: datetime
    currency_iso_code: str
    customer: CustomerOut
    fulfillment: FulfillmentOut
    fully_refunded: bool
    has_customer_message: bool
    has_incident: bool
    has_invoice: bool
    last_updated_date: datetime
    leadtime_to_ship: int | None
    order_id: str
    order_lines: list[OrderLineOut]
    order_state: str
    order_tax_mode: str
    paymentType: str | None  # the contract's (deprecated) name
    payment_workflow: str
    price: float
    shipping_price: float
    shipping_type_code: str | None
    shipping_type_label: str | None
    shipping_zone_code: str | None
    shipping_zone_label: str | None
    total_commission: float | None
    total_price: float


class OrdersOut(Schema):
    orders: list[OrderOut]
    total_count: int


def _number(amount: Decimal) -> float:
    return float(amount)


def _line_out(line: OrderLine) -> OrderLineOut:
    return OrderLineOut(
        can_refund=False,
        cancelations=[],
        category_code=line.category_code,
        category_label=line.category_label,
        commission_fee=None,
        commission_rate_vat=None,
        commission_vat=None,
        created_date=line.created_date,
        description=None,
        last_updated_date=line.last_updated_date,
        offer_id=line.offer_id,
        offer_sku=line.offer_sku,
        offer_state_code=line.offer_state_code,
        order_line_additional_fields=[],
        order_line_id=line.line_id,
        order_line_index=line.index,
        order_line_state=line.state,
        price=_number(line.price),
        price_unit=_number(line.price_unit),
        product_medias=[],
        product_sku=line.product_sku,
        product_title=line.product_title,
        quantity=line.quantity,
        refunds=[],
        shipping_price=_number(line.shipping_price),
        total_commission=None,
        total_price=_number(line.total_price),
    )


def _customer_out(order: Order) -> CustomerOut:
    address = None
    if order.state not in _ADDRESS_HIDDEN:
        address = {key: order.shipping_address.get(key) for key in _ADDRESS_KEYS}
    return CustomerOut(
        customer_id=order.customer_id,
        firstname=order.customer_firstname,
        lastname=order.customer_lastname,
        billing_address=None,
        shipping_address=address,
    )


def order_out(order: Order, language: str, tax_mode: str = ORDER_TAX_MODE) -> OrderOut:
    channel = order.channel
    return OrderOut(
        acceptance_decision_date=order.acceptance_decision_date,
        can_cancel=False,
        can_shop_ship=order.state == OrderState.SHIPPING,
        channel=ChannelOut(
            code=channel.code, label=localized(channel.label, channel.labels, language)
        )
        if channel
        else None,
        commercial_id=order.commercial_id,
        created_date=order.created_date,
        currency_iso_code=order.currency_iso_code,
        customer=_customer_out(order),
        fulfillment=FulfillmentOut(center=CenterOut(code=FULFILLMENT_CENTER)),
        fully_refunded=False,
        has_customer_message=False,
        has_incident=False,
        has_invoice=False,
        last_updated_date=order.last_updated_date,
        leadtime_to_ship=order.leadtime_to_ship,
        order_id=order.order_id,
        order_lines=[_line_out(line) for line in order.lines.all()],
        order_state=order.state,
        order_tax_mode=tax_mode,
        paymentType=None,
        payment_workflow=order.payment_workflow,
        price=_number(order.price),
        shipping_price=_number(order.shipping_price),
        shipping_type_code=None,
        shipping_type_label=None,
        shipping_zone_code=None,
        shipping_zone_label=None,
        total_commission=None,
        total_price=_number(order.total_price),
    )


def orders_out(page: OrderPage, language: str, tax_mode: str | None) -> OrdersOut:
    return OrdersOut(
        orders=[order_out(order, language, tax_mode or ORDER_TAX_MODE) for order in page.orders],
        total_count=page.total_count,
    )


class OrderLineDecisionIn(Schema):
    accepted: bool
    id: str


class AcceptIn(Schema):
    # None elements are let through to be refused with the contract's own error code.
    order_lines: list[OrderLineDecisionIn | None]
