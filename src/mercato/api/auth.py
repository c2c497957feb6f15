from django.http import HttpRequest
from ninja.security import APIKeyHeader

from mercato.api.context import ShopContext, parse_locale, parse_shop_id
from mercato.shops.selectors import shop_for_user, user_for_api_key


class ShopApiKey(APIKeyHeader):
    """The raw API key in `Authorization` (no `Bearer`), as Mirakl's seller API takes it."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> ShopContext | None:
        if not key:
            return None
        user = user_for_api_key(key)
        shop = shop_for_user(user, parse_shop_id(request.GET.get("shop_id")))
        return ShopContext(user=user, shop=shop, locale=parse_locale(request.GET.get("locale")))
