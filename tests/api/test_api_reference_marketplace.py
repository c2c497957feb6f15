"""Every seller API operation on the bundled reference marketplace, checked against the contract."""

from typing import Any

import pytest
from django.test import Client

from contract import assert_matches_contract
from mercato.catalog.models import Product

pytestmark = pytest.mark.usefixtures("reference_marketplace")

TREE = [
    ("telephonie", 1, ""),
    ("smartphones", 2, "telephonie"),
    ("coques", 2, "telephonie"),
    ("chargeurs", 2, "telephonie"),
    ("informatique", 1, ""),
    ("ordinateurs-portables", 2, "informatique"),
    ("tablettes", 2, "informatique"),
    ("image-son", 1, ""),
    ("televiseurs", 2, "image-son"),
    ("casques-audio", 2, "image-son"),
    ("enceintes", 2, "image-son"),
    ("electromenager", 1, ""),
    ("aspirateurs", 2, "electromenager"),
    ("cafetieres", 2, "electromenager"),
    ("photo", 1, ""),
    ("appareils-photo", 2, "photo"),
]
GLOBAL_ATTRIBUTES = [
    "category", "sku", "ean", "title-fr_FR", "title-es_ES", "description-fr_FR",
    "description-es_ES", "brand", "image-1", "image-2", "image-3", "image-4", "image-5",
    "variant-group-code", "color", "key-selling-points",
]  # fmt: skip
SMARTPHONE_ATTRIBUTES = [
    "storage-capacity", "screen-size", "ram", "operating-system", "network-5g",
    "repairability-index", "das-head",
]  # fmt: skip


def _ok(client: Client, operation_id: str, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation_id, 200, body)
    return body


def test_a01_shop_is_on_the_default_channel(api: Client) -> None:
    body = _ok(api, "A01", "/api/account")
    assert (body["shop_name"], body["channels"], body["offers_count"]) == (
        "Boutique Alpha",
        ["FR_B2C"],
        0,
    )


@pytest.mark.parametrize(
    ("locale", "labels"),
    [("fr_FR", ["Espagne - B2C", "France - B2C"]), ("en_US", ["Spain - B2C", "France - B2C"])],
)
def test_ch11_channels(api: Client, locale: str, labels: list[str]) -> None:
    body = _ok(api, "CH11", f"/api/channels?locale={locale}")
    assert body == {
        "channels": [
            {"code": "ES_B2C", "label": labels[0], "description": labels[0]},
            {"code": "FR_B2C", "label": labels[1], "description": labels[1]},
        ]
    }


def test_h11_whole_tree(api: Client) -> None:
    body = _ok(api, "H11", "/api/hierarchies")
    assert [(h["code"], h["level"], h["parent_code"]) for h in body["hierarchies"]] == TREE
    assert body["hierarchies"][0] == {
        "code": "telephonie",
        "label": "Téléphonie",
        "label_translations": [
            {"locale": "en", "value": "Phones"},
            {"locale": "es", "value": "Telefonía"},
            {"locale": "fr", "value": "Téléphonie"},
        ],
        "level": 1,
        "parent_code": "",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "hierarchy=cafetieres&locale=es_ES",
            [("electromenager", "Electrodomésticos"), ("cafetieres", "Cafeteras")],
        ),
        (
            "hierarchy=informatique&max_level=1&locale=en_US",
            [("informatique", "Computers"), ("ordinateurs-portables", "Laptops"),
             ("tablettes", "Tablets")],
        ),
        (
            "max_level=1",
            [("telephonie", "Téléphonie"), ("informatique", "Informatique"),
             ("image-son", "Image et son"), ("electromenager", "Électroménager"),
             ("photo", "Photo")],
        ),
    ],
)  # fmt: skip
def test_h11_around_a_category(api: Client, query: str, expected: list[tuple[str, str]]) -> None:
    body = _ok(api, "H11", f"/api/hierarchies?{query}")
    assert [(h["code"], h["label"]) for h in body["hierarchies"]] == expected


def test_pm11_all_attachments(api: Client) -> None:
    body = _ok(api, "PM11", "/api/products/attributes")
    attributes = body["attributes"]
    assert len(attributes) == 63
    assert [a["code"] for a in attributes[:16]] == GLOBAL_ATTRIBUTES
    assert {a["requirement_level"] for a in attributes} == {"REQUIRED", "RECOMMENDED", "OPTIONAL"}
    assert {a["type"] for a in attributes} == {
        "CATEGORY", "TEXT", "LONG_TEXT", "INTEGER", "DECIMAL", "BOOLEAN", "DATE", "LIST",
        "LIST_MULTIPLE_VALUES", "MEDIA",
    }  # fmt: skip
    by_place = {(a["code"], a["hierarchy_code"]): a for a in attributes}
    assert by_place[("image-1", "")]["type_parameters"] == [
        {"name": "EXTENSIONS", "value": "gif|jpg|jpeg|png|webp"}
    ]
    assert by_place[("release-date", "appareils-photo")]["type_parameters"] == [
        {"name": "PATTERN", "value": "yyyy-MM-dd"}
    ]
    brand = by_place[("brand", "")]
    assert (brand["values_list"], brand["type_parameter"], brand["required"]) == (
        "brands",
        "brands",
        True,
    )
    # One attribute, two attachments, each with its own rules.
    assert by_place[("ram", "smartphones")]["validations"] == "MIN|1,MAX|64"
    assert by_place[("ram", "ordinateurs-portables")]["validations"] == "MIN|1,MAX|256"


def test_pm11_for_smartphones_in_english(api: Client) -> None:
    body = _ok(api, "PM11", "/api/products/attributes?hierarchy=smartphones&locale=en_US")
    codes = [a["code"] for a in body["attributes"]]
    assert codes == GLOBAL_ATTRIBUTES + SMARTPHONE_ATTRIBUTES
    assert body["attributes"][-1]["label"] == "SAR head (W/kg)"
    assert {a["hierarchy_code"] for a in body["attributes"][16:]} == {"smartphones"}


def test_pm11_with_roles(api: Client) -> None:
    body = _ok(api, "PM11", "/api/products/attributes?with_roles=true")
    assert [
        (a["code"], [r["type"] for r in a["roles"]], a["locale"]) for a in body["attributes"]
    ] == [
        ("category", ["CATEGORY"], None),
        ("sku", ["SHOP_SKU"], None),
        ("ean", ["UNIQUE_IDENTIFIER"], None),
        ("title-fr_FR", ["TITLE"], "fr_FR"),
        ("title-es_ES", ["TITLE"], "es_ES"),
        ("variant-group-code", ["VARIANT_GROUP_CODE"], None),
    ]


def test_vl11_all_lists(api: Client) -> None:
    body = _ok(api, "VL11", "/api/values_lists")
    assert [(v["code"], len(v["values"])) for v in body["values_lists"]] == [
        ("brands", 18), ("case-finishes", 3), ("case-materials", 4), ("colors", 12),
        ("connectivity", 5), ("energy-classes", 7), ("operating-systems", 6), ("resolutions", 4),
        ("storage-capacities", 6), ("warehouse-locations", 4), ("yes-no", 2),
    ]  # fmt: skip


def test_vl11_one_list_in_english(api: Client) -> None:
    body = _ok(api, "VL11", "/api/values_lists?code=storage-capacities&locale=en_US")
    [capacities] = body["values_lists"]
    assert [(v["code"], v["label"]) for v in capacities["values"]] == [
        ("64GB", "64 GB"), ("128GB", "128 GB"), ("256GB", "256 GB"), ("512GB", "512 GB"),
        ("1TB", "1 TB"), ("2TB", "2 TB"),
    ]  # fmt: skip
    assert capacities["values"][0]["label_translations"] == [
        {"locale": "en", "value": "64 GB"},
        {"locale": "fr", "value": "64 Go"},
    ]


@pytest.mark.parametrize(
    ("query", "states"),
    [
        ("", ["11", "10", "12", "13"]),
        ("active=true", ["11", "10", "12", "13"]),
        ("active=false", []),
    ],
)
def test_of61_offer_conditions(api: Client, query: str, states: list[str]) -> None:
    body = _ok(api, "OF61", f"/api/offers/states?{query}")
    assert [s["code"] for s in body["offer_states"]] == states
    assert body["total_count"] == len(states)


def test_of61_labels_in_spanish(api: Client) -> None:
    body = _ok(api, "OF61", "/api/offers/states?locale=es_ES")
    assert body["offer_states"][0] == {"code": "11", "label": "Nuevo"}


def test_sh31_logistic_classes(api: Client) -> None:
    body = _ok(api, "SH31", "/api/shipping/logistic_classes")
    assert [(c["code"], c["label"]) for c in body["logistic_classes"]] == [
        ("S", "Petit colis"),
        ("M", "Colis moyen"),
        ("L", "Grand colis"),
        ("XL", "Très grand colis (livraison 2 personnes)"),
    ]


def test_p31_products_by_ean(api: Client) -> None:
    eans = ["3000000000021", "3000000000007", "3000000000014", "1234567890128"]
    body = _ok(api, "P31", "/api/products?product_references=" + ",".join(f"EAN|{e}" for e in eans))
    titles = {
        "3000000000007": "Smartphone Galaxy S24 128 Go noir",
        "3000000000014": "Smartphone Galaxy S24 256 Go noir",
        "3000000000021": "Smartphone Galaxy S24 128 Go blanc",
    }
    skus = {
        p.identifiers.get().value: p.product_sku
        for p in Product.objects.filter(identifiers__value__in=titles)
    }
    expected = [
        {
            "product_id": ean,
            "product_id_type": "EAN",
            "product_sku": skus[ean],
            "product_title": title,
            "category_code": "smartphones",
            "category_label": "Smartphones",
        }
        for ean, title in titles.items()
    ]
    assert body == {"products": sorted(expected, key=lambda p: p["product_sku"]), "total_count": 3}
