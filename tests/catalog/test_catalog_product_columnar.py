"""The product column checks agree with the rule book: what they accept, check_row accepts
with no issue, with the very data it gives; what they leave, only the rule book decides."""

from typing import Any

import polars as pl
import pytest
from test_catalog_validation import VALUE_CASES, schema_with

from mercato.catalog.product_columnar import PLAIN_SCHEMA, plain_products
from mercato.catalog.product_records import product_record
from mercato.catalog.validation import (
    AttachmentSpec,
    AttributeSpec,
    CatalogSchema,
    build_schema,
    check_row,
)

# Spellings the rule book accepts that this side leaves to it (no harm: the slow road).
RULE_BOOK_ONLY = {"  padded  ", "+08", ",5", "noir | bleu |"}

# type, type-parameter, validations, raw value, taken by the column road
ROAD_CASES = [
    ("INTEGER", "", "", "007", True),
    ("INTEGER", "", "", "-0", True),
    ("INTEGER", "", "", "+5", False),
    ("INTEGER", "", "", "1234567890123456", False),
    ("INTEGER", "", "MIN|1,MAX|64", "64", True),
    ("INTEGER", "", "MIN|0.0000000000000001", "1", True),
    ("INTEGER", "", "MIN|0.1234567890123456", "1", False),
    ("DECIMAL", "", "", "0,50", True),
    ("DECIMAL", "", "", "06,1", False),
    ("DECIMAL", "", "", "6.", False),
    ("DECIMAL", "", "", "-1.5", False),
    ("DECIMAL", "", "", "1.0000000000001", True),
    ("DECIMAL", "", "", "1.00000000000001", False),
    ("DECIMAL", "", "MIN|0,MAX|10", "10", True),
    ("DECIMAL", "", "MIN|0,MAX|10", "10.000", True),
    ("DECIMAL", "", "MIN|0,MAX|10", "10.00000000001", False),
    ("DECIMAL", "", "MIN|0,MAX|0.1", "0.1", True),
    ("BOOLEAN", "", "", "True", True),
    ("BOOLEAN", "", "", "tRuE", True),
    ("BOOLEAN", "", "", "vrai", False),
    ("DATE", "", "", "2024-02-30", False),
    ("DATE", "", "", "0000-01-01", False),
    ("DATE", "", "", "2024-2-03", False),
    ("LIST", "colors", "", "noir ", False),
    ("LIST", "colors", "", "\x1fnoir", False),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir", True),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir||blanc", False),
    ("LIST_MULTIPLE_VALUES", "colors", "", "noir|", False),
    ("LIST_MULTIPLE_VALUES", "colors", "MAX_ITEMS|2", "noir|blanc", True),
    ("MEDIA", "jpg|png", "", "HTTPS://img.example.com/dir.v2/a.PNG#top", True),
    ("MEDIA", "jpg|png", "", "https://img.example.com/a.jpg/b", False),
    ("MEDIA", "jpg|png", "", "https://img example.com/a.jpg", False),
    ("MEDIA", "jpg|png", "", "https://img.example.com", False),
    ("MEDIA", "", "", "https://img.example.com", True),
    ("TEXT", "", "MAX_LENGTH|3", "été", True),
    ("TEXT", "", "MAX_ITEMS|2", "a|b|c", False),
    ("TEXT", "", "EAN13", "4006381333931", True),
    ("TEXT", "", "EAN13", "4006381333932", False),
    ("TEXT", "", "EAN13", "400638133393١", False),  # an Arabic-Indic digit  # noqa: RUF001
]


def _frame(rows: list[dict[str, str]], header: list[str], extra: list[str]) -> pl.DataFrame:
    data: dict[str, Any] = {"line": list(range(2, len(rows) + 2))}
    for index, column in enumerate(header):
        data[f"c{index}"] = [row.get(column, "") for row in rows]
    data["extra"] = extra
    texts = dict.fromkeys((name for name in data if name != "line"), pl.String)
    return pl.DataFrame(data, schema={"line": pl.Int64, **texts})


def _roads(
    rows: list[dict[str, str]],
    schema: CatalogSchema,
    header: list[str],
    extra: list[str] | None = None,
) -> list[bool]:
    """For each row, whether the column road took it; checked against the rule book."""
    columns = {name: index for index, name in enumerate(header)}
    frame = plain_products(_frame(rows, header, extra or [""] * len(rows)), columns, schema)
    assert frame.schema == PLAIN_SCHEMA
    assert frame["line"].to_list() == sorted(frame["line"])
    found = {line: (data, ean) for line, ean, data, _ in frame.iter_rows()}
    taken = []
    for line, row in enumerate(rows, start=2):
        plain = found.get(line)
        if plain is not None:
            checked = check_row(row, line, schema)
            assert checked.issues == []
            assert checked.product is not None
            # The very text of the rule book's record: equal values are not enough (True == 1,
            # and the key order is the stored JSON's).
            assert plain == (
                product_record(line, checked.product),
                checked.product.ean,
            )
        taken.append(plain is not None)
    return taken


@pytest.mark.parametrize(("type_", "parameter", "validations", "raw", "code", "value"), VALUE_CASES)
@pytest.mark.parametrize("level", ["REQUIRED", "OPTIONAL"])
def test_the_rule_tables_cases_take_the_road_only_when_plainly_right(
    type_: str,
    parameter: str,
    validations: str,
    raw: str,
    code: int | None,
    value: object,
    level: str,
) -> None:
    schema = schema_with(type_, parameter, validations, level)
    row = {"category": "leaf", "attr": raw}
    expected = code is None and raw not in RULE_BOOK_ONLY
    assert _roads([row], schema, ["category", "attr"]) == [expected]


@pytest.mark.parametrize(("type_", "parameter", "validations", "raw", "taken"), ROAD_CASES)
def test_the_roads_edges(
    type_: str, parameter: str, validations: str, raw: str, taken: bool
) -> None:
    schema = schema_with(type_, parameter, validations, "REQUIRED")
    row = {"category": "leaf", "attr": raw}
    assert _roads([row], schema, ["category", "attr"]) == [taken]


@pytest.mark.parametrize("level", ["REQUIRED", "OPTIONAL"])
def test_an_empty_cell_is_plain_only_when_optional(level: str) -> None:
    schema = schema_with("TEXT", level=level)
    rows = [{"category": "leaf", "attr": ""}, {"category": "leaf", "attr": " "}]
    assert _roads(rows, schema, ["category", "attr"]) == [level == "OPTIONAL", False]


def _phones_schema() -> CatalogSchema:
    attributes = [
        AttributeSpec("category", "CATEGORY", ""),
        AttributeSpec("sku", "TEXT", ""),
        AttributeSpec("ean", "TEXT", ""),
        AttributeSpec("title-fr_FR", "TEXT", ""),
        AttributeSpec("description-fr_FR", "LONG_TEXT", ""),
        AttributeSpec("brand", "LIST", "brands"),
        AttributeSpec("image-1", "MEDIA", "jpg"),
        AttributeSpec("image-2", "MEDIA", "jpg"),
        AttributeSpec("variant-group-code", "TEXT", ""),
        AttributeSpec("color", "LIST", "colors"),
        AttributeSpec("ram", "INTEGER", ""),
        AttributeSpec("connectors", "LIST_MULTIPLE_VALUES", "colors"),
    ]
    attachments = [
        AttachmentSpec("category", "", "REQUIRED", ""),
        AttachmentSpec("sku", "", "REQUIRED", "MAX_LENGTH|10"),
        AttachmentSpec("ean", "", "REQUIRED", "EAN13"),
        AttachmentSpec("title-fr_FR", "", "REQUIRED", ""),
        AttachmentSpec("description-fr_FR", "", "OPTIONAL", ""),
        AttachmentSpec("brand", "", "REQUIRED", ""),
        AttachmentSpec("image-1", "", "REQUIRED", ""),
        AttachmentSpec("image-2", "", "OPTIONAL", ""),
        AttachmentSpec("variant-group-code", "", "OPTIONAL", ""),
        AttachmentSpec("color", "leaf", "RECOMMENDED", "", variant=True),
        AttachmentSpec("ram", "leaf", "REQUIRED", "MIN|1,MAX|64"),
        AttachmentSpec("connectors", "other", "REQUIRED", ""),
    ]
    return build_schema(
        {"root": "", "mid": "root", "leaf": "mid", "other": "root"},
        attributes,
        attachments,
        {"colors": ["noir", "blanc"], "brands": ["acme"]},
    )


HEADER = [
    "category", "sku", "ean", "title-fr_FR", "description-fr_FR", "brand", "image-1",
    "image-2", "variant-group-code", "color", "ram", "connectors",
]  # fmt: skip
PHONE = {
    "category": "leaf",
    "sku": "S-1",
    "ean": "4006381333931",
    "title-fr_FR": "Téléphone « un »",
    "brand": "acme",
    "image-1": "https://img.example.com/1.jpg",
    "image-2": "https://img.example.com/2.jpg",
    "variant-group-code": "VG",
    "color": "noir",
    "ram": "8",
}


def test_whole_rows_by_category() -> None:
    rows = [
        PHONE,
        {**PHONE, "description-fr_FR": 'Une "belle" description \\ en\tdeux\nlignes'},
        {**PHONE, "category": "other", "connectors": "noir|blanc", "ram": ""},
        {**PHONE, "category": "other", "ram": ""},  # connectors required there
        {**PHONE, "category": "mid"},  # not a leaf
        {**PHONE, "category": "unknown"},
        {**PHONE, "category": ""},
        {**PHONE, "color": "rose"},  # a warning: the rule book words it
        {**PHONE, "image-2": ""},
        {**PHONE, "sku": " S-1"},  # stripped by the rule book
        {**PHONE, "ean": "4006381333932"},
        PHONE,  # the same EAN again: the pipeline sends it to the rule book
    ]
    assert _roads(rows, _phones_schema(), HEADER) == [
        True, True, True, False, False, False, False, False, True, False, False, True,
    ]  # fmt: skip


def test_values_beyond_the_header_leave_the_line_to_the_rule_book() -> None:
    assert _roads([PHONE, PHONE], _phones_schema(), HEADER, ["", "surplus"]) == [True, False]


def test_a_required_column_missing_from_the_file_leaves_its_category_to_the_rule_book() -> None:
    header = [c for c in HEADER if c != "ram"]
    rows = [PHONE, {**PHONE, "category": "other", "connectors": "noir"}]
    assert _roads(rows, _phones_schema(), header) == [False, True]


def test_without_a_category_column_nothing_takes_the_road() -> None:
    header = [c for c in HEADER if c != "category"]
    assert _roads([PHONE], _phones_schema(), header) == [False]
