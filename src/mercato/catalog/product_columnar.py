"""The product row checks over a whole column frame at once, for the lines that pass them.

`validation.check_row` is the rule book: it finds and words every issue of a row. A file of
a hundred thousand products cannot afford it line by line, so this module recognises, column
by column and category by category, the lines whose every cell is plainly right (no error,
no warning) and computes their data exactly as `check_row` would. Everything else (an issue,
a value with spaces around it, a number written `+5` or `06,1`, a bound a float cannot hold
exactly) is left to the rule book: this side only ever says "plainly right", so a line it
does not recognise is never wrongly accepted, only checked the slow way. The tests hold both
sides to the same verdicts and data for every case of the rule tables.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from mercato.catalog.configuration_types import NUMERIC_TYPES
from mercato.catalog.models import AttributeType
from mercato.catalog.product_records import TITLE_LOCALE
from mercato.catalog.product_sheet import csv_line
from mercato.catalog.validation import (
    PRODUCT_COLUMNS,
    AttributeRule,
    CatalogSchema,
    CategoryRules,
)

# Python's str.strip() also strips \x1c-\x1f, which polars' \s does not know as whitespace.
_PADDED = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"
_INTEGER = r"^-?[0-9]{1,15}$"
# No sign, no leading zero, at most 15 digits: Decimal's text is the cell's, `,` read as `.`,
# and the float the bounds are compared with orders such numbers exactly.
_DECIMAL = r"^(0|[1-9][0-9]*)([.,][0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_URL = r"(?i)^https?://[^/?#\s\x1c-\x1f]+(/[^?#]*)?(?:\?[^#]*)?(?:#.*)?$"
_EAN13 = r"^[0-9]{13}$"
_MAX_DIGITS = 15
_NOT_TEXT = (AttributeType.BOOLEAN, AttributeType.LIST_MULTIPLE_VALUES)
# What json.dumps escapes in a string (ensure_ascii=False): quotes, backslashes, controls.
_JSON_SPECIAL = r'["\\\x00-\x1f]'


# What plain_products gives for each plainly right line: its line in the file, its EAN ("" when
# none), its record (as product_records.product_record writes it) and its line of the
# transformed file (its cells as CsvSheet writes them, line end included).
PLAIN_SCHEMA = pl.Schema({"line": pl.Int64, "ean": pl.String, "data": pl.String, "row": pl.String})


class _Cells:
    """The frame's columns by attribute code (operator format): `c<i>` of the code's column."""

    def __init__(self, columns: Mapping[str, int]) -> None:
        self.columns = columns

    def has(self, code: str) -> bool:
        return code in self.columns

    def __call__(self, code: str) -> pl.Expr:
        return pl.col(f"c{self.columns[code]}")


def plain_products(
    frame: pl.DataFrame, columns: Mapping[str, int], schema: CatalogSchema
) -> pl.DataFrame:
    """The frame's lines that `check_row` would accept with no issue, with their data
    (PLAIN_SCHEMA), in line order. `columns`: attribute code -> index of its column in the
    frame (operator format, each code once). The texts stay in polars: made Python strings
    line by line, they cost as much as the checks."""
    cells = _Cells(columns)
    category_column = PRODUCT_COLUMNS.category
    if not cells.has(category_column) or frame.is_empty():
        return PLAIN_SCHEMA.to_frame()
    unpadded = [~cells(code).str.contains(_PADDED) for code in columns]
    base = frame.filter(pl.col("extra") == "", *unpadded)
    found = [PLAIN_SCHEMA.to_frame()]
    for code in base[f"c{columns[category_column]}"].unique().to_list():
        category = schema.categories.get(code)
        if category is None or not category.is_leaf:
            continue
        rows = base.filter(cells(category_column) == code)
        found.append(_category_lines(rows, cells, category))
    return pl.concat(found).sort("line")


def _category_lines(frame: pl.DataFrame, cells: _Cells, category: CategoryRules) -> pl.DataFrame:
    checks: list[pl.Expr] = []
    values: list[tuple[AttributeRule, pl.Expr]] = []
    for rule in category.rules:
        if rule.type == AttributeType.CATEGORY:
            continue
        if not cells.has(rule.code):
            if rule.required:
                return PLAIN_SCHEMA.to_frame()  # every line lacks a required value
            continue
        check = _rule_check(rule, cells(rule.code))
        if check is None:
            return PLAIN_SCHEMA.to_frame()  # a rule this side does not hold to the rule book
        ok, value = check
        raw = cells(rule.code)
        checks.append((raw != "") & ok if rule.required else (raw == "") | ok)
        values.append((rule, pl.when(raw != "").then(value)))
    plain = frame.filter(*checks) if checks else frame
    data = _data_json(category, values, _plainly(plain, values))
    if data is None:
        return PLAIN_SCHEMA.to_frame()
    by_code = {rule.code: value for rule, value in values}
    ean = by_code.get(PRODUCT_COLUMNS.ean, pl.lit(None, pl.String))
    row = csv_line([pl.col(f"c{index}") for index in cells.columns.values()])
    return plain.select(
        pl.col("line").cast(pl.Int64),
        ean.fill_null("").alias("ean"),
        data.alias("data"),
        row.alias("row"),
    )


@dataclass(frozen=True)
class _Plainly:
    """Of a frame's values, by rule code: `quoted`, the strings holding nothing that JSON
    escapes (their JSON is the value between quotes, far cheaper than polars' encoder);
    `clean`, the values whose JSON holds no backslash or control character (those strings,
    numbers, booleans), so that a JSON text of them is escaped by escaping its quotes."""

    quoted: frozenset[str] = frozenset()
    clean: frozenset[str] = frozenset()


def _plainly(frame: pl.DataFrame, values: Sequence[tuple[AttributeRule, pl.Expr]]) -> _Plainly:
    named = {rule.code: value for rule, value in values}
    if not named or frame.is_empty():
        return _Plainly()
    kinds = frame.clear().select(**named).schema
    scalars = frozenset(c for c, kind in kinds.items() if kind.is_numeric() or kind == pl.Boolean)
    strings = {code: named[code] for code, kind in kinds.items() if kind == pl.String}
    if not strings:
        return _Plainly(clean=scalars)
    escaped = frame.select(
        **{code: value.str.contains(_JSON_SPECIAL).any() for code, value in strings.items()}
    ).row(0, named=True)
    quoted = frozenset(code for code in strings if not escaped[code])
    return _Plainly(quoted, quoted | scalars)


def _data_json(
    category: CategoryRules,
    values: Sequence[tuple[AttributeRule, pl.Expr]],
    plainly: _Plainly,
) -> pl.Expr | None:
    """The line's record as `product_records.product_record` writes it, its data as
    validation._product_data fills them (empty values left out)."""
    parts: dict[str, list[pl.Expr]] = {
        "titles": [],
        "descriptions": [],
        "media": [],
        "attributes": [],
    }
    clean = dict.fromkeys(parts, True)  # each part's JSON text holds no backslash
    fixed: dict[str, pl.Expr] = {}
    title = pl.lit(None, pl.String)
    for rule, value in values:
        role, key = rule.role
        if role != "attributes" and rule.type in _NOT_TEXT:
            return None  # str() of a list or a bool: left to the rule book
        encoded = _json_value(value, rule.code in plainly.quoted)
        if (role, key) == ("titles", TITLE_LOCALE):
            title = encoded
        if role == "fixed":
            fixed[key] = encoded
        elif role == "media":
            parts["media"].append(encoded)
            clean["media"] &= rule.code in plainly.clean
        else:
            if rule.type == AttributeType.LIST_MULTIPLE_VALUES:
                encoded = _json_list(value)
            name = json.dumps(key, ensure_ascii=False)
            clean[role] &= (
                rule.code in plainly.clean
                and name == f'"{key}"'
                and (rule.type != AttributeType.LIST_MULTIPLE_VALUES)
            )
            parts[role].append(pl.concat_str(pl.lit(name + ": "), encoded))
    return _record(category, fixed, title, parts, clean)


def _record(
    category: CategoryRules,
    fixed: Mapping[str, pl.Expr],
    title: pl.Expr,
    parts: Mapping[str, Sequence[pl.Expr]],
    clean: Mapping[str, bool],
) -> pl.Expr:
    """The record of the line's values (`fixed` and `title` as JSON already): the fixed
    columns', its title's, and the entries of its JSON columns, which go as their text, a
    string in the record."""
    columns = PRODUCT_COLUMNS

    def text(code: str) -> pl.Expr:
        return fixed.get(code, pl.lit('""')).fill_null('""')

    def json_text(role: str, brackets: str) -> pl.Expr:
        joined = _joined(parts[role], brackets)
        if not clean[role]:
            return _json_value(joined)
        return pl.concat_str(
            pl.lit('"'), joined.str.replace_all('"', '\\"', literal=True), pl.lit('"')
        )

    fields = {
        "line": pl.col("line").cast(pl.String),
        "category": pl.lit(json.dumps(category.code, ensure_ascii=False)),
        "ean": text(columns.ean),
        "sku": text(columns.sku),
        "brand": text(columns.brand),
        "group": text(columns.variant_group),
        "title": title.fill_null('""'),
        "titles": json_text("titles", "{}"),
        "descriptions": json_text("descriptions", "{}"),
        "media": json_text("media", "[]"),
        "attributes": json_text("attributes", "{}"),
    }
    pairs = [pl.concat_str(pl.lit(f'"{name}": '), value) for name, value in fields.items()]
    return pl.concat_str(pl.lit("{"), pl.concat_str(pairs, separator=", "), pl.lit("}"))


def _json_value(value: pl.Expr, quoted: bool = False) -> pl.Expr:
    """The JSON of a value (null stays null): between quotes when `quoted` (a string holding
    nothing JSON escapes), else encoded by polars inside a one-field object."""
    if quoted:
        return pl.concat_str(pl.lit('"'), value, pl.lit('"'))
    encoded = pl.struct(value.alias("v")).struct.json_encode()
    return pl.when(value.is_not_null()).then(encoded.str.slice(5).str.strip_suffix("}"))


def _json_list(values: pl.Expr) -> pl.Expr:
    """The JSON of a list of texts as json.dumps writes it: `, ` between items, where polars
    writes `,`."""
    items = values.list.eval(_json_value(pl.element())).list.join(", ")
    return pl.when(values.is_not_null()).then(pl.concat_str(pl.lit("["), items, pl.lit("]")))


def _joined(entries: Sequence[pl.Expr], brackets: str) -> pl.Expr:
    if not entries:
        return pl.lit(brackets)
    inner = pl.concat_str(entries, separator=", ", ignore_nulls=True).fill_null("")
    return pl.concat_str(pl.lit(brackets[0]), inner, pl.lit(brackets[1]))


def _rule_check(rule: AttributeRule, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr] | None:
    """(the filled cell is plainly right, its normalized value), None when the rule cannot
    be held exactly to the rule book here."""
    typed = _type_check(rule, raw)
    if typed is None:
        return None
    ok, value = typed
    validations = _validations_ok(rule, raw, value)
    if validations is None:
        return None
    return ok & validations, value


def _type_check(rule: AttributeRule, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr] | None:
    kind = rule.type
    if kind == AttributeType.INTEGER:
        number = raw.cast(pl.Int64, strict=False)
        return raw.str.contains(_INTEGER), number.cast(pl.String)
    if kind == AttributeType.DECIMAL:
        ok = raw.str.contains(_DECIMAL) & (raw.str.len_chars() <= _MAX_DIGITS)
        return ok, raw.str.replace(",", ".", literal=True)
    if kind == AttributeType.BOOLEAN:
        lowered = raw.str.to_lowercase()
        return lowered.is_in(["true", "false"]), lowered == "true"
    if kind == AttributeType.DATE:
        parsed = raw.str.to_date("%Y-%m-%d", strict=False)
        # Python's dates start at year 1; polars' at year 0.
        ok = raw.str.contains(_DATE) & parsed.is_not_null() & ~raw.str.starts_with("0000")
        return ok, raw
    if kind == AttributeType.LIST:
        return raw.is_in(sorted(rule.values)), raw
    if kind == AttributeType.LIST_MULTIPLE_VALUES:
        items = raw.str.split("|")
        # An item the rule book would strip or skip is left to it.
        item = pl.element()
        plain = item.is_in(sorted(rule.values)) & (item != "") & ~item.str.contains(_PADDED)
        return items.list.eval(plain).list.all(), items
    if kind == AttributeType.MEDIA:
        return _media_ok(rule, raw), raw
    if kind in (AttributeType.TEXT, AttributeType.LONG_TEXT):
        return pl.lit(True), raw
    return None


def _media_ok(rule: AttributeRule, raw: pl.Expr) -> pl.Expr:
    url = raw.str.contains(_URL)
    if not rule.extensions:
        return url
    path = raw.str.extract(_URL, 1).fill_null("")
    name = path.str.split("/").list.last()
    extension = (
        pl.when(name.str.contains(".", literal=True))
        .then(name.str.split(".").list.last().str.to_lowercase())
        .otherwise(pl.lit(""))
    )
    return url & extension.is_in(list(rule.extensions))


def _validations_ok(rule: AttributeRule, raw: pl.Expr, value: pl.Expr) -> pl.Expr | None:
    v = rule.validations
    ok = pl.lit(True)
    if v.max_length is not None:
        ok = ok & (raw.str.len_chars() <= v.max_length)
    if rule.type in NUMERIC_TYPES:
        number = raw.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        for bound, within in ((v.minimum, number.__ge__), (v.maximum, number.__le__)):
            if bound is None:
                continue
            if not _exact_float(bound):
                return None
            ok = ok & within(float(bound))
    if v.max_items is not None:
        if rule.type == AttributeType.LIST_MULTIPLE_VALUES:
            count = value.list.len()
        else:
            count = raw.str.count_matches("|", literal=True) + 1
        ok = ok & (count <= v.max_items)
    if v.ean13:
        ok = ok & _ean13_ok(raw)
    return ok


def _exact_float(bound: Decimal) -> bool:
    """A bound of at most 15 significant digits, far from the float's limits: decimals of 15
    digits at most (the cells this side accepts) keep their order as floats."""
    return len(bound.as_tuple().digits) <= _MAX_DIGITS and abs(bound.adjusted()) < 300


def _ean13_ok(raw: pl.Expr) -> pl.Expr:
    digits = [raw.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(13)]
    odd = pl.sum_horizontal(digits[0:12:2])
    even = pl.sum_horizontal(digits[1:12:2])
    check = (10 - (odd + 3 * even) % 10) % 10
    return raw.str.contains(_EAN13) & (check == digits[12])
