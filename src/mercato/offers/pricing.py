"""An offer's prices per channel, and the price that applies on a given day.

Pure functions: the caller says what "today" is. The seller guide's discount rules (chapter 2,
"Informations importantes - Offres"): without dates a discount is permanent, without a start
date it applies at once; both bounds are whole days and inclusive.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PriceSet:
    """One channel's prices as the offer stores them."""

    price: Decimal | None = None
    discount_price: Decimal | None = None
    discount_start: date | None = None
    discount_end: date | None = None


@dataclass(frozen=True)
class ChannelPricing:
    """The prices of an offer on one channel, as they stand on a given day."""

    channel_code: str
    is_default: bool
    origin_price: Decimal
    discount_price: Decimal | None
    discount_start: date | None
    discount_end: date | None
    price: Decimal  # what a customer pays for one unit that day


def discount_applies(start: date | None, end: date | None, today: date) -> bool:
    """Whether a discount with these dates runs on `today` (bounds inclusive)."""
    return (start is None or start <= today) and (end is None or today <= end)


def applicable_price(prices: PriceSet, origin: Decimal, today: date) -> Decimal:
    """The unit price of the day: the discount price inside its dates, the origin price else."""
    if prices.discount_price is not None and discount_applies(
        prices.discount_start, prices.discount_end, today
    ):
        return prices.discount_price
    return origin


def origin_price(own: PriceSet, default: PriceSet) -> Decimal | None:
    """A channel's price before discount: its own, else the default channel's."""
    return own.price if own.price is not None else default.price


def channel_pricing(
    channel_code: str,
    prices: PriceSet | None,
    *,
    default: PriceSet,
    is_default: bool,
    today: date,
) -> ChannelPricing | None:
    """The channel's pricing, or None when the offer has no price there.

    A channel's own entry may carry only a discount: its origin price is then the default
    channel's, as the import checks it. A channel without an entry has no price of its own
    (the guide: an offer goes live in Spain once its `[channel=ES_B2C]` columns are filled).
    """
    own = default if is_default else prices
    if own is None:
        return None
    origin = origin_price(own, default)
    if origin is None:
        return None
    return ChannelPricing(
        channel_code=channel_code,
        is_default=is_default,
        origin_price=origin,
        discount_price=own.discount_price,
        discount_start=own.discount_start,
        discount_end=own.discount_end,
        price=applicable_price(own, origin, today),
    )


def _decimal(raw: object) -> Decimal | None:
    return None if raw is None or raw == "" else Decimal(str(raw))


def _date(raw: object) -> date | None:
    return None if raw is None or raw == "" else date.fromisoformat(str(raw))


def stored_channel_prices(raw: Mapping[str, Mapping[str, object]]) -> dict[str, PriceSet]:
    """`Offer.channel_prices` (JSON, prices and dates as strings) as price sets by channel."""
    return {
        channel: PriceSet(
            price=_decimal(entry.get("price")),
            discount_price=_decimal(entry.get("discount_price")),
            discount_start=_date(entry.get("discount_start")),
            discount_end=_date(entry.get("discount_end")),
        )
        for channel, entry in raw.items()
    }


def offer_pricings(
    default: PriceSet,
    specific: Mapping[str, PriceSet],
    *,
    default_channel: str,
    channels: list[str],
    today: date,
) -> list[ChannelPricing]:
    """The offer's pricing on each of `channels` (in that order) where it has a price."""
    pricings = []
    for code in channels:
        pricing = channel_pricing(
            code,
            specific.get(code),
            default=default,
            is_default=code == default_channel,
            today=today,
        )
        if pricing is not None:
            pricings.append(pricing)
    return pricings
