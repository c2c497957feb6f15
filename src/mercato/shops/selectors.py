"""Reads on shops. Every shop-scoped read starts from a shop the caller may act for."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from mercato.errors import Forbidden, Unauthorized
from mercato.shops.models import ApiKey, Shop
from mercato.shops.services import hash_api_key


def user_for_api_key(raw_key: str) -> AbstractBaseUser:
    key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=hash_api_key(raw_key.strip()), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.user.is_active:
        raise Unauthorized("Unauthorized: missing, unknown or revoked API key.")
    return key.user


def shops_of(user: AbstractBaseUser) -> QuerySet[Shop]:
    return Shop.objects.filter(shopmembership__user=user).order_by(
        "shopmembership__created_at", "id"
    )


def shop_for_user(user: AbstractBaseUser, shop_id: int | None) -> Shop:
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
