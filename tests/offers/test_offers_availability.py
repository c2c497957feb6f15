"""Whether an offer is sellable on a channel, and the contract's reasons when it is not."""

import pytest

from mercato.offers.availability import Availability, availability

SELLABLE = {
    "product_status": "LIVE",
    "shop_state": "OPEN",
    "quantity": 3,
    "shop_sells_on_channel": True,
    "has_price_on_channel": True,
}


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({}, ()),
        ({"product_status": "PENDING"}, ("PRODUCT_STATUS_PENDING",)),
        ({"product_status": "REJECTED"}, ("PRODUCT_STATUS_REJECTED",)),
        ({"product_status": "ARCHIVED"}, ("PRODUCT_STATUS_INVALID",)),
        ({"shop_state": "SUSPENDED"}, ("SHOP_NOT_OPEN",)),
        ({"shop_state": "CLOSE"}, ("SHOP_NOT_OPEN",)),
        ({"quantity": 0}, ("ZERO_QUANTITY",)),
        ({"has_price_on_channel": False}, ("NO_ACTIVE_PRICE",)),
        # Not sold on the channel: whether a price is stored there does not matter.
        ({"shop_sells_on_channel": False}, ("NO_CHANNEL_ON_SHOP",)),
        (
            {"shop_sells_on_channel": False, "has_price_on_channel": False},
            ("NO_CHANNEL_ON_SHOP",),
        ),
        (
            {
                "product_status": "PENDING",
                "shop_state": "CLOSE",
                "quantity": 0,
                "has_price_on_channel": False,
            },
            ("PRODUCT_STATUS_PENDING", "SHOP_NOT_OPEN", "ZERO_QUANTITY", "NO_ACTIVE_PRICE"),
        ),
    ],
)
def test_an_offer_is_active_only_when_every_condition_holds(
    changes: dict[str, object], reasons: tuple[str, ...]
) -> None:
    result = availability(**{**SELLABLE, **changes})  # type: ignore[arg-type]
    assert result == Availability(active=not reasons, inactivity_reasons=reasons)
