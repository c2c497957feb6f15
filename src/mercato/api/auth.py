from django.http import HttpRequest
from ninja.security import APIKeyHeader

from mercato.api.context import ShopContext, parse_shop_query
from mercato.shops.selectors import shop_for_user, user_for_api_key


class ShopApiKey(APIKeyHeader):
    """The raw API key in `Authorization` (no `Bearer`), as Mirakl's seller API takes it."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> ShopContext | None:
        if not key:
            return None
        user = user_for_api_key(key)
        shop_id, locale = parse_shop_query(request.GET.get("shop_id"), request.GET.get("locale"))
        return ShopContext(user=user, shop=shop_for_user(user, shop_id), locale=locale)
