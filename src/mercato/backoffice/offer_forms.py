"""The offer forms of Mon stock: their fields are the offer import's columns.

A form's cells, named as the import's columns, become one import line that
`offers.services.save_offer` checks and applies with the import's own rules; the issues it
returns land beside the field of their column, in the interface's language.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from mercato.backoffice.forms import Form
from mercato.backoffice.language import localized_label, message_locale
from mercato.offers.models import OfferField
from mercato.offers.selectors import (
    OfferSettings,
    OfferView,
    logistic_classes,
    offer_field_choices,
    offer_settings,
    offer_states,
)
from mercato.offers.validation import OfferIssue
from mercato.shops.models import Shop

# What the import refuses a line without, marked `*` as the guide asks.
REQUIRED = frozenset({"sku", "state", "price"})
PRICE_COLUMNS = ("price", "discount-price", "discount-start-date", "discount-end-date")


class OfferCellsForm(Form):
    """Plain text cells: the import, not the form, decides what a valid value is."""

    def __init__(
        self,
        data: Mapping[str, str] | None,
        *,
        fields: dict[str, forms.Field],
        initial: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        for name, field in fields.items():
            if name in REQUIRED:
                field.label = f"{field.label} *"
                field.widget.attrs["aria-required"] = "true"
            self.fields[name] = field

    def cells(self) -> dict[str, str]:
        return {name: str(self.cleaned_data.get(name) or "") for name in self.fields}

    def show_issues(self, issues: Iterable[OfferIssue]) -> None:
        """Each message beside its column's field; the others above the form."""
        locale = message_locale()
        for issue in issues:
            field = issue.column if issue.column in self.fields else None
            self.add_error(field, issue.message(locale))


def _text(label: str, *, help_text: str = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=255,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _date(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])


def _price_fields(suffix: str, channel: str) -> dict[str, forms.Field]:
    where = f" ({channel})" if channel else ""
    return {
        f"price{suffix}": _text(_("Prix") + where, inputmode="decimal"),
        f"discount-price{suffix}": _text(
            _("Prix remisé") + where,
            inputmode="decimal",
            help_text=_("Doit être inférieur au prix : le prix initial apparaît alors barré."),
        ),
        f"discount-start-date{suffix}": _date(_("Début de la remise") + where),
        f"discount-end-date{suffix}": _date(_("Fin de la remise") + where),
    }


def _channel_price_fields(settings: OfferSettings) -> dict[str, forms.Field]:
    """The prices of the channels the shop sells on besides the default one (ES_B2C)."""
    fields: dict[str, forms.Field] = {}
    for code in settings.channels:
        if code != settings.default_channel:
            fields.update(_price_fields(f"[channel={code}]", code))
    return fields


def _offer_field(offer_field: OfferField) -> forms.Field:
    label = localized_label(offer_field.label, offer_field.labels)
    if offer_field.type in ("LIST", "LIST_MULTIPLE_VALUES"):
        choices = [
            (code, localized_label(text, labels))
            for code, text, labels in offer_field_choices(offer_field)
        ]
        return _choice(label, choices)
    if offer_field.type in ("INTEGER", "DECIMAL", "NUMERIC"):
        return _text(label, inputmode="numeric")
    return _text(label)


def sell_form(shop: Shop, data: Mapping[str, str] | None = None) -> OfferCellsForm:
    """Ajouter une offre: every column a seller sets on a new offer."""
    settings = offer_settings(shop)
    states = [(s.code, localized_label(s.label, s.labels)) for s in offer_states(active=True)]
    classes = [(c.code, localized_label(c.label, c.labels)) for c in logistic_classes()]
    fields: dict[str, forms.Field] = {
        "sku": _text(_("SKU de l'offre"), help_text=_("Votre référence, unique par offre.")),
        "state": _choice(_("État"), states),
        "quantity": _text(_("Quantité en stock"), inputmode="numeric"),
        **_price_fields("", ""),
        "leadtime-to-ship": _text(
            _("Délai d'expédition (en jours)"),
            inputmode="numeric",
            help_text=_("0 si la commande part le jour même."),
        ),
        "logistic-class": _choice(_("Classe logistique"), classes),
    }
    fields.update({f.code: _offer_field(f) for f in settings.fields})
    fields.update(_channel_price_fields(settings))
    return OfferCellsForm(data, fields=fields)


def _cell(value: Decimal | date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def price_form(
    shop: Shop, view: OfferView, data: Mapping[str, str] | None = None
) -> OfferCellsForm:
    """Éditer le prix: the default channel's prices and those of the shop's other channels."""
    offer = view.offer
    initial = {
        "price": _cell(offer.price),
        "discount-price": _cell(offer.discount_price),
        "discount-start-date": _cell(offer.discount_start),
        "discount-end-date": _cell(offer.discount_end),
    }
    for channel, entry in offer.channel_prices.items():
        for column, key in zip(PRICE_COLUMNS, ("price", "discount_price", "discount_start",
                                              "discount_end"), strict=True):  # fmt: skip
            initial[f"{column}[channel={channel}]"] = _cell(entry.get(key))
    fields = {**_price_fields("", ""), **_channel_price_fields(offer_settings(shop))}
    return OfferCellsForm(data, fields=fields, initial=initial)


def price_cells(view: OfferView, form: OfferCellsForm) -> dict[str, str]:
    """The price form as an import line on the offer: its sku, its state kept as it is."""
    return {"sku": view.offer.sku, "state": view.offer.state, **form.cells()}
