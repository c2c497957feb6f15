"""Pages of the back office: the landing page, signing in, the shop choice, the dashboard and
Mon compte. Mon stock is in stock_views, file imports in import_views.

Views parse (forms), call one service or selector, and render; writes run in a transaction
that the view owns.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import mercato
from mercato.backoffice.account import active_api_key, shop_channels
from mercato.backoffice.forms import ConfirmForm, ShopChoiceForm
from mercato.backoffice.language import message_locale
from mercato.backoffice.selectors import products_in_review
from mercato.backoffice.seller import choose_shop as act_for_shop
from mercato.backoffice.seller import current_shop, seller_page
from mercato.catalog.models import Product
from mercato.catalog.quality_summary import CatalogQuality, quality_card
from mercato.errors import Forbidden
from mercato.offers.selectors import (
    imports_in_progress,
    imports_with_errors,
    offer_counts,
    pending_products_count,
)
from mercato.orders.selectors import awaiting_acceptance
from mercato.shops.models import Shop
from mercato.shops.selectors import shops_of
from mercato.shops.services import issue_api_key

PRODUCTS_SHOWN = 5
ORDERS_SHOWN = 10


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html", {"version": mercato.__version__})


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def choose_shop(request: HttpRequest) -> HttpResponse:
    shops = list(shops_of(_user(request)))
    form = ShopChoiceForm(request.POST or None, shops=shops)
    if request.method == "POST" and form.is_valid():
        try:
            act_for_shop(request, form.cleaned_data["shop"])
        except Forbidden as error:
            messages.error(request, error.message)
        else:
            return redirect("backoffice:dashboard")
    return render(
        request,
        "backoffice/choose_shop.html",
        {"form": form, "shops": shops, "shop": current_shop(request)},
    )


def _quality(shop: Shop) -> CatalogQuality:
    # A stale summary's refresh is queued when this transaction commits.
    with transaction.atomic():
        return quality_card(shop, worst=PRODUCTS_SHOWN, locale=message_locale())


@seller_page
def dashboard(request: HttpRequest, shop: Shop) -> HttpResponse:
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "awaiting": awaiting_acceptance(shop, limit=ORDERS_SHOWN),
            "counts": offer_counts(shop),
            "running": imports_in_progress(shop, limit=5),
            "with_errors": imports_with_errors(shop, limit=5),
            "pending_products": pending_products_count(shop),
            "pending": products_in_review(shop, Product.Status.PENDING, PRODUCTS_SHOWN),
            "rejected": products_in_review(shop, Product.Status.REJECTED, PRODUCTS_SHOWN),
            "quality": _quality(shop),
        },
    )


@seller_page
def quality(request: HttpRequest, shop: Shop) -> HttpResponse:
    """The content-quality card alone, polled by htmx until its summary is fresh."""
    return render(request, "backoffice/_quality_card.html", {"quality": _quality(shop)})


@never_cache
@seller_page
def account(request: HttpRequest, shop: Shop) -> HttpResponse:
    return _account_page(request, shop, new_key=None, form=ConfirmForm())


def _account_page(
    request: HttpRequest, shop: Shop, *, new_key: str | None, form: ConfirmForm
) -> HttpResponse:
    return render(
        request,
        "backoffice/account.html",
        {
            "shop": shop,
            "channels": shop_channels(shop),
            "api_key": active_api_key(_user(request)),
            "new_key": new_key,
            "form": form,
        },
    )


@never_cache
@require_POST
@seller_page
def regenerate_api_key(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cochez la confirmation pour générer une nouvelle clé."))
        return _account_page(request, shop, new_key=None, form=form)
    with transaction.atomic():
        # The page shows the key once: it is stored hashed and cannot be shown again.
        raw_key = issue_api_key(_user(request))
    messages.success(request, _("Nouvelle clé d'API générée : l'ancienne ne fonctionne plus."))
    return _account_page(request, shop, new_key=raw_key, form=ConfirmForm())
