"""The mapping: applying it to a line (pure), saving versions, its file, its proposals."""

import io
import string
from pathlib import Path
from typing import Any

import pytest

from mercato.catalog.mapping import CatalogCodes, MappingRules, Transformer, normalize
from mercato.catalog.mapping_assistant import (
    current_mapping,
    mapping_versions,
    merge_mapping,
    save_mapping,
)
from mercato.catalog.mapping_files import check_line, import_mapping, write_mapping
from mercato.catalog.mapping_messages import MAPPING_TEXTS, MappingRefused
from mercato.catalog.mapping_proposals import Proposal, propose
from mercato.imports.models import ProductMapping

CODES = CatalogCodes(
    attributes=frozenset({"category", "sku", "ean", "color", "connectors", "title-fr_FR"}),
    categories=frozenset({"telephonie", "smartphones"}),
    leaves=frozenset({"smartphones"}),
    list_values={"color": frozenset({"bleu", "noir"}), "connectors": frozenset({"usb-c", "jack"})},
    multiple=frozenset({"connectors"}),
)
RULES = MappingRules(
    version=3,
    columns={"Rayon": "category", "Réf": "sku", "Teinte": "color", "Prises": "connectors"},
    categories={"téléphonie > smartphones": "smartphones"},
    values={"color": {"bleu nuit": "bleu"}, "connectors": {"usb type c": "usb-c"}},
)
SOURCE_HEADER = ["Rayon", "Réf", "ean", "Teinte", "Prises", "Poids"]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Téléphonie > Smartphones", "téléphonie > smartphones"),
        ("  Téléphonie>Smartphones ", "téléphonie > smartphones"),
        ("Bleu   Nuit", "bleu nuit"),
        ("", ""),
    ],
)
def test_normalize(text: str, normalized: str) -> None:
    assert normalize(text) == normalized


@pytest.mark.parametrize(
    ("values", "cells", "codes"),
    [
        (
            ["Téléphonie>Smartphones", "R1", "3000000000007", "Bleu Nuit", "USB type C|jack", "1"],
            {"category": "smartphones", "sku": "R1", "ean": "3000000000007", "color": "bleu",
             "connectors": "usb-c|jack"},
            [],
        ),
        (
            ["smartphones", "R2", "", "noir", "", ""],
            {"category": "smartphones", "sku": "R2", "ean": "", "color": "noir", "connectors": ""},
            [],
        ),
        (
            ["Téléphones", "R3", "", "Fuchsia", "HDMI"],
            {"category": "Téléphones", "sku": "R3", "ean": "", "color": "Fuchsia",
             "connectors": "HDMI"},
            [(1006, "category", ("Téléphones",))],
        ),
        (["", "R4"], {"category": "", "sku": "R4", "ean": "", "color": "", "connectors": ""}, []),
    ],
)  # fmt: skip
def test_the_transformer_maps_columns_categories_and_values(
    values: list[str], cells: dict[str, str], codes: list[tuple[int, str, tuple[str, ...]]]
) -> None:
    transformer = Transformer(SOURCE_HEADER, RULES, CODES, operator_format=False)
    assert transformer.header == ["category", "sku", "ean", "color", "connectors"]
    assert transformer.unmapped.columns == ["Poids"]
    found, issues = transformer.row(values, 7)
    assert found == cells
    assert [(i.code, i.column, i.args) for i in issues] == codes
    assert {i.line for i in issues} <= {7}


def test_the_transformer_notes_what_the_mapping_missed() -> None:
    transformer = Transformer(SOURCE_HEADER, RULES, CODES, operator_format=False)
    transformer.row(["Téléphones", "R3", "", "Fuchsia", "HDMI|jack"], 2)
    transformer.row(["Téléphones", "R4", "", "Fuchsia", "Bleu nuit"], 3)
    assert transformer.unmapped.as_json() == {
        "columns": ["Poids"],
        "categories": ["Téléphones"],
        "values": {"color": ["Fuchsia"], "connectors": ["HDMI", "Bleu nuit"]},
    }


def test_operator_format_ignores_the_mapping() -> None:
    transformer = Transformer(["category", "Réf", "color"], RULES, CODES, operator_format=True)
    assert transformer.header == ["category", "color"]
    assert transformer.row(["Téléphones", "R1", "Bleu nuit"], 2) == (
        {"category": "Téléphones", "color": "Bleu nuit"},
        [],
    )
    assert transformer.unmapped.as_json() == {"columns": ["Réf"], "categories": [], "values": {}}


@pytest.mark.parametrize(
    ("cells", "issues"),
    [
        ({"type": "COLUMN", "source": "Réf", "target": "sku"}, []),
        ({"type": "CATEGORY", "source": "Tél > Smart", "target": "smartphones"}, []),
        ({"type": "VALUE", "attribute": "color", "source": "Bleu nuit", "target": "bleu"}, []),
        ({"type": "ROW", "source": "a", "target": "b"},
         [("type", "unknown-type", "'ROW' is no type: use COLUMN, CATEGORY, VALUE.")]),
        ({"type": "COLUMN", "source": "", "target": ""},
         [("source", "required", "The source is empty: fill it."),
          ("target", "required", "The target is empty: fill it.")]),
        ({"type": "COLUMN", "source": "Réf", "target": "reference"},
         [("target", "unknown-attribute", "'reference' is no attribute: use an attribute code "
           "(PM11).")]),
        ({"type": "CATEGORY", "source": "Tél", "target": "telephonie"},
         [("target", "not-a-leaf", "'telephonie' is no leaf category: use the code of a "
           "category without subcategories (H11).")]),
        ({"type": "VALUE", "attribute": "sku", "source": "x", "target": "y"},
         [("attribute", "not-a-list", "'sku' is no list attribute: name the LIST attribute "
           "whose value this is.")]),
        ({"type": "VALUE", "attribute": "color", "source": "Bleu nuit", "target": "marine"},
         [("target", "unknown-value", "'marine' is not in the value list of 'color': use one "
           "of its codes (VL11).")]),
    ],
)  # fmt: skip
def test_check_line(cells: dict[str, str], issues: list[tuple[str, str, str]]) -> None:
    found = check_line(4, cells, CODES)
    assert [(i.column, i.code, i.problem.render("en_US")) for i in found] == issues
    assert {i.line for i in found} <= {4}


@pytest.mark.parametrize(
    ("cells", "french"),
    [
        ({"type": "ROW", "source": "a", "target": "b"},
         ["Ligne 4, colonne « type » : « ROW » n'est pas un type : utilisez COLUMN, CATEGORY, "
          "VALUE."]),
        ({"type": "COLUMN", "source": "", "target": ""},
         ["Ligne 4, colonne « source » : La colonne source est vide : remplissez-la.",
          "Ligne 4, colonne « target » : La colonne target est vide : remplissez-la."]),
        ({"type": "COLUMN", "source": "Réf", "target": "reference"},
         ["Ligne 4, colonne « target » : « reference » n'est pas un attribut : utilisez un code "
          "d'attribut (PM11)."]),
        ({"type": "CATEGORY", "source": "Tél", "target": "telephonie"},
         ["Ligne 4, colonne « target » : « telephonie » n'est pas une catégorie feuille : "
          "utilisez le code d'une catégorie sans sous-catégorie (H11)."]),
        ({"type": "VALUE", "attribute": "sku", "source": "x", "target": "y"},
         ["Ligne 4, colonne « attribute » : « sku » n'est pas un attribut de type liste : "
          "indiquez l'attribut LIST dont c'est une valeur."]),
        ({"type": "VALUE", "attribute": "color", "source": "Bleu nuit", "target": "marine"},
         ["Ligne 4, colonne « target » : « marine » n'est pas dans la liste de valeurs de "
          "« color » : utilisez l'un de ses codes (VL11)."]),
    ],
)  # fmt: skip
def test_check_line_in_french_by_default(cells: dict[str, str], french: list[str]) -> None:
    found = check_line(4, cells, CODES)
    assert [issue.render() for issue in found] == french
    assert [issue.render("fr_FR") for issue in found] == french


@pytest.mark.parametrize("code", sorted(MAPPING_TEXTS))
def test_every_mapping_message_has_both_languages_with_the_same_parameters(code: str) -> None:
    text = MAPPING_TEXTS[code]
    assert text.fr != text.en
    fields = [{n for _, n, _, _ in string.Formatter().parse(t) if n} for t in (text.fr, text.en)]
    assert fields[0] == fields[1]


with_catalog = pytest.mark.usefixtures("reference_marketplace")


@with_catalog
def test_saving_adds_a_version_and_the_latest_applies(seller: Any) -> None:
    assert current_mapping(seller.shop) == MappingRules()
    save_mapping(seller.shop, columns={"Réf": "sku"}, categories={}, values={})
    second = merge_mapping(
        seller.shop,
        categories={"Téléphonie > Smartphones": "smartphones"},
        values={"color": {"Bleu Nuit": "bleu"}},
    )
    assert second.version == 2
    assert current_mapping(seller.shop) == MappingRules(
        2,
        {"Réf": "sku"},
        {"téléphonie > smartphones": "smartphones"},
        {"color": {"bleu nuit": "bleu"}},
    )
    assert [m.version for m in mapping_versions(seller.shop)] == [2, 1]


@with_catalog
def test_a_wrong_mapping_names_every_wrong_entry_and_saves_nothing(seller: Any) -> None:
    with pytest.raises(MappingRefused) as caught:
        save_mapping(
            seller.shop,
            columns={"Réf": "reference"},
            categories={"Téléphonie": "telephonie"},
            values={"color": {"Marine": "marine"}, "sku": {"a": "b"}},
        )
    assert caught.value.render("en_US") == (
        "Column 'Réf' is mapped to 'reference', which is no attribute: use an attribute code "
        "(PM11). Category 'téléphonie' is mapped to 'telephonie', which is no leaf category: "
        "use the code of a category without subcategories (H11). Value 'marine' of 'color' is "
        "mapped to 'marine', which is not in its value list: use a value code (VL11). Values "
        "are mapped for 'sku', which is no list attribute: map values of LIST attributes only."
    )
    french = (
        "La colonne « Réf » est mappée à « reference », qui n'est pas un attribut : utilisez "
        "un code d'attribut (PM11). La catégorie « téléphonie » est mappée à « telephonie », "
        "qui n'est pas une catégorie feuille : utilisez le code d'une catégorie sans "
        "sous-catégorie (H11). La valeur « marine » de « color » est mappée à « marine », qui "
        "n'est pas dans sa liste de valeurs : utilisez un code de valeur (VL11). Des valeurs "
        "sont mappées pour « sku », qui n'est pas un attribut de type liste : ne mappez que "
        "les valeurs des attributs LIST."
    )
    assert caught.value.message == caught.value.render("fr_FR") == french
    assert (caught.value.status, caught.value.code) == (400, "mapping_refused")
    assert ProductMapping.objects.count() == 0


@with_catalog
def test_the_mapping_file_round_trips_and_a_bad_file_saves_nothing(
    seller: Any, tmp_path: Path
) -> None:
    merge_mapping(
        seller.shop,
        columns={"Réf": "sku"},
        categories={"Téléphonie > Smartphones": "smartphones"},
        values={"color": {"Bleu nuit": "bleu"}},
    )
    out = io.BytesIO()
    write_mapping(current_mapping(seller.shop), out)
    text = out.getvalue().decode("utf-8-sig")
    assert text.splitlines() == [
        "type;attribute;source;target",
        "COLUMN;;Réf;sku",
        "CATEGORY;;téléphonie > smartphones;smartphones",
        "VALUE;color;bleu nuit;bleu",
    ]
    path = tmp_path / "mapping.csv"
    path.write_text(text + "COLUMN;;Poids;weight-kg\n", encoding="utf-8")
    saved = import_mapping(seller.shop, path)
    assert (saved.version, saved.columns) == (2, {"Réf": "sku", "Poids": "weight-kg"})

    path.write_text(
        "type;attribute;source;target\nCOLUMN;;Réf;sku\nCOLUMN;;Réf;ean\nVALUE;color;x;marine\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingRefused) as caught:
        import_mapping(seller.shop, path)
    assert caught.value.render("en_US") == (
        "Line 3, column 'source': 'Réf' is already mapped on line 2: keep one of the two "
        "lines. Line 4, column 'target': 'marine' is not in the value list of 'color': use "
        "one of its codes (VL11)."
    )
    assert caught.value.render("fr_FR") == (
        "Ligne 3, colonne « source » : « Réf » est déjà mappé à la ligne 2 : gardez l'une des "
        "deux lignes. Ligne 4, colonne « target » : « marine » n'est pas dans la liste de "
        "valeurs de « color » : utilisez l'un de ses codes (VL11)."
    )
    path.write_text("kind;source\nCOLUMN;Réf\n", encoding="utf-8")
    with pytest.raises(MappingRefused) as caught:
        import_mapping(seller.shop, path)
    assert caught.value.render("en_US") == (
        "The mapping file has no column type, attribute, target: its header must be "
        "type;attribute;source;target."
    )
    assert ProductMapping.objects.filter(shop=seller.shop).count() == 2


@with_catalog
def test_proposals_match_codes_and_labels_exactly_then_fuzzily() -> None:
    proposals = propose(
        {
            "columns": ["Couleur", "Capacite de stockage", "Xyzzy"],
            "categories": ["Téléphonie > Smartphones", "Smartphone", "Jardin"],
            "values": {"color": ["Bleu nuit", "Noir"], "storage-capacity": ["128 go"]},
        }
    )
    assert [(p.kind, p.attribute, p.source, p.target, p.exact) for p in proposals] == [
        ("COLUMN", "", "Couleur", "color", True),
        ("COLUMN", "", "Capacite de stockage", "storage-capacity", False),
        ("CATEGORY", "", "Téléphonie > Smartphones", "smartphones", True),
        ("CATEGORY", "", "Smartphone", "smartphones", False),
        ("VALUE", "color", "Bleu nuit", "bleu", False),
        ("VALUE", "color", "Noir", "noir", True),
        ("VALUE", "storage-capacity", "128 go", "128GB", True),
    ]
    assert all(p.score == 100 for p in proposals if p.exact)
    assert all(80 <= p.score < 100 for p in proposals if not p.exact)
    assert proposals[0] == Proposal("COLUMN", "", "Couleur", "color", "Couleur", 100, True)
