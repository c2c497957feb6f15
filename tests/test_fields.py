"""JSON values stored as text (mercato.fields.JSONTextField): the columns that imports write
in bulk are text on both databases, and what is saved reads back the same."""

import json
from typing import Any

import pytest
from django import forms
from django.db import connection

from mercato.catalog.models import Category, Product
from mercato.fields import JSONTextField
from mercato.offers.models import Offer

pytestmark = pytest.mark.django_db

JSON_AS_TEXT = [
    (Product, "titles"),
    (Product, "descriptions"),
    (Product, "attributes"),
    (Product, "media"),
    (Offer, "channel_prices"),
    (Offer, "additional_fields"),
]


@pytest.mark.parametrize(("model", "name"), JSON_AS_TEXT)
def test_the_bulk_written_json_columns_are_text(model: Any, name: str) -> None:
    field = model._meta.get_field(name)
    assert isinstance(field, JSONTextField)
    assert field.db_type(connection) == "text"
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, model._meta.db_table)
    kinds = {column.name: column.type_code for column in columns}
    text = "TEXT" if connection.vendor == "sqlite" else 25  # PostgreSQL's oid of text
    assert kinds[name] == text


TRICKY: dict[str, Any] = {
    "titles": {"fr_FR": 'Coque "mate" \\ 6,1″', "es_ES": "Funda\nmate"},
    "descriptions": {},
    "attributes": {"color": "noir", "network-5g": True, "screen-size": 6.1, "none": None},
    "media": ["https://images.example.com/a.jpg", "https://images.example.com/é.png"],
}


def test_a_product_json_column_reads_back_what_was_saved(reference_marketplace: None) -> None:
    category = Category.objects.get(code="coques")
    product = Product.objects.create(product_sku="MP-T", category=category, **TRICKY)
    again = Product.objects.get(id=product.id)
    assert {name: getattr(again, name) for name in TRICKY} == TRICKY
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT titles, descriptions, attributes, media FROM catalog_product WHERE id = %s",
            [product.id],
        )
        stored = cursor.fetchone()
    assert [json.loads(text) for text in stored] == list(TRICKY.values())


@pytest.mark.parametrize(
    ("typed", "valid", "value"),
    [
        ('{"fr_FR": "Coque"}', True, {"fr_FR": "Coque"}),
        ("[1, 2]", True, [1, 2]),
        ('{"fr_FR": ', False, None),
    ],
)
def test_the_form_field_takes_json(typed: str, valid: bool, value: Any) -> None:
    field = Product._meta.get_field("titles").formfield()
    if valid:
        assert field.clean(typed) == value
    else:
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
