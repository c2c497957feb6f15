"""Model fields shared by the apps."""

import json
from typing import Any

from django import forms
from django.db import models


class JSONTextField(models.TextField):
    """A JSON value stored as text on every database.

    Imports write millions of offers and hundreds of thousands of products at once, and
    PostgreSQL parses every jsonb value it receives: for the two small JSON columns of an
    offer, that parsing doubled the cost of COPYing the rows; for a product's four (titles,
    descriptions, attributes, media) it was a fifth of the cost. Nothing queries inside these
    values, so text loses nothing.
    """

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as error:
                raise forms.ValidationError(f"Not JSON: {error}") from error
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value)

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
