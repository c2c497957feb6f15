"""H11, PM11, VL11 and P31 on a small catalog built here, then on the reference marketplace."""

from typing import Any

import pytest
from django.test import Client

from contract import assert_matches_contract


def _ok(client: Client, operation_id: str, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation_id, 200, body)
    return body


def _error(client: Client, url: str, status: int, message: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json() == {"message": message, "status": status}


# --- H11 -----------------------------------------------------------------------------------


def _fr(label: str) -> dict[str, str]:
    return {"locale": "fr", "value": label}


HIERARCHY = {
    "audio": {
        "code": "audio",
        "label": "Audio",
        "label_translations": [_fr("Audio")],
        "level": 1,
        "parent_code": "",
    },
    "maison": {
        "code": "maison",
        "label": "Maison",
        "label_translations": [
            {"locale": "en", "value": "Home"},
            {"locale": "es", "value": "Casa"},
            _fr("Maison"),
        ],
        "level": 1,
        "parent_code": "",
    },
    "cuisine": {
        "code": "cuisine",
        "label": "Cuisine",
        "label_translations": [
            {"locale": "en", "value": "Kitchen"},
            {"locale": "es", "value": "Cocina"},
            _fr("Cuisine"),
        ],
        "level": 2,
        "parent_code": "maison",
    },
    "bouilloires": {
        "code": "bouilloires",
        "label": "Bouilloires",
        "label_translations": [
            {"locale": "en", "value": "Kettles"},
            {"locale": "es", "value": "Hervidores"},
            _fr("Bouilloires"),
        ],
        "level": 3,
        "parent_code": "cuisine",
    },
    "cafetieres": {
        "code": "cafetieres",
        "label": "Cafetières",
        "label_translations": [{"locale": "en", "value": "Coffee makers"}, _fr("Cafetières")],
        "level": 3,
        "parent_code": "cuisine",
    },
    "jardin": {
        "code": "jardin",
        "label": "Jardin",
        "label_translations": [{"locale": "en", "value": "Garden"}, _fr("Jardin")],
        "level": 2,
        "parent_code": "maison",
    },
}


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["audio", "maison", "cuisine", "bouilloires", "cafetieres", "jardin"]),
        ("max_level=1", ["audio", "maison"]),
        ("max_level=2", ["audio", "maison", "cuisine", "jardin"]),
        ("max_level=0", []),
        ("hierarchy=maison", ["maison", "cuisine", "bouilloires", "cafetieres", "jardin"]),
        ("hierarchy=maison&max_level=1", ["maison", "cuisine", "jardin"]),
        ("hierarchy=cuisine", ["maison", "cuisine", "bouilloires", "cafetieres"]),
        ("hierarchy=cuisine&max_level=0", ["maison", "cuisine"]),
        ("hierarchy=cafetieres", ["maison", "cuisine", "cafetieres"]),
        ("hierarchy=audio&max_level=5", ["audio"]),
    ],
)
def test_h11_returns_the_tree_in_reading_order(
    small_catalog: Any, api: Client, query: str, codes: list[str]
) -> None:
    body = _ok(api, "H11", f"/api/hierarchies?{query}")
    assert body == {"hierarchies": [HIERARCHY[code] for code in codes]}


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("fr_FR", ["Maison", "Cuisine", "Bouilloires", "Cafetières"]),
        ("en_US", ["Home", "Kitchen", "Kettles", "Coffee makers"]),
        ("es_ES", ["Casa", "Cocina", "Hervidores", "Cafetières"]),
    ],
)
def test_h11_labels_follow_the_locale(
    small_catalog: Any, api: Client, locale: str, labels: list[str]
) -> None:
    body = _ok(api, "H11", f"/api/hierarchies?hierarchy=cuisine&locale={locale}")
    assert [h["label"] for h in body["hierarchies"]] == labels
    assert (
        body["hierarchies"][2]["label_translations"]
        == HIERARCHY["bouilloires"]["label_translations"]
    )


def test_h11_an_unknown_hierarchy_is_not_found(small_catalog: Any, api: Client) -> None:
    _error(api, "/api/hierarchies?hierarchy=nope", 404, "Hierarchy 'nope' does not exist.")


def test_h11_on_an_empty_catalog_is_an_empty_list(api: Client) -> None:
    assert _ok(api, "H11", "/api/hierarchies") == {"hierarchies": []}


# --- PM11 ----------------------------------------------------------------------------------


def _attribute(code: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": code,
        "description": None,
        "description_translations": [],
        "hierarchy_code": "",
        "roles": [],
        "type_parameter": "",
        "type_parameters": [],
        "validations": None,
        "variant": False,
        "values_list": None,
        "locale": None,
    }
    base.update(fields)
    level = base["requirement_level"]
    base["required"] = level == "REQUIRED"
    return base


def _role(type_: str) -> list[dict[str, Any]]:
    return [{"type": type_, "parameters": []}]


ATTRIBUTES = {
    "category": _attribute(
        "category",
        label="Catégorie",
        label_translations=[{"locale": "en", "value": "Category"}, _fr("Catégorie")],
        description="Code de la catégorie feuille",
        description_translations=[_fr("Code de la catégorie feuille")],
        requirement_level="REQUIRED",
        roles=_role("CATEGORY"),
        type="CATEGORY",
    ),
    "sku": _attribute(
        "sku",
        label="SKU produit",
        label_translations=[{"locale": "en", "value": "Shop SKU"}, _fr("SKU produit")],
        requirement_level="REQUIRED",
        roles=_role("SHOP_SKU"),
        type="TEXT",
        validations="MAX_LENGTH|40",
    ),
    "ean": _attribute(
        "ean",
        label="EAN",
        label_translations=[_fr("EAN")],
        requirement_level="REQUIRED",
        roles=_role("UNIQUE_IDENTIFIER"),
        type="TEXT",
        validations="EAN13",
    ),
    "title-fr_FR": _attribute(
        "title-fr_FR",
        label="Titre FR",
        label_translations=[{"locale": "en", "value": "Title (French)"}, _fr("Titre FR")],
        requirement_level="REQUIRED",
        roles=_role("TITLE"),
        type="TEXT",
        locale="fr_FR",
    ),
    "image-1": _attribute(
        "image-1",
        label="Image 1",
        label_translations=[_fr("Image 1")],
        requirement_level="RECOMMENDED",
        type="MEDIA",
        type_parameter="jpg|png",
        type_parameters=[{"name": "EXTENSIONS", "value": "jpg|png"}],
        validations="MAX_SIZE_KB|10244",
    ),
    "color": _attribute(
        "color",
        label="Couleur",
        label_translations=[{"locale": "en", "value": "Colour"}, _fr("Couleur")],
        hierarchy_code="maison",
        requirement_level="RECOMMENDED",
        type="LIST",
        type_parameter="couleurs",
        type_parameters=[{"name": "LIST_CODE", "value": "couleurs"}],
        variant=True,
        values_list="couleurs",
    ),
    "power-w": _attribute(
        "power-w",
        label="Puissance (W)",
        label_translations=[{"locale": "en", "value": "Power (W)"}, _fr("Puissance (W)")],
        hierarchy_code="cuisine",
        requirement_level="REQUIRED",
        type="INTEGER",
        validations="MIN|1,MAX|5000",
    ),
    "capacity-l": _attribute(
        "capacity-l",
        label="Capacité (L)",
        label_translations=[_fr("Capacité (L)")],
        hierarchy_code="cafetieres",
        requirement_level="OPTIONAL",
        type="DECIMAL",
    ),
    "release-date": _attribute(
        "release-date",
        label="Date de sortie",
        label_translations=[_fr("Date de sortie")],
        hierarchy_code="audio",
        requirement_level="OPTIONAL",
        type="DATE",
        type_parameter="yyyy-MM-dd",
        type_parameters=[{"name": "PATTERN", "value": "yyyy-MM-dd"}],
    ),
    "area-m2": _attribute(
        "area-m2",
        label="Surface (m²)",
        label_translations=[_fr("Surface (m²)")],
        hierarchy_code="jardin",
        requirement_level="OPTIONAL",
        type="INTEGER",
    ),
}
GLOBAL = ["category", "sku", "ean", "title-fr_FR", "image-1"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", [*GLOBAL, "release-date", "color", "power-w", "capacity-l", "area-m2"]),
        ("max_level=1", [*GLOBAL, "release-date", "color"]),
        ("hierarchy=cuisine", [*GLOBAL, "color", "power-w", "capacity-l"]),
        ("hierarchy=cuisine&max_level=0", [*GLOBAL, "color", "power-w"]),
        ("hierarchy=bouilloires", [*GLOBAL, "color", "power-w"]),
        ("hierarchy=jardin", [*GLOBAL, "color", "area-m2"]),
        ("hierarchy=audio&all_operator_attributes=true", [*GLOBAL, "release-date"]),
        ("with_roles=true", ["category", "sku", "ean", "title-fr_FR"]),
        ("hierarchy=cuisine&with_roles=true", ["category", "sku", "ean", "title-fr_FR"]),
    ],
)
def test_pm11_returns_each_attachment_that_applies(
    small_catalog: Any, api: Client, query: str, codes: list[str]
) -> None:
    body = _ok(api, "PM11", f"/api/products/attributes?{query}")
    assert body == {"attributes": [ATTRIBUTES[code] for code in codes]}


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("fr_FR", ["Catégorie", "Couleur", "Capacité (L)"]),
        ("en_US", ["Category", "Colour", "Capacité (L)"]),
        ("es_ES", ["Catégorie", "Couleur", "Capacité (L)"]),
    ],
)
def test_pm11_labels_follow_the_locale(
    small_catalog: Any, api: Client, locale: str, labels: list[str]
) -> None:
    body = _ok(api, "PM11", f"/api/products/attributes?hierarchy=cafetieres&locale={locale}")
    by_code = {a["code"]: a["label"] for a in body["attributes"]}
    assert [by_code["category"], by_code["color"], by_code["capacity-l"]] == labels


def test_pm11_an_unknown_hierarchy_is_not_found(small_catalog: Any, api: Client) -> None:
    _error(api, "/api/products/attributes?hierarchy=nope", 404, "Hierarchy 'nope' does not exist.")


# --- VL11 ----------------------------------------------------------------------------------

COLOURS = {
    "code": "couleurs",
    "label": "Couleurs",
    "label_translations": [
        {"locale": "en", "value": "Colours"},
        {"locale": "es", "value": "Colores"},
        _fr("Couleurs"),
    ],
    "values": [
        {
            "code": "blanc",
            "label": "Blanc",
            "label_translations": [{"locale": "en", "value": "White"}, _fr("Blanc")],
        },
        {
            "code": "noir",
            "label": "Noir",
            "label_translations": [
                {"locale": "en", "value": "Black"},
                {"locale": "es", "value": "Negro"},
                _fr("Noir"),
            ],
        },
    ],
}
BRANDS = {
    "code": "marques",
    "label": "Marques",
    "label_translations": [_fr("Marques")],
    "values": [{"code": "acme", "label": "Acme", "label_translations": [_fr("Acme")]}],
}


def test_vl11_returns_every_list_with_its_values_in_order(small_catalog: Any, api: Client) -> None:
    assert _ok(api, "VL11", "/api/values_lists") == {"values_lists": [COLOURS, BRANDS]}


def test_vl11_code_selects_one_list(small_catalog: Any, api: Client) -> None:
    assert _ok(api, "VL11", "/api/values_lists?code=marques") == {"values_lists": [BRANDS]}


@pytest.mark.parametrize(
    ("locale", "list_label", "value_labels"),
    [
        ("fr_FR", "Couleurs", ["Blanc", "Noir"]),
        ("en_US", "Colours", ["White", "Black"]),
        ("es_ES", "Colores", ["Blanc", "Negro"]),
    ],
)
def test_vl11_labels_follow_the_locale(
    small_catalog: Any, api: Client, locale: str, list_label: str, value_labels: list[str]
) -> None:
    body = _ok(api, "VL11", f"/api/values_lists?code=couleurs&locale={locale}")
    [colours] = body["values_lists"]
    assert colours["label"] == list_label
    assert [v["label"] for v in colours["values"]] == value_labels


def test_vl11_an_unknown_code_is_not_found(small_catalog: Any, api: Client) -> None:
    _error(api, "/api/values_lists?code=nope", 404, "Values list 'nope' does not exist.")


# --- P31 -----------------------------------------------------------------------------------

KETTLE = {
    "product_id": "3000000000014",
    "product_id_type": "EAN",
    "product_sku": "MP-A",
    "product_title": "Bouilloire",
    "category_code": "bouilloires",
    "category_label": "Bouilloires",
}
COFFEE_EAN = {
    "product_id": "3000000000007",
    "product_id_type": "EAN",
    "product_sku": "MP-B",
    "product_title": "Cafetière filtre",
    "category_code": "cafetieres",
    "category_label": "Cafetières",
}
COFFEE_UPC = {**COFFEE_EAN, "product_id": "012345678905", "product_id_type": "UPC"}


def test_p31_returns_live_products_one_entry_per_matching_identifier(
    small_catalog: Any, api: Client
) -> None:
    references = (
        "UPC|012345678905,EAN|3000000000021,EAN|9999999999999,EAN|3000000000007,EAN|3000000000014"
    )
    body = _ok(api, "P31", f"/api/products?product_references={references}")
    # Sorted by sku, then type, then id; the pending product and the unknown EAN are absent.
    assert body == {"products": [KETTLE, COFFEE_EAN, COFFEE_UPC], "total_count": 3}


def test_p31_matches_type_and_id_together(small_catalog: Any, api: Client) -> None:
    body = _ok(api, "P31", "/api/products?product_references=UPC|3000000000007,ISBN|012345678905")
    assert body == {"products": [], "total_count": 0}


@pytest.mark.parametrize(
    ("locale", "title", "category"),
    [
        ("fr_FR", "Cafetière filtre", "Cafetières"),
        ("en_US", "Cafetière filtre", "Coffee makers"),
        ("es_ES", "Cafetera de filtro", "Cafetières"),
    ],
)
def test_p31_titles_and_labels_follow_the_locale(
    small_catalog: Any, api: Client, locale: str, title: str, category: str
) -> None:
    body = _ok(api, "P31", f"/api/products?product_references=EAN|3000000000007&locale={locale}")
    assert body["products"] == [{**COFFEE_EAN, "product_title": title, "category_label": category}]


def test_p31_accepts_the_deprecated_products_parameter(small_catalog: Any, api: Client) -> None:
    body = _ok(api, "P31", "/api/products?products=3000000000014|EAN")
    assert body == {"products": [KETTLE], "total_count": 1}


@pytest.mark.parametrize("caller", ["another shop", "its own shop"])
def test_p31_does_not_show_a_pending_product(small_catalog: Any, api: Client, caller: str) -> None:
    client = (
        api
        if caller == "another shop"
        else Client(HTTP_AUTHORIZATION=small_catalog.pending_owner_key)
    )
    body = _ok(client, "P31", "/api/products?product_references=EAN|3000000000021")
    assert body == {"products": [], "total_count": 0}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "",
            "Parameter 'product_references' is required: a comma-separated list of "
            "<type>|<id>, e.g. EAN|3000000000007.",
        ),
        (
            "product_references=SHOP_SKU|P-1",
            "Parameter 'product_references': 'SHOP_SKU|P-1' uses SHOP_SKU, which names a "
            "shop's own product; use a product reference type (EAN, UPC, ISBN).",
        ),
        (
            "product_references=EAN|3000000000007,3000000000014",
            "Parameter 'product_references': '3000000000014' is not of the form <type>|<id>.",
        ),
        (
            "product_references=" + ",".join(f"EAN|{n}" for n in range(101)),
            "Parameter 'product_references': at most 100 references, got 101.",
        ),
    ],
)
def test_p31_rejects_bad_references(
    small_catalog: Any, api: Client, query: str, message: str
) -> None:
    _error(api, f"/api/products?{query}", 400, message)
