"""Writes on shops, their users and API keys. Callers own the transaction."""

import hashlib
import uuid
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from mercato.catalog.configuration_types import ChannelConfig
from mercato.errors import Conflict, InvalidInput, NotFound
from mercato.reconcile import SyncCounts, sync_by_code
from mercato.shops.models import ApiKey, Channel, Shop, ShopMembership

FIRST_SHOP_ID = 2000


def hash_api_key(raw_key: str) -> str:
    # Keys are random UUIDs (122 bits): a plain digest is enough, and it allows an
    # indexed lookup per request, which a salted slow hash would not.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def next_shop_id() -> int:
    highest = Shop.objects.aggregate(highest=Max("id"))["highest"]
    return max(FIRST_SHOP_ID, (highest or FIRST_SHOP_ID - 1) + 1)


def _channels(codes: Iterable[str] | None) -> list[Channel]:
    if codes is None:
        return list(Channel.objects.filter(is_default=True))
    wanted = [c.strip() for c in codes if c.strip()]
    found = {c.code: c for c in Channel.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        known = ", ".join(Channel.objects.values_list("code", flat=True)) or "none"
        raise InvalidInput(f"Unknown channel {', '.join(unknown)}; known channels: {known}.")
    return [found[c] for c in wanted]


def create_shop(
    name: str,
    *,
    shop_id: int | None = None,
    channels: Iterable[str] | None = None,
    email: str = "",
) -> tuple[Shop, User]:
    """Create an open shop and the user that administers it."""
    name = name.strip()
    if not name:
        raise InvalidInput("A shop needs a name.")
    if Shop.objects.filter(name=name).exists():
        raise Conflict(f"A shop named {name!r} already exists.")
    if shop_id is None:
        shop_id = next_shop_id()
    elif shop_id <= 0:
        raise InvalidInput("A shop id is a positive integer.")
    elif Shop.objects.filter(id=shop_id).exists():
        raise Conflict(f"Shop id {shop_id} is taken; leave --id out to get the next free one.")
    shop = Shop.objects.create(id=shop_id, name=name, email=email)
    shop.channels.set(_channels(channels))
    user = get_user_model().objects.create_user(
        username=f"{slugify(name)[:100] or 'shop'}-{shop_id}", email=email
    )
    ShopMembership.objects.create(user=user, shop=shop)
    return shop, user


def issue_api_key(user: User) -> str:
    """Give `user` a new key, revoke the previous ones, and return the raw key (shown once)."""
    ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw_key = str(uuid.uuid4())
    ApiKey.objects.create(user=user, key_hash=hash_api_key(raw_key), prefix=raw_key[:8])
    return raw_key


def shop_owner(shop: Shop) -> User:
    membership = ShopMembership.objects.filter(shop=shop).select_related("user").first()
    if membership is None:
        raise NotFound(f"Shop {shop.id} has no user.")
    return membership.user


def issue_shop_api_key(shop_id: int) -> str:
    """A new key for the shop's first user; the old ones stop working."""
    shop = Shop.objects.filter(id=shop_id).first()
    if shop is None:
        raise NotFound(f"Shop {shop_id} does not exist.")
    return issue_api_key(shop_owner(shop))


def revoke_api_keys(keys: Iterable[ApiKey]) -> int:
    ids = [k.id for k in keys]
    return ApiKey.objects.filter(id__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def set_channel_open(shop: Shop, channel_code: str, is_open: bool) -> None:
    channel = Channel.objects.filter(code=channel_code).first()
    if channel is None:
        raise InvalidInput(f"Unknown channel {channel_code}.")
    if is_open:
        shop.channels.add(channel)
    else:
        shop.channels.remove(channel)


def sync_channels(channels: Iterable[ChannelConfig]) -> SyncCounts:
    """Make the sales channels exactly `channels` (from the operator's channels.csv), by code."""
    return sync_by_code(
        Channel,
        {
            c.code: {
                "code": c.code,
                "label": c.label,
                "labels": dict(c.labels),
                "is_default": c.is_default,
                "currency": c.currency,
                "position": c.position,
            }
            for c in channels
        },
    )
