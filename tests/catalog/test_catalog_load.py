"""Loading a marketplace directory into the database: counts, updates by code, all-or-nothing."""

from pathlib import Path
from typing import Any

import pytest
from catalog_configuration_cases import CASES, Edit, broken_copy
from django.db import models

from mercato.catalog.configuration import ConfigurationError, read_marketplace
from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    Category,
    Product,
    ProductIdentifier,
    Value,
    ValueList,
)
from mercato.catalog.selectors import catalog_schema
from mercato.catalog.services import MarketplaceLoadReport, load_marketplace
from mercato.catalog.validation import ProductIssue, schema_from_configuration
from mercato.offers.models import LogisticClass, OfferField, OfferState
from mercato.shops.models import Channel

pytestmark = pytest.mark.django_db

MODELS: list[type[models.Model]] = [
    Channel,
    OfferState,
    LogisticClass,
    OfferField,
    Category,
    ValueList,
    Value,
    Attribute,
    AttributeAttachment,
    Product,
    ProductIdentifier,
]

REFERENCE_TOTALS = {
    "channels": 2,
    "offer_states": 4,
    "logistic_classes": 4,
    "offer_fields": 2,
    "categories": 16,
    "value_lists": 11,
    "values": 71,
    "attributes": 45,
    "attachments": 63,
    "products": 200,
}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the loader writes."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in MODELS
    }


def counts(report: MarketplaceLoadReport) -> dict[str, tuple[int, int, int, int]]:
    return {kind: (c.total, c.created, c.updated, c.deleted) for kind, c in report.counts.items()}


def test_reference_marketplace_first_load(reference_dir: Path) -> None:
    report = load_marketplace(reference_dir)
    assert counts(report) == {kind: (n, n, 0, 0) for kind, n in REFERENCE_TOTALS.items()}
    assert report.product_issues == []
    assert report.products_rejected == 0
    assert [(c.code, c.is_default, c.currency) for c in Channel.objects.order_by("position")] == [
        ("FR_B2C", True, "EUR"),
        ("ES_B2C", False, "EUR"),
    ]
    assert Channel.objects.get(code="ES_B2C").labels == {"en": "Spain - B2C"}
    assert list(OfferState.objects.values_list("code", flat=True)) == ["11", "10", "12", "13"]
    assert OfferState.objects.get(code="11").labels == {"en": "New", "es": "Nuevo"}
    assert list(LogisticClass.objects.values_list("code", "max_leadtime_to_ship")) == [
        ("S", 10),
        ("M", 10),
        ("L", 15),
        ("XL", 20),
    ]
    assert OfferField.objects.get(code="warranty").validations == "MIN|0,MAX|120"
    model_counts = [model._default_manager.count() for model in MODELS]
    assert model_counts == [2, 4, 4, 2, 16, 11, 71, 45, 63, 200, 200]


def test_reference_categories_and_attributes(reference_marketplace: None) -> None:
    assert list(Category.objects.filter(level=1).values_list("code", flat=True)) == [
        "telephonie",
        "informatique",
        "image-son",
        "electromenager",
        "photo",
    ]
    smartphones = Category.objects.get(code="smartphones")
    assert (smartphones.parent.code, smartphones.level, smartphones.position) == (  # type: ignore[union-attr]
        "telephonie",
        2,
        1,
    )
    assert smartphones.labels == {"en": "Smartphones", "es": "Smartphones"}
    assert Category.objects.filter(level=2).count() == 11
    brand = Attribute.objects.get(code="brand")
    assert (brand.type, brand.type_parameter, brand.value_list.code) == ("LIST", "brands", "brands")  # type: ignore[union-attr]
    assert Attribute.objects.filter(value_list__isnull=False).count() == 10
    assert AttributeAttachment.objects.filter(category__isnull=True).count() == 16
    ram = AttributeAttachment.objects.get(
        attribute__code="ram", category__code="ordinateurs-portables"
    )
    assert (ram.requirement_level, ram.validations, ram.variant) == (
        "REQUIRED",
        "MIN|1,MAX|256",
        False,
    )
    assert list(
        Value.objects.filter(value_list__code="warehouse-locations").values_list("code", "labels")
    ) == [
        ("France", {"en": "France"}),
        ("Espana", {"en": "Spain"}),
        ("Europe", {"en": "Europe"}),
        ("Hors_Zone_EU", {"en": "Outside the EU"}),
    ]


def test_reference_product(reference_marketplace: None) -> None:
    product = ProductIdentifier.objects.get(type="EAN", value="3000000000007").product
    assert product.category.code == "smartphones"
    assert (product.status, product.shop, product.shop_sku) == ("LIVE", None, "P-00000000")
    assert (product.title, product.titles) == (
        "Smartphone Galaxy S24 128 Go noir",
        {"fr_FR": "Smartphone Galaxy S24 128 Go noir"},
    )
    assert product.descriptions == {"fr_FR": "Le Galaxy S24 en noir, 128 Go."}
    assert (product.brand, product.variant_group_code) == ("samsung", "VG-0000000")
    assert product.media == [
        "https://images.example.com/p/0-1.jpg",
        "https://images.example.com/p/0-2.jpg",
    ]
    assert product.attributes == {
        "color": "noir",
        "key-selling-points": "Écran OLED|Triple capteur photo|Charge rapide",
        "storage-capacity": "128GB",
        "screen-size": "6.7",
        "ram": "8",
        "operating-system": "android",
        "network-5g": True,
        "repairability-index": "8.8",
    }
    assert product.product_sku.startswith("MP-")
    assert Product.objects.filter(status="LIVE", shop__isnull=True).count() == 200


def test_second_load_changes_nothing(reference_dir: Path) -> None:
    load_marketplace(reference_dir)
    before = snapshot()
    report = load_marketplace(reference_dir)
    assert counts(report) == {kind: (n, 0, 0, 0) for kind, n in REFERENCE_TOTALS.items()}
    assert report.changed is False
    assert snapshot() == before


EDITS: list[Edit] = [
    ("channels.csv", "Spain - B2C", "Spain (B2C)"),
    ("values-lists.csv", "", "colors;Couleurs;kaki;Kaki;Khaki"),
    (
        "attributes.csv",
        "weight-kg;Poids (kg);Weight (kg);aspirateurs;;RECOMMENDED;DECIMAL;;false;MIN|0,MAX|30\n",
        "",
    ),
    (
        "attributes.csv",
        "sensor-type;Type de capteur;Sensor type;appareils-photo;;RECOMMENDED;TEXT;;false;"
        "MAX_LENGTH|80\n",
        "",
    ),
    ("hierarchies.csv", "Fotografía;", "Fotografía y vídeo;"),
    (
        "offer-fields.csv",
        "warehouse-location;Localisation de l'entrepôt;Warehouse location;LIST;"
        "warehouse-locations;OPTIONAL;\n",
        "",
    ),
    (
        "products.csv",
        "Smartphone Galaxy S24 128 Go noir;",
        "Smartphone Galaxy S24 128 Go noir intense;",
    ),
]


def test_edited_directory_updates_by_code(reference_dir: Path, tmp_path: Path) -> None:
    load_marketplace(reference_dir)
    product_ids = set(Product.objects.values_list("pk", flat=True))
    report = load_marketplace(broken_copy(reference_dir, tmp_path, EDITS))
    assert counts(report) == {
        "channels": (2, 0, 1, 0),
        "offer_states": (4, 0, 0, 0),
        "logistic_classes": (4, 0, 0, 0),
        "offer_fields": (1, 0, 0, 1),
        "categories": (16, 0, 1, 0),
        "value_lists": (11, 0, 0, 0),
        "values": (72, 1, 0, 0),
        # positions follow the file: the 5 attachments after the removed rows move up
        "attributes": (44, 0, 0, 1),
        "attachments": (61, 0, 5, 2),
        "products": (200, 0, 1, 0),
    }
    assert Channel.objects.get(code="ES_B2C").labels == {"en": "Spain (B2C)"}
    assert Category.objects.get(code="photo").labels == {
        "en": "Cameras",
        "es": "Fotografía y vídeo",
    }
    assert Value.objects.get(value_list__code="colors", code="kaki").position == 12
    assert not Attribute.objects.filter(code="sensor-type").exists()
    assert list(
        AttributeAttachment.objects.filter(attribute__code="weight-kg").values_list(
            "category__code", flat=True
        )
    ) == ["ordinateurs-portables"]
    assert list(OfferField.objects.values_list("code", flat=True)) == ["warranty"]
    renamed = ProductIdentifier.objects.get(value="3000000000007").product
    assert renamed.title == "Smartphone Galaxy S24 128 Go noir intense"
    assert set(Product.objects.values_list("pk", flat=True)) == product_ids


PRODUCT_DEFECTS: list[Edit] = [
    (
        "products.csv",
        "smartphones;P-00000000;3000000000007;",
        "telephones-portables;P-00000000;3000000000007;",
    ),
    ("products.csv", "android;true;8.0;", "android;true;huit;"),
    ("products.csv", "VG-0000000;blanc;", "VG-0000000;fuchsia-pailletee;"),
    ("products.csv", "P-00000003;3000000000038;", "P-00000003;3000000000039;"),
    ("products.csv", "P-00000004;3000000000045;", "P-00000004;3000000000007;"),
]


def test_product_rows_with_defects(reference_dir: Path, tmp_path: Path) -> None:
    report = load_marketplace(broken_copy(reference_dir, tmp_path, PRODUCT_DEFECTS))
    assert report.product_issues == [
        ProductIssue(2, "category", 1001, ("telephones-portables",)),
        ProductIssue(3, "repairability-index", 2011, ("repairability-index",)),
        ProductIssue(4, "color", 3006, ("color",)),
        ProductIssue(5, "ean", 2018, ("ean",)),
        ProductIssue(6, "ean", 2021, ("3000000000007", "2")),
    ]
    assert [i.message("fr_FR") for i in report.product_issues] == [
        "La catégorie telephones-portables est inconnue",
        "L'attribut repairability-index doit être numérique",
        "L'attribut color n'est pas dans les valeurs possibles définies dans la liste de valeurs",
        "L'attribut ean n'est pas un EAN valide",
        "L'EAN 3000000000007 est déjà utilisé par le produit de la ligne 2",
    ]
    assert [i.message("en_US") for i in report.product_issues][:2] == [
        "The category telephones-portables is unknown",
        "The attribute repairability-index must be numeric",
    ]
    assert report.products_rejected == 4
    assert counts(report)["products"] == (196, 196, 0, 0)
    assert not ProductIdentifier.objects.filter(
        value__in=["3000000000007", "3000000000014"]
    ).exists()
    warned = ProductIdentifier.objects.get(value="3000000000021").product
    assert "color" not in warned.attributes
    assert warned.attributes["storage-capacity"] == "128GB"


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_configuration_error_leaves_the_database_unchanged(
    reference_dir: Path, tmp_path: Path, edits: list[Edit], expected: list[tuple[Any, ...]]
) -> None:
    load_marketplace(reference_dir)
    before = snapshot()
    with pytest.raises(ConfigurationError) as raised:
        load_marketplace(broken_copy(reference_dir, tmp_path, edits))
    assert [(i.file, i.line, i.column, i.message) for i in raised.value.issues] == expected
    assert snapshot() == before


def drop_rows(path: Path, unwanted: str) -> None:
    """Remove the lines of a CSV file that contain `unwanted`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if unwanted not in line) + "\n")


def drop_column(path: Path, column: str) -> None:
    rows = [line.split(";") for line in path.read_text(encoding="utf-8").splitlines()]
    at = rows[0].index(column)
    path.write_text("\n".join(";".join(r[:at] + r[at + 1 :]) for r in rows) + "\n")


def test_dropping_a_category_that_holds_products(reference_dir: Path, tmp_path: Path) -> None:
    load_marketplace(reference_dir)
    before = snapshot()
    directory = broken_copy(reference_dir, tmp_path, [])
    drop_rows(directory / "hierarchies.csv", "casques-audio;")
    drop_rows(directory / "attributes.csv", ";casques-audio;")
    drop_rows(directory / "products.csv", "casques-audio;")
    for column in ("connectivity", "noise-cancelling"):
        drop_column(directory / "products.csv", column)
    with pytest.raises(ConfigurationError) as raised:
        load_marketplace(directory)
    assert [str(issue) for issue in raised.value.issues] == [
        "hierarchies.csv: code: 'casques-audio' is absent but 20 products still use it: keep it "
        "in the file, or move or delete what uses it first"
    ]
    assert snapshot() == before


def test_dropping_unused_entries_deletes_them(reference_dir: Path, tmp_path: Path) -> None:
    load_marketplace(reference_dir)
    directory = broken_copy(reference_dir, tmp_path, [])
    drop_rows(directory / "hierarchies.csv", "photo;")
    drop_rows(directory / "attributes.csv", ";appareils-photo;")
    drop_rows(directory / "attributes.csv", "case-finish;")
    drop_rows(directory / "values-lists.csv", "case-finishes;")
    drop_rows(directory / "logistic-classes.csv", "XL;")
    drop_column(directory / "products.csv", "sensor-resolution-mp")
    drop_column(directory / "products.csv", "case-finish")
    report = load_marketplace(directory)
    assert {k: (c.total, c.deleted) for k, c in report.counts.items() if c.deleted} == {
        "logistic_classes": (3, 1),
        "categories": (14, 2),
        "value_lists": (10, 1),
        "values": (68, 3),
        "attributes": (41, 4),
        "attachments": (59, 4),
    }
    # The cases lose their finish: updated, not recreated.
    assert counts(report)["products"] == (200, 0, 40, 0)
    assert not Category.objects.filter(code__in=["photo", "appareils-photo"]).exists()
    assert not ValueList.objects.filter(code="case-finishes").exists()
    assert not Attribute.objects.filter(code__in=["case-finish", "release-date"]).exists()
    assert list(LogisticClass.objects.values_list("code", flat=True)) == ["S", "M", "L"]


def test_schema_from_the_database_equals_the_configuration_one(
    reference_marketplace: None, reference_dir: Path
) -> None:
    from_database = catalog_schema()
    assert from_database == schema_from_configuration(read_marketplace(reference_dir))
    assert [rule.code for rule in from_database.categories["televiseurs"].rules][-6:] == [
        "screen-size",
        "resolution",
        "energy-class",
        "repairability-index",
        "smart-tv",
        "hdmi-ports",
    ]
