"""Créer un produit, from Ajouter une offre when the catalog has no such product: a leaf
category, then its attributes, with the guide's content advice beside them. The product goes
through the product import's own checks and integration (`catalog.product_creation`)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mercato.backoffice.language import message_locale
from mercato.backoffice.product_forms import CategoryChoiceForm, ProductForm
from mercato.backoffice.selectors import content_advice, leaf_categories
from mercato.backoffice.seller import seller_page
from mercato.catalog.models import Product
from mercato.catalog.product_creation import ProductRefused, create_product
from mercato.catalog.product_template import template_columns
from mercato.shops.models import Shop


@seller_page
def choose_category(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = CategoryChoiceForm(request.GET or None, leaves=leaf_categories())
    if form.is_valid():
        return redirect("backoffice:create_product", category=form.cleaned_data["category"])
    return render(request, "backoffice/new_product.html", {"form": form})


@seller_page
def create_product_page(request: HttpRequest, shop: Shop, category: str) -> HttpResponse:
    leaves = dict(leaf_categories())
    if category not in leaves:
        raise Http404("No such leaf category.")
    form = ProductForm(
        request.POST if request.method == "POST" else None,
        attachments=template_columns(category),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                product = create_product(shop, category, form.cells())
        except ProductRefused as refused:
            form.show_issues(refused.issues)
        else:
            _announce(request, product)
            return redirect("backoffice:sell", product_id=product.id)
    return render(
        request,
        "backoffice/create_product.html",
        {
            "form": form,
            "category_label": leaves[category],
            "advice": content_advice(category, message_locale()),
        },
    )


def _announce(request: HttpRequest, product: Product) -> None:
    if product.status == Product.Status.LIVE:
        text = _("Le produit %(sku)s est en ligne : créez votre offre.")
    else:
        text = _(
            "Le produit %(sku)s attend la validation de l'opérateur : vous pouvez déjà créer "
            "votre offre, elle sera en ligne dès sa validation."
        )
    messages.success(request, text % {"sku": product.product_sku})
