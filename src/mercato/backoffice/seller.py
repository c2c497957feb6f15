"""Which shop a signed-in user acts for: chosen once per session among the user's shops.

Every seller page goes through `seller_page`: signed in, a shop chosen and still one of the
user's, else back to the login or the shop choice. Pages take that shop and nothing else as
their tenant: every read and write under it is scoped by the selectors and services.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from mercato.errors import Forbidden, NotFound
from mercato.shops.models import Shop
from mercato.shops.selectors import shop_for_user, shops_of

SHOP_SESSION_KEY = "backoffice_shop_id"


def current_shop(request: HttpRequest) -> Shop | None:
    """The session's shop while the user still belongs to it; None when none is chosen."""
    shop_id = request.session.get(SHOP_SESSION_KEY)
    if shop_id is None:
        return None
    assert isinstance(request.user, User)
    try:
        return shop_for_user(request.user, int(shop_id))
    except Forbidden:
        del request.session[SHOP_SESSION_KEY]
        return None


def choose_shop(request: HttpRequest, shop_id: int) -> Shop:
    """Act for `shop_id` from now on; Forbidden when the user does not belong to it."""
    assert isinstance(request.user, User)
    shop = shop_for_user(request.user, shop_id)
    request.session[SHOP_SESSION_KEY] = shop.id
    return shop


def only_shop(user: User) -> Shop | None:
    """The user's shop when there is exactly one to choose from."""
    shops = list(shops_of(user)[:2])
    return shops[0] if len(shops) == 1 else None


def seller_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in, acting for a shop; another shop's object is a 404, like a missing one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        shop = current_shop(request)
        if shop is None:
            assert isinstance(request.user, User)
            shop = only_shop(request.user)
            if shop is None:
                return redirect("backoffice:choose_shop")
            request.session[SHOP_SESSION_KEY] = shop.id
        request.shop = shop  # type: ignore[attr-defined]  # for the layout's header
        try:
            return view(request, shop, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return login_required(wrapper)
