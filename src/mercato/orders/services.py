"""Writes on orders: placing one (the demo, tests), the shop's acceptance decision (OR21)
and the refusal of what was not decided in time.

Callers own the transaction.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from mercato.errors import DomainError, InvalidInput, NotFound
from mercato.offers.models import Offer
from mercato.offers.pricing import PriceSet, channel_pricing, stored_channel_prices
from mercato.orders.models import Order, OrderLine, OrderState, PaymentWorkflow
from mercato.shops.models import Channel, Shop


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"


class OrderInvalidState(DomainError):
    status = 400
    code = "ORDER_INVALID_STATE"


class OrderLineDecisionError(InvalidInput):
    """A decision list that OR21 refuses; `code` is the contract's error code."""


@dataclass(frozen=True)
class Customer:
    customer_id: str
    firstname: str
    lastname: str
    # The contract's shipping address keys (street_1, zip_code, city, country...).
    shipping_address: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    offer_sku: str
    quantity: int = 1


def acceptance_delay() -> timedelta:
    return timedelta(days=settings.MERCATO_ORDER_ACCEPTANCE_DAYS)


def _channel(shop: Shop, code: str | None) -> Channel | None:
    channels = shop.channels.all()
    if code is None:
        return (
            next((c for c in channels if c.is_default), None)
            or Channel.objects.filter(is_default=True).first()
        )
    found = next((c for c in channels if c.code == code), None)
    if found is None:
        raise InvalidInput(f"Shop {shop.id} does not sell on channel '{code}'.")
    return found


def _unit_price(offer: Offer, channel: Channel | None, now: datetime) -> Decimal:
    default = PriceSet(offer.price, offer.discount_price, offer.discount_start, offer.discount_end)
    is_default = channel is None or channel.is_default
    specific = stored_channel_prices(offer.channel_prices)
    pricing = channel_pricing(
        channel.code if channel else "",
        None if is_default or channel is None else specific.get(channel.code),
        default=default,
        is_default=is_default,
        today=timezone.localdate(now),
    )
    if pricing is None:
        where = f" on channel {channel.code}" if channel else ""
        raise InvalidInput(f"Offer '{offer.sku}' has no price{where}.")
    return pricing.price


def _order_id(commercial_id: str) -> str:
    """`commercial_id` and the next letter: one commercial order may go to several shops."""
    taken = Order.objects.filter(commercial_id=commercial_id).count()
    return f"{commercial_id}-{chr(ord('A') + taken)}"


def _offers(shop: Shop, items: Sequence[Item]) -> dict[str, Offer]:
    if not items:
        raise InvalidInput("An order needs at least one line.")
    errors = [f"Quantity of '{i.offer_sku}' must be at least 1." for i in items if i.quantity < 1]
    skus = {item.offer_sku for item in items}
    offers = {
        offer.sku: offer
        for offer in Offer.objects.filter(shop=shop, sku__in=skus).select_related(
            "product__category"
        )
    }
    errors += [f"Shop {shop.id} has no offer '{sku}'." for sku in sorted(skus - set(offers))]
    if errors:
        raise InvalidInput(" ".join(errors))
    return offers


def _leadtime(shop: Shop, offers: Iterable[Offer]) -> int | None:
    known = [offer.leadtime_to_ship for offer in offers if offer.leadtime_to_ship is not None]
    return max(known) if known else shop.lead_time_to_ship


def _line(
    line_id: str, index: int, offer: Offer, quantity: int, channel: Channel | None, now: datetime
) -> OrderLine:
    """What the customer ordered of `offer`, as it is now: later changes leave it be."""
    unit = _unit_price(offer, channel, now)
    product = offer.product
    return OrderLine(
        line_id=line_id,
        index=index,
        offer_id=offer.id,
        offer_sku=offer.sku,
        offer_state_code=offer.state,
        product_sku=product.product_sku,
        product_title=product.title or product.product_sku,
        category_code=product.category.code,
        category_label=product.category.label,
        quantity=quantity,
        price_unit=unit,
        price=unit * quantity,
        total_price=unit * quantity,
        created_date=now,
    )


def place_order(
    shop: Shop,
    items: Sequence[Item],
    customer: Customer,
    *,
    commercial_id: str | None = None,
    channel_code: str | None = None,
    now: datetime | None = None,
) -> Order:
    """An order of `items` (the shop's offers by sku), waiting for the shop's acceptance
    until `MERCATO_ORDER_ACCEPTANCE_DAYS` (default 5) days from now."""
    now = now or timezone.now()
    offers = _offers(shop, items)
    channel = _channel(shop, channel_code)
    commercial_id = commercial_id or f"CMD-{now:%Y%m%d%H%M%S%f}"
    order_id = _order_id(commercial_id)
    lines = [
        _line(f"{order_id}-{index}", index, offers[item.offer_sku], item.quantity, channel, now)
        for index, item in enumerate(items, start=1)
    ]
    total = sum((line.price for line in lines), Decimal(0))
    order = Order.objects.create(
        shop=shop,
        order_id=order_id,
        commercial_id=commercial_id,
        channel=channel,
        customer_id=customer.customer_id,
        customer_firstname=customer.firstname,
        customer_lastname=customer.lastname,
        shipping_address=dict(customer.shipping_address),
        currency_iso_code=channel.currency if channel else shop.currency_iso_code,
        price=total,
        total_price=total,
        leadtime_to_ship=_leadtime(shop, offers.values()),
        created_date=now,
        acceptance_deadline=now + acceptance_delay(),
    )
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    return order


def accepted_state(order: Order) -> str:
    """Where an accepted order goes: paid on acceptance, it waits for the customer's debit;
    any other payment workflow lets the shop ship at once."""
    if order.payment_workflow == PaymentWorkflow.PAY_ON_ACCEPTANCE:
        return OrderState.WAITING_DEBIT_PAYMENT
    return OrderState.SHIPPING


def _decisions(order: Order, decisions: Sequence[tuple[str, bool] | None]) -> dict[str, bool]:
    """The decision by line id, once OR21's rules on the list hold."""
    if any(decision is None for decision in decisions):
        raise OrderLineDecisionError(
            "The order lines list contains a null element.", code="ORDER_LINE_NULL_ELEMENT"
        )
    found: dict[str, bool] = {}
    for line_id, accepted in (d for d in decisions if d is not None):
        if line_id in found:
            raise OrderLineDecisionError(
                f"Order line '{line_id}' appears more than once.", code="ORDER_LINE_DUPLICATE_ID"
            )
        found[line_id] = accepted
    line_ids = set(order.lines.values_list("line_id", flat=True))
    unknown = sorted(set(found) - line_ids)
    if unknown:
        raise OrderLineDecisionError(
            f"Order {order.order_id} has no line {', '.join(unknown)}.",
            code="ORDER_LINE_NOT_FOUND",
        )
    missing = sorted(line_ids - set(found))
    if missing:
        raise OrderLineDecisionError(
            f"Accept or refuse every line of order {order.order_id} in one call; "
            f"missing: {', '.join(missing)}.",
            code="ORDER_LINE_ACCEPTANCE_DECISION_MISSING",
        )
    return found


def accept_order(
    shop: Shop,
    order_id: str,
    decisions: Sequence[tuple[str, bool] | None],
    *,
    now: datetime | None = None,
) -> Order:
    """OR21: accept or refuse every line of the shop's WAITING_ACCEPTANCE order at once.

    Refused lines are REFUSED; the order is REFUSED when every line is, else it moves on
    with its accepted lines (`accepted_state`).
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().filter(shop=shop, order_id=order_id).first()
    if order is None:
        raise OrderNotFound(f"Order '{order_id}' not found.")
    if order.state != OrderState.WAITING_ACCEPTANCE:
        raise OrderInvalidState(
            f"Order {order.order_id} is {order.state}: only an order in WAITING_ACCEPTANCE "
            "can be accepted or refused."
        )
    if order.acceptance_deadline <= now:
        # The sweep refuses it within a minute; a late decision must not beat it to it.
        raise OrderInvalidState(
            f"Order {order.order_id} passed its acceptance deadline "
            f"({order.acceptance_deadline:%Y-%m-%d %H:%M} UTC): it is refused automatically."
        )
    found = _decisions(order, decisions)
    moved_on = accepted_state(order)
    accepted = [line_id for line_id, ok in found.items() if ok]
    refused = [line_id for line_id, ok in found.items() if not ok]
    order.lines.filter(line_id__in=accepted).update(state=moved_on, last_updated_date=now)
    order.lines.filter(line_id__in=refused).update(state=OrderState.REFUSED, last_updated_date=now)
    order.state = moved_on if accepted else OrderState.REFUSED
    order.acceptance_decision_date = now
    order.save(update_fields=["state", "acceptance_decision_date", "last_updated_date"])
    return order


def decide_order(
    shop: Shop, order_id: str, accepted: bool, *, now: datetime | None = None
) -> Order:
    """The back office's one-click decision: every line of the order accepted, or refused."""
    line_ids = OrderLine.objects.filter(order__shop=shop, order__order_id=order_id).values_list(
        "line_id", flat=True
    )
    return accept_order(shop, order_id, [(line_id, accepted) for line_id in line_ids], now=now)


def expire_orders(now: datetime | None = None) -> list[str]:
    """Refuse the orders still waiting for acceptance past their deadline, every line with
    them (Mirakl refuses what is not accepted in time); their order ids. Safe to run again:
    a refused order no longer waits."""
    now = now or timezone.now()
    # Locked, so that a decision taken meanwhile (OR21 locks the order too) is not undone.
    overdue = Order.objects.select_for_update().filter(
        state=OrderState.WAITING_ACCEPTANCE, acceptance_deadline__lte=now
    )
    ids = list(overdue.order_by("acceptance_deadline", "id").values_list("id", "order_id"))
    if not ids:
        return []
    pks = [pk for pk, _order_id in ids]
    OrderLine.objects.filter(order_id__in=pks, state=OrderState.WAITING_ACCEPTANCE).update(
        state=OrderState.REFUSED, last_updated_date=now
    )
    Order.objects.filter(id__in=pks).update(state=OrderState.REFUSED, last_updated_date=now)
    return [order_id for _pk, order_id in ids]
