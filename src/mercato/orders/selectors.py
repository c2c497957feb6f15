"""Reads on orders, always within one shop: OR11's page and the dashboard's waiting orders."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone

from mercato.orders.models import FULFILLMENT_CENTER, Order, OrderState
from mercato.shops.models import Shop


@dataclass(frozen=True)
class OrderFilters:
    order_ids: list[str] = field(default_factory=list)
    state_codes: list[str] = field(default_factory=list)
    channel_codes: list[str] = field(default_factory=list)
    only_null_channel: bool = False
    start_date: datetime | None = None
    end_date: datetime | None = None
    start_update_date: datetime | None = None
    end_update_date: datetime | None = None
    references_for_customer: list[str] = field(default_factory=list)
    references_for_seller: list[str] = field(default_factory=list)
    customer_debited: bool | None = None
    payment_workflow: str | None = None
    has_incident: bool | None = None
    fulfillment_center_codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    total_count: int


def _none_can_match(filters: OrderFilters) -> bool:
    """Filters on what no order has yet: references, a debit (mercato takes no payment yet),
    an incident, another fulfillment center than the shop's own."""
    return bool(
        filters.references_for_customer
        or filters.references_for_seller
        or filters.customer_debited
        or filters.has_incident
        or (
            filters.fulfillment_center_codes
            and FULFILLMENT_CENTER not in filters.fulfillment_center_codes
        )
    )


def _filtered(shop: Shop, filters: OrderFilters) -> QuerySet[Order]:
    orders = Order.objects.filter(shop=shop)
    if _none_can_match(filters):
        return orders.none()
    if filters.payment_workflow is not None:
        orders = orders.filter(payment_workflow=filters.payment_workflow)
    if filters.order_ids:
        orders = orders.filter(order_id__in=filters.order_ids)
    if filters.state_codes:
        orders = orders.filter(state__in=filters.state_codes)
    if filters.only_null_channel:
        orders = orders.filter(channel__isnull=True)
    elif filters.channel_codes:
        orders = orders.filter(channel__code__in=filters.channel_codes)
    if filters.start_date is not None:
        orders = orders.filter(created_date__gte=filters.start_date)
    if filters.end_date is not None:
        orders = orders.filter(created_date__lte=filters.end_date)
    if filters.start_update_date is not None:
        orders = orders.filter(last_updated_date__gte=filters.start_update_date)
    if filters.end_update_date is not None:
        orders = orders.filter(last_updated_date__lte=filters.end_update_date)
    return orders


def order_page(
    shop: Shop, filters: OrderFilters, *, offset: int, limit: int | None, newest_first: bool
) -> OrderPage:
    """The shop's orders matching `filters` by creation date then id (OR11's dateCreated
    sort), with their lines and channel; `limit` None for every one."""
    orders = _filtered(shop, filters)
    direction = "-" if newest_first else ""
    ordered = (
        orders.select_related("channel")
        .prefetch_related("lines")
        .order_by(f"{direction}created_date", f"{direction}id")
    )
    page = ordered[offset:] if limit is None else ordered[offset : offset + limit]
    return OrderPage(orders=list(page), total_count=orders.count())


@dataclass(frozen=True)
class WaitingOrder:
    order_id: str
    commercial_id: str
    customer: str
    total_price: Decimal
    currency_iso_code: str
    deadline: datetime
    time_left: timedelta  # negative once the deadline has passed

    @property
    def overdue(self) -> bool:
        return self.time_left <= timedelta(0)

    @property
    def span(self) -> tuple[int, int, int]:
        """Days, hours and minutes left, or past the deadline once it is overdue."""
        minutes = int(abs(self.time_left).total_seconds()) // 60
        return minutes // (24 * 60), minutes // 60 % 24, minutes % 60


@dataclass(frozen=True)
class AwaitingAcceptance:
    count: int
    orders: list[WaitingOrder]  # the soonest deadlines first, at most the limit asked


def awaiting_acceptance(shop: Shop, limit: int, now: datetime | None = None) -> AwaitingAcceptance:
    """The shop's orders waiting for its acceptance: how many, and the `limit` whose
    deadline comes first with the time left. Two queries, both on the state-deadline index,
    whatever the number of orders or offers."""
    now = now or timezone.now()
    waiting = Order.objects.filter(shop=shop, state=OrderState.WAITING_ACCEPTANCE)
    count = waiting.aggregate(count=Count("id"))["count"]
    rows = waiting.order_by("acceptance_deadline", "id").values_list(
        "order_id",
        "commercial_id",
        "customer_firstname",
        "customer_lastname",
        "total_price",
        "currency_iso_code",
        "acceptance_deadline",
    )[:limit]
    orders = [
        WaitingOrder(
            order_id=order_id,
            commercial_id=commercial_id,
            customer=f"{firstname} {lastname}".strip(),
            total_price=total,
            currency_iso_code=currency,
            deadline=deadline,
            time_left=deadline - now,
        )
        for order_id, commercial_id, firstname, lastname, total, currency, deadline in rows
    ]
    return AwaitingAcceptance(count, orders)
