"""Reads on shops. Every shop-scoped read starts from a shop the caller may act for."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet

from mercato.errors import Forbidden, NotFound, Unauthorized
from mercato.offers.selectors import active_offers_count
from mercato.shops.models import ApiKey, Channel, Shop
from mercato.shops.services import hash_api_key


def user_for_api_key(raw_key: str) -> User:
    key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=hash_api_key(raw_key.strip()), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.user.is_active:
        raise Unauthorized("Unauthorized: missing, unknown or revoked API key.")
    return key.user


def shops_of(user: User) -> QuerySet[Shop]:
    return Shop.objects.filter(shopmembership__user_id=user.pk).order_by(
        "shopmembership__created_at", "id"
    )


def shop_for_user(user: User, shop_id: int | None) -> Shop:
    """The shop `user` acts for: `shop_id` when given and allowed, else the default shop."""
    shops = shops_of(user)
    if shop_id is None:
        shop = shops.first()
        if shop is None:
            raise Forbidden("This user has access to no shop.")
        return shop
    shop = shops.filter(id=shop_id).first()
    if shop is None:
        raise Forbidden(f"Access denied to shop {shop_id}.")
    return shop


def all_shops() -> QuerySet[Shop]:
    """Every shop with its channels, for listings."""
    return Shop.objects.prefetch_related("channels").order_by("id")


@dataclass(frozen=True)
class ShopAccount:
    """A shop with the figures that A01 reports next to its own fields."""

    shop: Shop
    channel_codes: list[str]
    offers_count: int
    orders_count: int


def debited_orders_count(shop: Shop) -> int:
    # Orders do not exist yet: a shop has received none. The order issue counts them here.
    return 0


def shop_account(shop: Shop) -> ShopAccount:
    return ShopAccount(
        shop=shop,
        channel_codes=sorted(shop.channels.values_list("code", flat=True)),
        offers_count=active_offers_count(shop),
        orders_count=debited_orders_count(shop),
    )


def all_channels() -> list[Channel]:
    """Every channel, by code (sorted here: database collations order codes differently)."""
    return sorted(Channel.objects.all(), key=lambda channel: channel.code)


def shop_by_id(shop_id: int) -> Shop:
    """Any shop, for the operator's command line (which acts for the marketplace)."""
    shop = Shop.objects.filter(id=shop_id).first()
    if shop is None:
        raise NotFound(f"Shop {shop_id} does not exist.")
    return shop
