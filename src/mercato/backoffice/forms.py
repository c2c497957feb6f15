"""The back office's forms: they parse what the seller sends; the services judge it."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from mercato.catalog.mapping_proposals import CATEGORY, COLUMN, Proposal
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
SHOP_FORMAT = "SHOP"
OPERATOR_FORMAT = "OPERATOR"


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
            (PRODUCTS, _("Produits")),
            (OFFERS_AND_PRODUCTS, _("Offres et produits")),
        ],
        initial=OFFERS,
    )
    product_format = forms.ChoiceField(
        label=_("Format du fichier produits"),
        choices=[
            (SHOP_FORMAT, _("Mon format (le mapping de la boutique s'applique)")),
            (OPERATOR_FORMAT, _("Format de l'opérateur (modèle de fichier)")),
        ],
        initial=SHOP_FORMAT,
        required=False,
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

    def clean_file(self) -> UploadedFile:
        """The API's size limit (MERCATO_MAX_UPLOAD_MB) holds here too."""
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.MERCATO_MAX_UPLOAD_BYTES
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                _(
                    "Ce fichier dépasse la taille maximale de %(limit)s Mo : découpez-le en "
                    "plusieurs fichiers."
                ),
                params={"limit": limit // (1024 * 1024)},
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("content") == OFFERS_AND_PRODUCTS
            and cleaned.get("mode") == ImportMode.REPLACE
        ):
            self.add_error(
                "mode",
                _(
                    "Le remplacement s'applique à un fichier d'offres seules : choisissez le "
                    "mode normal ou la mise à jour partielle pour un fichier d'offres et "
                    "produits."
                ),
            )
        return cleaned

    @property
    def operator_format(self) -> bool:
        return self.cleaned_data.get("product_format") == OPERATOR_FORMAT


TEMPLATE_XLSX = "XLSX"
TEMPLATE_CSV = "CSV"


class TemplateForm(Form):
    """The category whose attributes make the template's columns; none: every attribute."""

    category = forms.ChoiceField(label=_("Catégorie"), required=False)
    # Absent (a link to the page with a category only): the workbook.
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(TEMPLATE_XLSX, "Excel (XLSX)"), (TEMPLATE_CSV, "CSV")],
        widget=forms.RadioSelect,
        initial=TEMPLATE_XLSX,
        required=False,
    )
    with_offers = forms.BooleanField(
        label=_("Avec les colonnes des offres (fichier Offres et produits)"), required=False
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Toutes les catégories")), *categories]  # type: ignore[attr-defined]


class ReplaceConfirmForm(Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Je confirme"), required=True)


@dataclass(frozen=True)
class UnmappedItem:
    kind: str  # COLUMN, CATEGORY or VALUE
    attribute: str  # the attribute whose value it is (VALUE only)
    source: str
    proposal: Proposal | None


class ProposalsForm(Form):
    """One target per unmapped item, the proposal's to start with; a blank one is skipped."""

    def __init__(self, *args: Any, items: list[UnmappedItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            self.fields[f"target_{index}"] = forms.CharField(
                label=item.source,
                max_length=200,
                required=False,
                initial=item.proposal.target if item.proposal else "",
            )

    def target_fields(self) -> list[forms.BoundField]:
        return [self[f"target_{index}"] for index in range(len(self.items))]

    def entries(self) -> dict[str, Any]:
        """The filled targets as `merge_mapping`'s columns, categories and values."""
        columns: dict[str, str] = {}
        categories: dict[str, str] = {}
        values: dict[str, dict[str, str]] = {}
        for index, item in enumerate(self.items):
            target = self.cleaned_data[f"target_{index}"].strip()
            if not target:
                continue
            if item.kind == COLUMN:
                columns[item.source] = target
            elif item.kind == CATEGORY:
                categories[item.source] = target
            else:
                values.setdefault(item.attribute, {})[item.source] = target
        return {"columns": columns, "categories": categories, "values": values}


class MappingFileForm(Form):
    file = forms.FileField(label=_("Fichier de mapping (CSV : type;attribute;source;target)"))
