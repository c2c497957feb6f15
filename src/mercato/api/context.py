"""What every authenticated `/api` call knows: who calls, for which shop, in which locale."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from mercato.catalog.localization import DEFAULT_LOCALE, LOCALES, language_of, parse_locale
from mercato.errors import InvalidInput, Unauthorized
from mercato.shops.models import Shop

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "SHOP_QUERY_PARAMETERS",
    "ShopContext",
    "parse_locale",
    "parse_shop_id",
    "parse_shop_query",
    "shop_context",
]


@dataclass(frozen=True)
class ShopContext:
    user: User
    shop: Shop
    locale: str = DEFAULT_LOCALE

    @property
    def language(self) -> str:
        return language_of(self.locale)


def parse_shop_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"Parameter 'shop_id' must be an integer, got '{raw}'.") from None


def parse_shop_query(raw_shop_id: str | None, raw_locale: str | None) -> tuple[int | None, str]:
    """`shop_id` and `locale` of a call; both are checked before either is refused."""
    errors: list[str] = []
    shop_id: int | None = None
    locale = DEFAULT_LOCALE
    try:
        shop_id = parse_shop_id(raw_shop_id)
    except InvalidInput as error:
        errors.append(error.message)
    try:
        locale = parse_locale(raw_locale)
    except InvalidInput as error:
        errors.append(error.message)
    if errors:
        raise InvalidInput(" ".join(errors))
    return shop_id, locale


def shop_context(request: HttpRequest) -> ShopContext:
    """The context that `ShopApiKey` attached to an authenticated request."""
    context: Any = getattr(request, "auth", None)
    if not isinstance(context, ShopContext):
        raise Unauthorized("Unauthorized: send your API key in the Authorization header.")
    return context


# The query parameters that `ShopApiKey` reads on every authenticated operation; the
# operations declare them for the OpenAPI docs only.
SHOP_QUERY_PARAMETERS: dict[str, Any] = {
    "parameters": [
        {
            "in": "query",
            "name": "shop_id",
            "required": False,
            "schema": {"type": "integer", "format": "int64"},
            "description": "Use this parameter when your user has access to several shops. "
            "If not specified, the shop_id from your default shop will be used.",
        },
        {
            "in": "query",
            "name": "locale",
            "required": False,
            "schema": {"type": "string", "enum": list(LOCALES)},
            "description": "Language of the localized labels (default fr_FR).",
        },
    ]
}
