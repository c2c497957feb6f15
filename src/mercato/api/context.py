"""What every authenticated `/api` call knows: who calls, for which shop, in which locale."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from mercato.errors import InvalidInput
from mercato.shops.models import Shop

LOCALES = {"fr_FR": "fr", "en_US": "en", "es_ES": "es"}
DEFAULT_LOCALE = "fr_FR"


@dataclass(frozen=True)
class ShopContext:
    user: AbstractBaseUser
    shop: Shop
    locale: str = DEFAULT_LOCALE

    @property
    def language(self) -> str:
        return LOCALES[self.locale]


def parse_locale(raw: str | None) -> str:
    if raw is None or raw == "":
        return DEFAULT_LOCALE
    if raw in LOCALES:
        return raw
    raise InvalidInput(
        f"Unsupported locale '{raw}': use one of {', '.join(LOCALES)} (default {DEFAULT_LOCALE})."
    )


def parse_shop_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"Parameter 'shop_id' must be an integer, got '{raw}'.") from None
