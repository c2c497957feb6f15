"""Reads for Mon compte that the shops app does not offer: the user's current API key and
the shop's channels with their labels."""

from django.contrib.auth.models import User

from mercato.shops.models import ApiKey, Channel, Shop


def shop_channels(shop: Shop) -> list[Channel]:
    """The channels the shop sells on, by code (sorted here: collations differ)."""
    return sorted(shop.channels.all(), key=lambda channel: channel.code)


def active_api_key(user: User) -> ApiKey | None:
    """The user's key in use (its prefix only is known: the key itself was shown once)."""
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at").first()
