"""The forms of Créer un produit: a leaf category, then one field per attribute of it.

The attribute fields are the columns of the category's product file template (required
first), as plain cells: `catalog.product_creation` checks them with the import's rules, and
its issues land beside the field of their attribute, in the interface's language.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mercato.backoffice.forms import Form
from mercato.backoffice.language import localized_label, message_locale
from mercato.catalog.models import AttributeAttachment, AttributeType, RequirementLevel
from mercato.catalog.selectors import sorted_values
from mercato.catalog.validation import ProductIssue


class CategoryChoiceForm(Form):
    category = forms.ChoiceField(label=_("Catégorie du produit"))

    def __init__(self, *args: Any, leaves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = leaves  # type: ignore[attr-defined]


def _field(attachment: AttributeAttachment) -> forms.Field:
    attribute = attachment.attribute
    label = localized_label(attribute.label, attribute.labels) or attribute.code
    if attachment.requirement_level == RequirementLevel.REQUIRED:
        label = f"{label} *"
    help_text = attachment.description
    value_list = attribute.value_list
    if attribute.type == AttributeType.LIST and value_list is not None:
        choices = [("", "—")] + [
            (v.code, localized_label(v.label, v.labels)) for v in sorted_values(value_list)
        ]
        return forms.ChoiceField(label=label, required=False, choices=choices, help_text=help_text)
    if attribute.type == AttributeType.LIST_MULTIPLE_VALUES and value_list is not None:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=[
                (v.code, localized_label(v.label, v.labels)) for v in sorted_values(value_list)
            ],
            help_text=help_text,
        )
    long_text = attribute.type == AttributeType.LONG_TEXT
    widget = forms.Textarea(attrs={"rows": 4}) if long_text else forms.TextInput
    return forms.CharField(label=label, required=False, help_text=help_text, widget=widget)


class ProductForm(Form):
    """Plain cells keyed by attribute code: the product rules, not the form, judge them."""

    def __init__(
        self, data: Mapping[str, Any] | None, *, attachments: Iterable[AttributeAttachment]
    ) -> None:
        super().__init__(data)
        for attachment in attachments:
            if attachment.attribute.type == AttributeType.CATEGORY:
                continue
            field = _field(attachment)
            if attachment.requirement_level == RequirementLevel.REQUIRED:
                field.widget.attrs["aria-required"] = "true"
            self.fields[attachment.attribute.code] = field

    def cells(self) -> dict[str, str]:
        """Each attribute as a file cell; several list values joined with `|`."""
        cells = {}
        for name in self.fields:
            value = self.cleaned_data.get(name)
            cells[name] = "|".join(value) if isinstance(value, list) else str(value or "")
        return cells

    def show_issues(self, issues: Iterable[ProductIssue]) -> None:
        """Each message beside its attribute's field; the others above the form."""
        locale = message_locale()
        for issue in issues:
            field = issue.column if issue.column in self.fields else None
            self.add_error(field, issue.message(locale))
