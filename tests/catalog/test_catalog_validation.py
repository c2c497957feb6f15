"""Product rows against the catalog rules: every type, validation and category rule."""

from pathlib import Path

import pytest

from mercato.catalog.configuration import read_marketplace
from mercato.catalog.validation import (
    AttachmentSpec,
    AttributeSpec,
    CatalogSchema,
    ProductData,
    ProductIssue,
    build_schema,
    check_row,
    check_rows,
    normalize_row,
    schema_from_configuration,
)
from mercato.errors import InvalidInput

PARENTS = {"root": "", "mid": "root", "leaf": "mid", "other": "root"}
LISTS = {"colors": ["noir", "blanc", "bleu"]}


def schema_with(
    type_: str, parameter: str = "", validations: str = "", level: str = "REQUIRED"
) -> CatalogSchema:
    """The category attribute and one attribute `attr`, attached to `leaf`."""
    return build_schema(
        PARENTS,
        [AttributeSpec("category", "CATEGORY", ""), AttributeSpec("attr", type_, parameter)],
        [
            AttachmentSpec("category", "", "REQUIRED", ""),
            AttachmentSpec("attr", "leaf", level, validations),
        ],
        LISTS,
    )


VALUE_CASES = [
    # type, type-parameter, validations, raw value, expected code (2xxx form) or None, value
    ("TEXT", "", "", "Galaxy", None, "Galaxy"),
    ("TEXT", "", "", "  padded  ", None, "padded"),
    ("LONG_TEXT", "", "", "long text", None, "long text"),
    ("INTEGER", "", "", "8", None, "8"),
    ("INTEGER", "", "", "-3", None, "-3"),
    ("INTEGER", "", "", "+08", None, "8"),
    ("INTEGER", "", "", "8.5", 2010, None),
    ("INTEGER", "", "", "8,0", 2010, None),
    ("INTEGER", "", "", "quatre", 2010, None),
    ("DECIMAL", "", "", "25,6", None, "25.6"),
    ("DECIMAL", "", "", "25.6", None, "25.6"),
    ("DECIMAL", "", "", "12", None, "12"),
    ("DECIMAL", "", "", ",5", None, "0.5"),
    ("DECIMAL", "", "", "huit", 2011, None),
    ("DECIMAL", "", "", "1e5", 2011, None),
    ("DECIMAL", "", "", "NaN", 2011, None),
    ("DECIMAL", "", "", "6.1.2", 2011, None),
    ("BOOLEAN", "", "", "true", None, True),
    ("BOOLEAN", "", "", "FALSE", None, False),
    ("BOOLEAN", "", "", "oui", 2012, None),
    ("BOOLEAN", "", "", "1", 2012, None),
    ("DATE", "yyyy-MM-dd", "", "2024-02-29", None, "2024-02-29"),
    ("DATE", "", "", "2024-02-29", None, "2024-02-29"),
    ("DATE", "yyyy-MM-dd", "", "2023-02-29", 2013, None),
    ("DATE", "yyyy-MM-dd", "", "29/02/2024", 2013, None),
    ("DATE", "yyyy-MM-dd", "", "20240229", 2013, None),
    ("LIST", "colors", "", "noir", None, "noir"),
    ("LIST", "colors", "", "Noir", 2006, None),
    ("LIST", "colors", "", "fuchsia-pailletee", 2006, None),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir|blanc", None, ["noir", "blanc"]),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir | bleu |", None, ["noir", "bleu"]),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir|rose", 2006, None),
    (
        "MEDIA",
        "gif|jpg|jpeg|png|webp",
        "",
        "https://img.example.com/a.JPG",
        None,
        "https://img.example.com/a.JPG",
    ),
    (
        "MEDIA",
        "gif|jpg|jpeg|png|webp",
        "",
        "http://img.example.com/a.webp?v=2",
        None,
        "http://img.example.com/a.webp?v=2",
    ),
    ("MEDIA", "gif|jpg|jpeg|png|webp", "", "https://img.example.com/a.bmp", 2019, None),
    ("MEDIA", "gif|jpg|jpeg|png|webp", "", "https://img.example.com/photo", 2019, None),
    ("MEDIA", "gif|jpg|jpeg|png|webp", "", "ftp://img.example.com/a.jpg", 2019, None),
    ("MEDIA", "gif|jpg|jpeg|png|webp", "", "a.jpg", 2019, None),
    ("MEDIA", "", "", "https://img.example.com/a.tiff", None, "https://img.example.com/a.tiff"),
    ("TEXT", "", "MAX_LENGTH|5", "12345", None, "12345"),
    ("TEXT", "", "MAX_LENGTH|5", "123456", 2014, None),
    ("INTEGER", "", "MIN|1,MAX|64", "1", None, "1"),
    ("INTEGER", "", "MIN|1,MAX|64", "0", 2015, None),
    ("INTEGER", "", "MIN|1,MAX|64", "65", 2016, None),
    ("DECIMAL", "", "MIN|0,MAX|10", "10,0", None, "10.0"),
    ("DECIMAL", "", "MIN|0,MAX|10", "-0,1", 2015, None),
    ("DECIMAL", "", "MIN|0,MAX|10", "10.01", 2016, None),
    ("LONG_TEXT", "", "MAX_ITEMS|2", "a|b", None, "a|b"),
    ("LONG_TEXT", "", "MAX_ITEMS|2", "a|b|c", 2017, None),
    ("LIST_MULTIPLE_VALUES", "colors", "MAX_ITEMS|2", "noir|blanc|bleu", 2017, None),
    ("TEXT", "", "EAN13", "3000000000007", None, "3000000000007"),
    ("TEXT", "", "EAN13", "3000000000008", 2018, None),
    ("TEXT", "", "EAN13", "300000000007", 2018, None),
    ("TEXT", "", "EAN13", "300000000000A", 2018, None),
    (
        "MEDIA",
        "jpg",
        "MAX_SIZE_KB|10",
        "https://img.example.com/a.jpg",
        None,
        "https://img.example.com/a.jpg",
    ),
]


def expected_args(code: int, validations: str) -> tuple[str, ...]:
    limits = dict(v.split("|") for v in validations.split(",") if "|" in v)
    by_code = {2014: "MAX_LENGTH", 2015: "MIN", 2016: "MAX", 2017: "MAX_ITEMS"}
    if code in by_code:
        return ("attr", limits[by_code[code]])
    if code == 2019:
        return ("attr", "gif, jpg, jpeg, png, webp")
    return ("attr",)


@pytest.mark.parametrize(("type_", "parameter", "validations", "raw", "code", "value"), VALUE_CASES)
@pytest.mark.parametrize("level", ["REQUIRED", "RECOMMENDED", "OPTIONAL"])
def test_value_rules(
    type_: str,
    parameter: str,
    validations: str,
    raw: str,
    code: int | None,
    value: object,
    level: str,
) -> None:
    schema = schema_with(type_, parameter, validations, level)
    checked = check_row({"category": "leaf", "attr": raw}, 7, schema)
    if code is None:
        assert checked.issues == []
        assert checked.product is not None
        if type_ == "MEDIA":  # media go to the product's media list, in attribute order
            assert (checked.product.media, checked.product.attributes) == ([value], {})
        else:
            assert (checked.product.media, checked.product.attributes) == ([], {"attr": value})
        return
    # Required: an error (2xxx), the line is rejected; else a warning (3xxx), value dropped.
    final = code if level == "REQUIRED" else code + 1000
    assert checked.issues == [ProductIssue(7, "attr", final, expected_args(code, validations))]
    if level == "REQUIRED":
        assert checked.product is None
    else:
        assert checked.product is not None
        assert (checked.product.media, checked.product.attributes) == ([], {})


@pytest.mark.parametrize(
    ("level", "issues", "loaded"),
    [
        ("REQUIRED", [ProductIssue(3, "attr", 1000, ("attr",))], False),
        ("RECOMMENDED", [], True),
        ("OPTIONAL", [], True),
    ],
)
def test_empty_value_by_requirement_level(
    level: str, issues: list[ProductIssue], loaded: bool
) -> None:
    for raw in ({"category": "leaf", "attr": "  "}, {"category": "leaf"}):
        checked = check_row(raw, 3, schema_with("TEXT", level=level))
        assert checked.issues == issues
        assert (checked.product is not None) is loaded


@pytest.mark.parametrize(
    ("row", "issues"),
    [
        ({"sku": "x"}, [ProductIssue(5, "category", 1004)]),
        ({"category": " "}, [ProductIssue(5, "category", 1000, ("category",))]),
        ({"category": "telephones"}, [ProductIssue(5, "category", 1001, ("telephones",))]),
        ({"category": "mid"}, [ProductIssue(5, "category", 2020, ("mid",))]),
        ({"category": "root"}, [ProductIssue(5, "category", 2020, ("root",))]),
    ],
)
def test_category_rules(row: dict[str, str], issues: list[ProductIssue]) -> None:
    checked = check_row({**row, "attr": "x"}, 5, schema_with("TEXT", level="OPTIONAL"))
    assert checked.issues == issues
    assert checked.product is None


def inheritance_schema(*attachments: AttachmentSpec) -> CatalogSchema:
    return build_schema(
        PARENTS,
        [AttributeSpec("category", "CATEGORY", ""), AttributeSpec("power", "INTEGER", "")],
        [AttachmentSpec("category", "", "REQUIRED", ""), *attachments],
        {},
    )


@pytest.mark.parametrize(
    ("attachments", "category", "code"),
    [
        # Global attachment applies everywhere.
        ([AttachmentSpec("power", "", "REQUIRED", "")], "leaf", 2010),
        ([AttachmentSpec("power", "", "REQUIRED", "")], "other", 2010),
        # An ancestor's attachment is inherited by its descendants only.
        ([AttachmentSpec("power", "root", "OPTIONAL", "")], "leaf", 3010),
        ([AttachmentSpec("power", "mid", "REQUIRED", "")], "leaf", 2010),
        ([AttachmentSpec("power", "mid", "REQUIRED", "")], "other", None),
        # The deepest attachment wins, whatever the file order.
        (
            [
                AttachmentSpec("power", "leaf", "OPTIONAL", ""),
                AttachmentSpec("power", "", "REQUIRED", ""),
                AttachmentSpec("power", "mid", "REQUIRED", ""),
            ],
            "leaf",
            3010,
        ),
        (
            [
                AttachmentSpec("power", "", "OPTIONAL", ""),
                AttachmentSpec("power", "mid", "REQUIRED", ""),
            ],
            "leaf",
            2010,
        ),
        (
            [
                AttachmentSpec("power", "", "OPTIONAL", ""),
                AttachmentSpec("power", "mid", "REQUIRED", ""),
            ],
            "other",
            3010,
        ),
    ],
)
def test_inheritance_and_deepest_attachment(
    attachments: list[AttachmentSpec], category: str, code: int | None
) -> None:
    checked = check_row({"category": category, "power": "8.5"}, 2, inheritance_schema(*attachments))
    assert checked.issues == ([ProductIssue(2, "power", code, ("power",))] if code else [])


def test_deepest_attachment_validations_win() -> None:
    schema = inheritance_schema(
        AttachmentSpec("power", "", "REQUIRED", "MAX|10"),
        AttachmentSpec("power", "mid", "REQUIRED", "MAX|100"),
    )
    assert check_row({"category": "leaf", "power": "50"}, 2, schema).issues == []
    assert check_row({"category": "other", "power": "50"}, 2, schema).issues == [
        ProductIssue(2, "power", 2016, ("power", "10"))
    ]


@pytest.fixture(scope="module")
def reference_schema() -> CatalogSchema:
    from django.conf import settings

    return schema_from_configuration(read_marketplace(Path(settings.REFERENCE_MARKETPLACE_DIR)))


SMARTPHONE = {
    "category": "smartphones",
    "sku": "P-00000000",
    "ean": "3000000000007",
    "title-fr_FR": "Smartphone Galaxy S24 128 Go noir",
    "title-es_ES": "Smartphone Galaxy S24 128 GB negro",
    "description-fr_FR": "Le Galaxy S24 en noir, 128 Go.",
    "brand": "samsung",
    "image-1": "https://images.example.com/p/0-1.jpg",
    "image-2": "https://images.example.com/p/0-2.jpg",
    "image-3": "",
    "variant-group-code": "VG-0000000",
    "color": "noir",
    "key-selling-points": "Écran OLED|Triple capteur photo|Charge rapide",
    "storage-capacity": "128GB",
    "screen-size": "6,1",
    "ram": "8",
    "operating-system": "android",
    "network-5g": "true",
    "repairability-index": "8.8",
    "power-w": "not attached to smartphones: ignored",
    "hdmi-ports": "quatre",
}


def test_reference_row_normalized(reference_schema: CatalogSchema) -> None:
    assert normalize_row(SMARTPHONE, reference_schema) == ProductData(
        category_code="smartphones",
        ean="3000000000007",
        shop_sku="P-00000000",
        titles={
            "fr_FR": "Smartphone Galaxy S24 128 Go noir",
            "es_ES": "Smartphone Galaxy S24 128 GB negro",
        },
        descriptions={"fr_FR": "Le Galaxy S24 en noir, 128 Go."},
        brand="samsung",
        media=["https://images.example.com/p/0-1.jpg", "https://images.example.com/p/0-2.jpg"],
        variant_group_code="VG-0000000",
        attributes={
            "color": "noir",
            "key-selling-points": "Écran OLED|Triple capteur photo|Charge rapide",
            "storage-capacity": "128GB",
            "screen-size": "6.1",
            "ram": "8",
            "operating-system": "android",
            "network-5g": True,
            "repairability-index": "8.8",
        },
    )


def test_reference_row_warnings_drop_values(reference_schema: CatalogSchema) -> None:
    row = {**SMARTPHONE, "color": "fuchsia-pailletee", "ram": "8.5", "image-2": "x.bmp"}
    checked = check_row(row, 12, reference_schema)
    assert checked.issues == [
        ProductIssue(12, "image-2", 3019, ("image-2", "gif, jpg, jpeg, png, webp")),
        ProductIssue(12, "color", 3006, ("color",)),
        ProductIssue(12, "ram", 3010, ("ram",)),
    ]
    assert checked.product is not None
    assert checked.product.media == ["https://images.example.com/p/0-1.jpg"]
    assert "color" not in checked.product.attributes
    assert "ram" not in checked.product.attributes


def test_reference_row_collects_every_error(reference_schema: CatalogSchema) -> None:
    row = {**SMARTPHONE, "brand": "", "ean": "3000000000008", "repairability-index": "huit"}
    checked = check_row(row, 9, reference_schema)
    assert checked.issues == [
        ProductIssue(9, "ean", 2018, ("ean",)),
        ProductIssue(9, "brand", 1000, ("brand",)),
        ProductIssue(9, "repairability-index", 2011, ("repairability-index",)),
    ]
    assert checked.product is None
    with pytest.raises(InvalidInput) as raised:
        normalize_row(row, reference_schema)
    assert raised.value.message == (
        "The product is not valid: ean: The attribute ean is not a valid EAN; "
        "brand: The attribute brand is required; "
        "repairability-index: The attribute repairability-index must be numeric"
    )


def test_unknown_category_still_checks_global_attributes(reference_schema: CatalogSchema) -> None:
    row = {**SMARTPHONE, "category": "telephones-portables", "brand": "", "screen-size": "x"}
    assert check_row(row, 4, reference_schema).issues == [
        ProductIssue(4, "category", 1001, ("telephones-portables",)),
        ProductIssue(4, "brand", 1000, ("brand",)),
    ]


HEADER = ["category", "ean", "attr"]


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        (
            HEADER,
            [(2, ["leaf", "3000000000007", "a"]), (3, ["leaf", "3000000000007", "b"])],
            [[], [ProductIssue(3, "ean", 2021, ("3000000000007", "2"))]],
        ),
        (
            HEADER,
            [(2, ["leaf", "3000000000007", "a", "extra"]), (3, ["leaf", "3000000000014"])],
            [[ProductIssue(2, "", 1002)], [ProductIssue(3, "", 1002)]],
        ),
        (HEADER, [(2, ["leaf", "3000000000007", "a", "", " "])], [[]]),
        (["category", "attr", "attr"], [(2, ["leaf", "a", "b"])], [[ProductIssue(2, "", 1002)]]),
        (
            ["ean", "attr"],
            [(2, ["3000000000007", "a"])],
            [[ProductIssue(2, "category", 1004)]],
        ),
    ],
)
def test_check_rows(
    header: list[str], rows: list[tuple[int, list[str]]], expected: list[list[ProductIssue]]
) -> None:
    checks = list(check_rows(header, rows, schema_with("TEXT")))
    assert [c.issues for c in checks] == expected
    assert [c.product is not None for c in checks] == [not issues for issues in expected]
