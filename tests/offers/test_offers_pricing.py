"""The price of an offer on a channel on a given day (pure functions, "today" given)."""

from datetime import date
from decimal import Decimal

import pytest

from mercato.offers.pricing import (
    ChannelPricing,
    PriceSet,
    applicable_price,
    channel_pricing,
    discount_applies,
    offer_pricings,
    stored_channel_prices,
)

TODAY = date(2024, 6, 15)
BEFORE = date(2024, 6, 14)
AFTER = date(2024, 6, 16)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, True),  # no dates: permanent
        (BEFORE, None, True),  # a start alone: from that day on
        (TODAY, None, True),
        (AFTER, None, False),
        (None, AFTER, True),  # an end alone: until that day
        (None, TODAY, True),
        (None, BEFORE, False),
        (BEFORE, AFTER, True),
        (TODAY, TODAY, True),  # both bounds inclusive
        (AFTER, date(2024, 6, 30), False),
        (date(2024, 6, 1), BEFORE, False),
    ],
)
def test_discount_applies_inside_its_dates_inclusive(
    start: date | None, end: date | None, expected: bool
) -> None:
    assert discount_applies(start, end, TODAY) is expected


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        (PriceSet(Decimal("20.00")), Decimal("20.00")),
        (PriceSet(Decimal("20.00"), Decimal("15.00")), Decimal("15.00")),
        (PriceSet(Decimal("20.00"), Decimal("15.00"), BEFORE, AFTER), Decimal("15.00")),
        (PriceSet(Decimal("20.00"), Decimal("15.00"), AFTER, None), Decimal("20.00")),
        (PriceSet(Decimal("20.00"), Decimal("15.00"), None, BEFORE), Decimal("20.00")),
        (PriceSet(Decimal("20.00"), None, BEFORE, AFTER), Decimal("20.00")),
    ],
)
def test_applicable_price_is_the_discount_only_while_it_runs(
    prices: PriceSet, expected: Decimal
) -> None:
    assert applicable_price(prices, Decimal("20.00"), TODAY) == expected


DEFAULT = PriceSet(Decimal("100.00"), Decimal("80.00"), BEFORE, AFTER)


@pytest.mark.parametrize(
    ("channel", "own", "is_default", "default", "expected"),
    [
        (
            "FR_B2C",
            None,
            True,
            DEFAULT,
            ChannelPricing(
                "FR_B2C", True, Decimal("100.00"), Decimal("80.00"), BEFORE, AFTER, Decimal("80.00")
            ),
        ),
        ("FR_B2C", None, True, PriceSet(), None),  # no price at all
        ("ES_B2C", None, False, DEFAULT, None),  # no entry: no price on the channel
        (
            "ES_B2C",
            PriceSet(Decimal("110.00")),
            False,
            DEFAULT,
            # the default channel's discount is not the channel's
            ChannelPricing("ES_B2C", False, Decimal("110.00"), None, None, None, Decimal("110.00")),
        ),
        (
            "ES_B2C",
            PriceSet(None, Decimal("90.00"), AFTER, None),
            False,
            DEFAULT,
            # a discount-only entry takes the default origin price; not started yet
            ChannelPricing(
                "ES_B2C", False, Decimal("100.00"), Decimal("90.00"), AFTER, None, Decimal("100.00")
            ),
        ),
        ("ES_B2C", PriceSet(None, Decimal("90.00")), False, PriceSet(), None),
    ],
)
def test_channel_pricing(
    channel: str,
    own: PriceSet | None,
    is_default: bool,
    default: PriceSet,
    expected: ChannelPricing | None,
) -> None:
    assert (
        channel_pricing(channel, own, default=default, is_default=is_default, today=TODAY)
        == expected
    )


def test_stored_channel_prices_parse_the_json_strings() -> None:
    raw = {
        "ES_B2C": {
            "price": "21.00",
            "discount_price": "19.50",
            "discount_start": "2024-06-01",
            "discount_end": None,
        },
        "IT_B2C": {"price": None, "discount_price": "5.00"},
    }
    assert stored_channel_prices(raw) == {
        "ES_B2C": PriceSet(Decimal("21.00"), Decimal("19.50"), date(2024, 6, 1), None),
        "IT_B2C": PriceSet(None, Decimal("5.00"), None, None),
    }


def test_offer_pricings_keep_the_channels_order_and_skip_those_without_a_price() -> None:
    specific = {"ES_B2C": PriceSet(Decimal("110.00")), "DE_B2C": PriceSet(Decimal("120.00"))}
    pricings = offer_pricings(
        PriceSet(Decimal("100.00")),
        specific,
        default_channel="FR_B2C",
        channels=["FR_B2C", "IT_B2C", "ES_B2C"],  # DE_B2C is not one of the shop's channels
        today=TODAY,
    )
    assert [(p.channel_code, p.is_default, p.price) for p in pricings] == [
        ("FR_B2C", True, Decimal("100.00")),
        ("ES_B2C", False, Decimal("110.00")),
    ]
