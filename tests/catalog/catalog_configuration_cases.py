"""Broken copies of the reference marketplace and the exact issues each one must produce.

Shared by the configuration tests (the issues) and the load tests (nothing written).
"""

import shutil
from pathlib import Path

import pytest

Edit = tuple[str, str, str]  # (file, text to replace, replacement); "" appends a line


def broken_copy(reference_dir: Path, tmp_path: Path, edits: list[Edit]) -> Path:
    directory = tmp_path / "marketplace"
    shutil.copytree(reference_dir, directory)
    for file, old, new in edits:
        path = directory / file
        text = path.read_text(encoding="utf-8")
        if old:
            assert old in text, f"{old!r} not in {file}"
            text = text.replace(old, new, 1)
        else:
            text += new + "\n"
        path.write_text(text, encoding="utf-8")
    return directory


ATTRIBUTE_TYPES = (
    "CATEGORY, TEXT, LONG_TEXT, INTEGER, DECIMAL, BOOLEAN, DATE, LIST, LIST_MULTIPLE_VALUES, MEDIA"
)

CASES = [
    pytest.param(
        [("offer-states.csv", "code;label;", "code;libelle;")],
        [("offer-states.csv", 1, "label", "missing required column: add it to the header")],
        id="missing-required-column",
    ),
    pytest.param(
        [("logistic-classes.csv", "M;Colis moyen;", "M;;")],
        [("logistic-classes.csv", 3, "label", "empty required cell: fill it in")],
        id="empty-required-cell",
    ),
    pytest.param(
        [("hierarchies.csv", "", "smartphones;Autres;Others;Otros;informatique")],
        [
            (
                "hierarchies.csv",
                18,
                "code",
                "duplicated code 'smartphones': already defined on line 3; "
                "keep one of the two rows",
            )
        ],
        id="duplicated-category",
    ),
    pytest.param(
        [("values-lists.csv", "", "colors;Couleurs;noir;Noir bis;Black")],
        [
            (
                "values-lists.csv",
                73,
                "value-code",
                "duplicated value 'noir' in list 'colors': already defined on line 20; "
                "keep one of the two rows",
            )
        ],
        id="duplicated-value",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                "",
                "ram;Mémoire vive (Go);RAM (GB);smartphones;;OPTIONAL;INTEGER;;false;",
            )
        ],
        [
            (
                "attributes.csv",
                65,
                "hierarchy-code",
                "duplicated attachment of attribute 'ram' to category 'smartphones': already "
                "defined on line 20; keep one of the two rows",
            )
        ],
        id="duplicated-attachment",
    ),
    pytest.param(
        [("hierarchies.csv", ";Fundas;telephonie", ";Fundas;telephone")],
        [
            (
                "hierarchies.csv",
                4,
                "parent-code",
                "unknown parent category 'telephone': define it in hierarchies.csv "
                "or leave parent-code empty",
            )
        ],
        id="unknown-parent",
    ),
    pytest.param(
        [("hierarchies.csv", "Telefonía;", "Telefonía;smartphones")],
        [
            (
                "hierarchies.csv",
                2,
                "parent-code",
                "cycle in the category tree: telephonie → smartphones → telephonie; "
                "give one of these categories another parent",
            )
        ],
        id="cycle",
    ),
    pytest.param(
        [("hierarchies.csv", "Fotografía;", "Fotografía;photo")],
        [
            (
                "hierarchies.csv",
                16,
                "parent-code",
                "cycle in the category tree: photo → photo; "
                "give one of these categories another parent",
            )
        ],
        id="own-parent",
    ),
    pytest.param(
        [("attributes.csv", "REQUIRED;LIST;brands;", "REQUIRED;LIST;marques;")],
        [
            (
                "attributes.csv",
                9,
                "type-parameter",
                "unknown value list 'marques': define it in values-lists.csv or fix type-parameter",
            )
        ],
        id="unknown-value-list",
    ),
    pytest.param(
        [("attributes.csv", "REQUIRED;LIST;brands;", "REQUIRED;LIST;;")],
        [
            (
                "attributes.csv",
                9,
                "type-parameter",
                "type LIST needs a value list: write its list-code in type-parameter",
            )
        ],
        id="list-without-value-list",
    ),
    pytest.param(
        [("attributes.csv", "OPTIONAL;DATE;yyyy-MM-dd;", "OPTIONAL;DATETIME;yyyy-MM-dd;")],
        [
            (
                "attributes.csv",
                64,
                "type",
                f"unknown type 'DATETIME': use one of {ATTRIBUTE_TYPES}",
            )
        ],
        id="unknown-type",
    ),
    pytest.param(
        [("attributes.csv", "OPTIONAL;DATE;yyyy-MM-dd;", "OPTIONAL;DATE;dd/MM/yyyy;")],
        [
            (
                "attributes.csv",
                64,
                "type-parameter",
                "unsupported date format 'dd/MM/yyyy': write yyyy-MM-dd or leave it empty",
            )
        ],
        id="unsupported-date-format",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                ";REQUIRED;TEXT;;false;MAX_LENGTH|40",
                ";MANDATORY;TEXT;;false;MAX_LENGTH|40",
            )
        ],
        [
            (
                "attributes.csv",
                3,
                "requirement-level",
                "unknown requirement level 'MANDATORY': use one of REQUIRED, RECOMMENDED, OPTIONAL",
            )
        ],
        id="unknown-requirement-level",
    ),
    pytest.param(
        [("attributes.csv", "(m);chargeurs;", "(m);chargeur;")],
        [
            (
                "attributes.csv",
                30,
                "hierarchy-code",
                "unknown category 'chargeur': define it in hierarchies.csv, or leave "
                "hierarchy-code empty to attach the attribute to every category",
            )
        ],
        id="attachment-to-unknown-category",
    ),
    pytest.param(
        [("attributes.csv", "MAX_LENGTH|40", "MAX_LENGTH|quarante,MIN")],
        [
            (
                "attributes.csv",
                3,
                "validations",
                "malformed validation 'MAX_LENGTH|quarante': write MAX_LENGTH|n with n a "
                "positive integer",
            ),
            (
                "attributes.csv",
                3,
                "validations",
                "malformed validation 'MIN': write MIN|x with x a number written with '.'",
            ),
        ],
        id="malformed-validations",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                "ordinateurs-portables;;REQUIRED;INTEGER;",
                "ordinateurs-portables;;REQUIRED;DECIMAL;",
            )
        ],
        [
            (
                "attributes.csv",
                32,
                "type",
                "attribute 'ram' has type 'INTEGER' on line 20: give every row of an "
                "attribute the same type, or use another code",
            )
        ],
        id="attribute-type-differs",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                "ordinateurs-portables;;REQUIRED;LIST;storage-capacities;",
                "ordinateurs-portables;;REQUIRED;LIST;colors;",
            )
        ],
        [
            (
                "attributes.csv",
                33,
                "type-parameter",
                "attribute 'storage-capacity' has type-parameter 'storage-capacities' on line "
                "18: give every row of an attribute the same type-parameter, or use another "
                "code",
            )
        ],
        id="attribute-type-parameter-differs",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                "weight-kg;Poids (kg);Weight (kg);aspirateurs",
                "weight-kg;Poids;Weight (kg);aspirateurs",
            )
        ],
        [
            (
                "attributes.csv",
                58,
                "label",
                "attribute 'weight-kg' has label 'Poids (kg)' on line 37: give every row of an "
                "attribute the same label, or use another code",
            )
        ],
        id="attribute-label-differs",
    ),
    pytest.param(
        [("attributes.csv", "RECOMMENDED;LIST;colors;true;", "RECOMMENDED;LIST;colors;oui;")],
        [("attributes.csv", 16, "variant", "bad boolean 'oui': write true or false")],
        id="bad-boolean",
    ),
    pytest.param(
        [("logistic-classes.csv", "Large parcel;15", "Large parcel;quinze")],
        [
            (
                "logistic-classes.csv",
                4,
                "max-leadtime-to-ship",
                "non-integer max-leadtime-to-ship 'quinze': write a whole number of days "
                "or leave it empty",
            )
        ],
        id="non-integer-leadtime",
    ),
    pytest.param(
        [("channels.csv", "Spain - B2C;false", "Spain - B2C;true")],
        [
            (
                "channels.csv",
                3,
                "default",
                "more than one default channel: FR_B2C (line 2) is the default already; "
                "set default to false here",
            )
        ],
        id="two-default-channels",
    ),
    pytest.param(
        [("channels.csv", "France - B2C;true", "France - B2C;false")],
        [("channels.csv", 1, "default", "no default channel: set default to true on one channel")],
        id="no-default-channel",
    ),
    pytest.param(
        [("offer-fields.csv", "LIST;warehouse-locations;", "LIST;warehouses;")],
        [
            (
                "offer-fields.csv",
                3,
                "type-parameter",
                "unknown value list 'warehouses': define it in values-lists.csv "
                "or fix type-parameter",
            )
        ],
        id="offer-field-unknown-value-list",
    ),
    pytest.param(
        [("products.csv", ";color;", ";colour;")],
        [
            (
                "products.csv",
                1,
                "colour",
                "column 'colour' is not an attribute code: define the attribute in "
                "attributes.csv or remove the column",
            )
        ],
        id="product-column-not-an-attribute",
    ),
    pytest.param(
        [("offer-states.csv", "code;label;label[en]", "code;label;label")],
        [("offer-states.csv", 1, "label", "duplicated column: keep one column of this name")],
        id="duplicated-column",
    ),
    pytest.param(
        [("offer-states.csv", "11;Neuf;New;Nuevo", "11;Neuf;New;Nuevo;Nouveau")],
        [
            (
                "offer-states.csv",
                2,
                "",
                "5 fields where the header has 4: check the ';' separators and quote values "
                "that contain one",
            )
        ],
        id="too-many-fields",
    ),
    pytest.param(
        [
            (
                "attributes.csv",
                "sku;SKU produit;Shop product SKU;;Référence unique du produit chez le vendeur;"
                "REQUIRED;TEXT;;false;MAX_LENGTH|40",
                "sku;;Shop product SKU;;Référence unique du produit chez le vendeur;"
                "MANDATORY;TEXT;;oui;MAX_LENGTH|x",
            )
        ],
        [
            (
                "attributes.csv",
                3,
                "requirement-level",
                "unknown requirement level 'MANDATORY': use one of REQUIRED, RECOMMENDED, OPTIONAL",
            ),
            (
                "attributes.csv",
                3,
                "validations",
                "malformed validation 'MAX_LENGTH|x': write MAX_LENGTH|n with n a positive integer",
            ),
            ("attributes.csv", 3, "variant", "bad boolean 'oui': write true or false"),
            ("attributes.csv", 3, "label", "empty required cell: fill it in"),
        ],
        id="every-issue-of-an-attribute-row",
    ),
    pytest.param(
        [("channels.csv", "ES_B2C;Espagne - B2C;Spain - B2C;false;EUR", ";Espagne;Spain;oui;euro")],
        [
            ("channels.csv", 3, "code", "empty required cell: fill it in"),
            ("channels.csv", 3, "default", "bad boolean 'oui': write true or false"),
            ("channels.csv", 3, "currency", "bad currency 'euro': write an ISO code like EUR"),
        ],
        id="every-issue-of-a-channel-row",
    ),
    pytest.param(
        [
            (
                "offer-states.csv",
                "12;Reconditionné - Très bon état;Refurbished - Very good condition;"
                "Reacondicionado - Muy buen estado",
                "12",
            )
        ],
        [("offer-states.csv", 4, "label", "empty required cell: fill it in")],
        id="short-row",
    ),
    pytest.param(
        [
            ("channels.csv", "Spain - B2C;false", "Spain - B2C;true"),
            ("hierarchies.csv", ";Fundas;telephonie", ";Fundas;telephone"),
            ("attributes.csv", "(m);chargeurs;", "(m);chargeur;"),
        ],
        [
            (
                "channels.csv",
                3,
                "default",
                "more than one default channel: FR_B2C (line 2) is the default already; "
                "set default to false here",
            ),
            (
                "hierarchies.csv",
                4,
                "parent-code",
                "unknown parent category 'telephone': define it in hierarchies.csv "
                "or leave parent-code empty",
            ),
            (
                "attributes.csv",
                30,
                "hierarchy-code",
                "unknown category 'chargeur': define it in hierarchies.csv, or leave "
                "hierarchy-code empty to attach the attribute to every category",
            ),
        ],
        id="every-issue-at-once",
    ),
]
