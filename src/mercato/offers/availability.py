"""Whether an offer can be sold on a channel, and if not, why.

The reasons are the contract's documented `inactivity_reasons` codes (OF21/OF22), so that
clients written against the seller API recognise them. They come in the contract's order.
"""

from dataclasses import dataclass

from mercato.catalog.models import Product
from mercato.shops.models import Shop

PRODUCT_STATUS_PENDING = "PRODUCT_STATUS_PENDING"
PRODUCT_STATUS_REJECTED = "PRODUCT_STATUS_REJECTED"
# The contract's catch-all for a product that is not sellable for another reason.
PRODUCT_STATUS_INVALID = "PRODUCT_STATUS_INVALID"
SHOP_NOT_OPEN = "SHOP_NOT_OPEN"
ZERO_QUANTITY = "ZERO_QUANTITY"
# The shop does not sell on the channel asked for.
NO_CHANNEL_ON_SHOP = "NO_CHANNEL_ON_SHOP"
# The offer has no price on the channel asked for.
NO_ACTIVE_PRICE = "NO_ACTIVE_PRICE"

_PRODUCT_REASONS: dict[str, str] = {
    Product.Status.PENDING: PRODUCT_STATUS_PENDING,
    Product.Status.REJECTED: PRODUCT_STATUS_REJECTED,
}


@dataclass(frozen=True)
class Availability:
    active: bool
    inactivity_reasons: tuple[str, ...]


def availability(
    *,
    product_status: str,
    shop_state: str,
    quantity: int,
    shop_sells_on_channel: bool,
    has_price_on_channel: bool,
) -> Availability:
    """An offer is sellable when its product is LIVE, its shop OPEN, its stock above zero and
    it has a price on a channel its shop sells on; every failed condition is a reason."""
    reasons: list[str] = []
    if product_status != Product.Status.LIVE:
        reasons.append(_PRODUCT_REASONS.get(product_status, PRODUCT_STATUS_INVALID))
    if shop_state != Shop.State.OPEN:
        reasons.append(SHOP_NOT_OPEN)
    if quantity <= 0:
        reasons.append(ZERO_QUANTITY)
    if not shop_sells_on_channel:
        reasons.append(NO_CHANNEL_ON_SHOP)
    elif not has_price_on_channel:
        reasons.append(NO_ACTIVE_PRICE)
    return Availability(active=not reasons, inactivity_reasons=tuple(reasons))
