"""The back office's forms: they parse what the seller sends; the services judge it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mercato.imports.models import ImportMode
from mercato.offers.selectors import ACTIVE, INACTIVE, OFFER_SORTS
from mercato.shops.models import Shop


class Form(forms.Form):
    """Labels without a trailing colon: a field is named by its label alone (screen readers,
    the `*` of required fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


OFFERS = "OFFERS"
PRODUCTS = "PRODUCTS"
OFFERS_AND_PRODUCTS = "OFFERS_AND_PRODUCTS"


class ShopChoiceForm(Form):
    shop = forms.TypedChoiceField(label=_("Boutique"), coerce=int)

    def __init__(self, *args: Any, shops: list[Shop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [(s.id, f"{s.name} ({s.id})") for s in shops]  # type: ignore[attr-defined]


class ProductSearchForm(Form):
    q = forms.CharField(
        label=_("Nom du produit, marque ou EAN"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
    )


SORT_LABELS = {
    "sku": _("SKU (A → Z)"),
    "-sku": _("SKU (Z → A)"),
    "price": _("Prix croissant"),
    "-price": _("Prix décroissant"),
    "quantity": _("Stock croissant"),
    "-quantity": _("Stock décroissant"),
    "updated": _("Dernière modification"),
}


class OfferListForm(Form):
    q = forms.CharField(
        label=_("Rechercher (SKU, titre, EAN)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label=_("État"), required=False)
    availability = forms.ChoiceField(
        label=_("En ligne"),
        required=False,
        choices=[("", _("Toutes")), (ACTIVE, _("En ligne")), (INACTIVE, _("Hors ligne"))],
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in OFFER_SORTS],
    )

    def __init__(self, *args: Any, states: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Tous")), *states]  # type: ignore[attr-defined]


class OfferImportForm(Form):
    file = forms.FileField(label=_("Fichier (CSV, XLSX ou XML)"))
    content = forms.ChoiceField(
        label=_("Contenu du fichier"),
        choices=[
            (OFFERS, _("Offres")),
            (PRODUCTS, _("Produits (bientôt disponible)")),
            (OFFERS_AND_PRODUCTS, _("Offres et produits (bientôt disponible)")),
        ],
        initial=OFFERS,
    )
    mode = forms.ChoiceField(
        label=_("Mode d'import"),
        choices=[
            (ImportMode.NORMAL, _("Normal (recommandé)")),
            (ImportMode.PARTIAL_UPDATE, _("Mise à jour partielle")),
            (ImportMode.REPLACE, _("Remplacement")),
        ],
        initial=ImportMode.NORMAL,
        widget=forms.RadioSelect,
    )

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"])
        if content != OFFERS:
            raise forms.ValidationError(
                _("L'import de produits arrive bientôt : choisissez « Offres ».")
            )
        return content


class ReplaceConfirmForm(Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Je confirme"), required=True)
