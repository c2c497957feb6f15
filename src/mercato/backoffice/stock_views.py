"""Mon stock: find a catalog product and sell it, the list of the shop's offers, editing an
offer's price, and the import-format export for bulk edits."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mercato.backoffice.forms import OfferListForm, ProductSearchForm
from mercato.backoffice.language import localized_label
from mercato.backoffice.offer_forms import price_cells, price_form, sell_form
from mercato.backoffice.seller import seller_page
from mercato.errors import DomainError
from mercato.offers.export import export_offers_file
from mercato.offers.selectors import (
    OfferListQuery,
    competing_offers,
    offer_list_page,
    offer_of,
    offer_states,
    sellable_product,
    sellable_products,
    shop_offer_on,
)
from mercato.offers.services import OfferRejected, save_offer
from mercato.shops.models import Shop

SEARCH_LIMIT = 30
PER_PAGE = 50


def _state_labels() -> dict[str, str]:
    return {s.code: localized_label(s.label, s.labels) for s in offer_states()}


@seller_page
def add_offer(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = ProductSearchForm(request.GET or None)
    products = sellable_products(form.cleaned_data["q"], SEARCH_LIMIT) if form.is_valid() else []
    return render(
        request,
        "backoffice/add_offer.html",
        {"form": form, "products": products, "searched": form.is_bound, "limit": SEARCH_LIMIT},
    )


@seller_page
def sell_product(request: HttpRequest, shop: Shop, product_id: int) -> HttpResponse:
    product = sellable_product(product_id)
    form = sell_form(shop, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cells = {**form.cells(), "product-id": product.product_sku, "product-id-type": "SKU"}
        try:
            with transaction.atomic():
                offer = save_offer(shop, cells)
        except OfferRejected as rejected:
            form.show_issues(rejected.issues)
        else:
            messages.success(request, _("L'offre %(sku)s est enregistrée.") % {"sku": offer.sku})
            return redirect(reverse("backoffice:offers") + "?" + urlencode({"q": offer.sku}))
    return render(
        request,
        "backoffice/sell.html",
        {"form": form, "product": product, "existing": shop_offer_on(shop, product)},
    )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


@seller_page
def offer_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    labels = _state_labels()
    form = OfferListForm(request.GET, states=list(labels.items()))
    form.is_valid()  # an unknown choice is dropped, the other filters still apply
    data = form.cleaned_data
    query = OfferListQuery(
        search=data.get("q") or "",
        state=data.get("state") or "",
        availability=data.get("availability") or "",
        sort=data.get("sort") or "sku",
    )
    page = offer_list_page(shop, query, _page_number(request), PER_PAGE)
    kept = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "backoffice/offers.html",
        {
            "form": form,
            "page": page,
            "state_labels": labels,
            "query_string": urlencode(kept),
        },
    )


@seller_page
def edit_price(request: HttpRequest, shop: Shop, offer_id: int) -> HttpResponse:
    view = offer_of(shop, offer_id)
    form = price_form(shop, view, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                offer = save_offer(shop, price_cells(view, form))
        except OfferRejected as rejected:
            form.show_issues(rejected.issues)
        else:
            messages.success(
                request, _("Le prix de l'offre %(sku)s est enregistré.") % {"sku": offer.sku}
            )
            return redirect(reverse("backoffice:offers") + "?" + urlencode({"q": offer.sku}))
    return render(
        request,
        "backoffice/edit_price.html",
        {
            "form": form,
            "view": view,
            "state_labels": _state_labels(),
            "competitors": competing_offers(shop, view.offer.product_id),
        },
    )


@seller_page
def export_offers(request: HttpRequest, shop: Shop) -> HttpResponseBase:
    try:
        with transaction.atomic():
            exported = export_offers_file(shop, request.GET.get("format"))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("backoffice:offers")
    return FileResponse(
        exported.file,
        as_attachment=True,
        filename=exported.filename,
        content_type=exported.content_type,
    )
