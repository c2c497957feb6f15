"""Product rows checked against the operator's catalog rules (pure: no database).

A `CatalogSchema` is built once, from the configuration values (`schema_from_configuration`)
or from the database (`selectors.catalog_schema`); it holds, per category, the attributes
that apply to it, so that checking a row is a loop over a precomputed tuple. `check_row`
returns every issue of a row and, when the row is not rejected, its normalized data.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from mercato.catalog import product_errors as errors
from mercato.catalog.configuration_types import (
    BOOLEANS,
    LIST_TYPES,
    NUMERIC_TYPES,
    MarketplaceConfig,
    Validations,
    parse_validations,
)
from mercato.catalog.models import AttributeType, RequirementLevel
from mercato.errors import InvalidInput


@dataclass(frozen=True)
class ProductColumns:
    """Which column of an operator-format product file plays which role."""

    category: str = "category"
    sku: str = "sku"
    ean: str = "ean"
    brand: str = "brand"
    variant_group: str = "variant-group-code"
    title_prefix: str = "title-"  # title-fr_FR, title-es_ES…
    description_prefix: str = "description-"

    @property
    def required(self) -> tuple[str, ...]:
        """The columns an operator's products.csv cannot do without."""
        return (self.category, self.ean)

    def role_of(self, code: str, type_: str) -> tuple[str, str]:
        """Where a column's value goes in ProductData: (field, key within that field)."""
        if code in (self.category, self.sku, self.ean, self.brand, self.variant_group):
            return "fixed", code
        if type_ == AttributeType.MEDIA:
            return "media", ""
        if code.startswith(self.title_prefix):
            return "titles", code.removeprefix(self.title_prefix)
        if code.startswith(self.description_prefix):
            return "descriptions", code.removeprefix(self.description_prefix)
        return "attributes", code


PRODUCT_COLUMNS = ProductColumns()

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# http(s)://host/path?query#fragment; the path's extension is what MEDIA types check.
_URL = re.compile(r"^https?://[^/?#\s]+(?P<path>/[^?#]*)?(?:\?[^#]*)?(?:#.*)?$", re.IGNORECASE)
_EAN13 = re.compile(r"^\d{13}$")


@dataclass(frozen=True)
class ProductIssue:
    line: int
    column: str
    code: int
    args: tuple[str, ...] = ()

    def message(self, locale: str = errors.DEFAULT_LOCALE) -> str:
        return errors.render(self.code, locale, *self.args)

    @property
    def rejects(self) -> bool:
        """True for an error (the line is not loaded), False for a warning (value dropped)."""
        return not errors.PRODUCT_ERRORS[self.code].is_warning


@dataclass(frozen=True)
class AttributeRule:
    """An attribute as it applies to one category (its deepest attachment)."""

    code: str
    type: str
    required: bool
    values: frozenset[str] = frozenset()  # the value codes of LIST types
    extensions: tuple[str, ...] = ()  # the accepted media extensions; () accepts any
    validations: Validations = field(default_factory=Validations)
    # Precomputed so that a row does not work them out again for every cell.
    validated: bool = False  # whether `validations` has anything to check
    role: tuple[str, str] = ("attributes", "")  # see ProductColumns.role_of
    variant: bool = False  # an axis on which the variants of a group differ


@dataclass(frozen=True)
class CategoryRules:
    code: str
    is_leaf: bool
    rules: tuple[AttributeRule, ...]

    @property
    def variant_axes(self) -> tuple[str, ...]:
        return tuple(rule.code for rule in self.rules if rule.variant)


@dataclass(frozen=True)
class CatalogSchema:
    categories: Mapping[str, CategoryRules]
    global_rules: tuple[AttributeRule, ...]  # what applies when the category is unknown


class AttributeSpec(NamedTuple):
    code: str
    type: str
    type_parameter: str


class AttachmentSpec(NamedTuple):
    attribute: str
    category: str  # "" for every category
    requirement_level: str
    validations: str
    variant: bool = False


def build_schema(
    parents: Mapping[str, str],
    attributes: Iterable[AttributeSpec],
    attachments: Iterable[AttachmentSpec],
    value_lists: Mapping[str, Iterable[str]],
) -> CatalogSchema:
    """The rules per category. `parents`: category code -> parent code ("" for a root)."""
    specs = {spec.code: spec for spec in attributes}
    lists = {code: frozenset(values) for code, values in value_lists.items()}
    own: dict[str, dict[str, AttributeRule]] = {}
    for attachment in attachments:
        spec = specs.get(attachment.attribute)
        if spec is not None:
            own.setdefault(attachment.category, {})[spec.code] = _rule(spec, attachment, lists)
    with_children = set(parents.values())
    categories = {}
    for code in parents:
        # Global attachments, then the ancestors' from the root down: the deepest one wins.
        merged = dict(own.get("", {}))
        for ancestor in _lineage(code, parents):
            merged.update(own.get(ancestor, {}))
        categories[code] = CategoryRules(code, code not in with_children, tuple(merged.values()))
    return CatalogSchema(categories, tuple(own.get("", {}).values()))


def _lineage(code: str, parents: Mapping[str, str]) -> list[str]:
    """`code` and its ancestors, the root first (stops on a cycle rather than looping)."""
    chain: list[str] = []
    while code and code not in chain:
        chain.append(code)
        code = parents.get(code, "")
    return chain[::-1]


def _rule(
    spec: AttributeSpec, attachment: AttachmentSpec, lists: Mapping[str, frozenset[str]]
) -> AttributeRule:
    media = spec.type == AttributeType.MEDIA and spec.type_parameter
    validations = parse_validations(attachment.validations)[0]
    return AttributeRule(
        code=spec.code,
        type=spec.type,
        required=attachment.requirement_level == RequirementLevel.REQUIRED,
        values=lists.get(spec.type_parameter, frozenset())
        if spec.type in LIST_TYPES
        else frozenset(),
        extensions=tuple(spec.type_parameter.lower().split("|")) if media else (),
        validations=validations,
        validated=validations != Validations(),
        role=PRODUCT_COLUMNS.role_of(spec.code, spec.type),
        variant=attachment.variant,
    )


def schema_from_configuration(config: MarketplaceConfig) -> CatalogSchema:
    return build_schema(
        parents={c.code: c.parent_code for c in config.categories},
        attributes=[AttributeSpec(a.code, a.type, a.type_parameter) for a in config.attributes],
        attachments=[
            AttachmentSpec(
                a.attribute_code, a.category_code, a.requirement_level, a.validations, a.variant
            )
            for a in config.attachments
        ],
        value_lists={v.code: [value.code for value in v.values] for v in config.value_lists},
    )


@dataclass(frozen=True)
class ProductData:
    """A valid row, normalized: the fields of a Product, warned values left out."""

    category_code: str
    ean: str
    shop_sku: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    brand: str
    media: list[str]
    variant_group_code: str
    attributes: dict[str, object]


@dataclass(frozen=True)
class RowCheck:
    line: int
    issues: list[ProductIssue]
    product: ProductData | None  # None when the row is rejected


# A value check: the normalized value, or None and the (2xxx) error code.
_Checked = tuple[object, int | None]


def _integer(rule: AttributeRule, raw: str) -> _Checked:
    return (str(int(raw)), None) if _INTEGER.match(raw) else (None, errors.NOT_INTEGER)


def _decimal(rule: AttributeRule, raw: str) -> _Checked:
    if not _DECIMAL.match(raw):
        return None, errors.NOT_NUMERIC
    return format(Decimal(raw.replace(",", ".")), "f"), None


def _boolean(rule: AttributeRule, raw: str) -> _Checked:
    value = BOOLEANS.get(raw.lower())
    return (value, None) if value is not None else (None, errors.NOT_BOOLEAN)


def _date(rule: AttributeRule, raw: str) -> _Checked:
    if _DATE.match(raw):
        try:
            return date.fromisoformat(raw).isoformat(), None
        except ValueError:  # 2024-02-30: the right shape, not a day of the calendar
            pass
    return None, errors.NOT_DATE


def _list(rule: AttributeRule, raw: str) -> _Checked:
    return (raw, None) if raw in rule.values else (None, errors.NOT_IN_LIST)


def _multiple(rule: AttributeRule, raw: str) -> _Checked:
    items = [item.strip() for item in raw.split("|") if item.strip()]
    ok = all(item in rule.values for item in items)
    return (items, None) if ok else (None, errors.NOT_IN_LIST)


def _media(rule: AttributeRule, raw: str) -> _Checked:
    url = _URL.match(raw)
    if url is None:
        return None, errors.BAD_MEDIA
    name = (url["path"] or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ok = not rule.extensions or extension in rule.extensions
    return (raw, None) if ok else (None, errors.BAD_MEDIA)


_TYPE_CHECKS: dict[str, Callable[[AttributeRule, str], _Checked]] = {
    AttributeType.INTEGER: _integer,
    AttributeType.DECIMAL: _decimal,
    AttributeType.BOOLEAN: _boolean,
    AttributeType.DATE: _date,
    AttributeType.LIST: _list,
    AttributeType.LIST_MULTIPLE_VALUES: _multiple,
    AttributeType.MEDIA: _media,
}


def ean13_ok(value: str) -> bool:
    """13 digits whose last one is the EAN-13 check digit of the others."""
    if not _EAN13.match(value):
        return False
    total = sum(map(int, value[0:12:2])) + 3 * sum(map(int, value[1:12:2]))
    return (10 - total % 10) % 10 == int(value[12])


def _validation_errors(rule: AttributeRule, raw: str, value: object) -> list[tuple[int, str]]:
    """(2xxx code, the limit) for each validation the value fails."""
    found: list[tuple[int, str]] = []
    v = rule.validations
    if v.max_length is not None and len(raw) > v.max_length:
        found.append((errors.TOO_LONG, str(v.max_length)))
    if rule.type in NUMERIC_TYPES and isinstance(value, str):
        number = Decimal(value)
        if v.minimum is not None and number < v.minimum:
            found.append((errors.BELOW_MIN, format(v.minimum, "f")))
        if v.maximum is not None and number > v.maximum:
            found.append((errors.ABOVE_MAX, format(v.maximum, "f")))
    if v.max_items is not None:
        count = len(value) if isinstance(value, list) else len(raw.split("|"))
        if count > v.max_items:
            found.append((errors.TOO_MANY_ITEMS, str(v.max_items)))
    if v.ean13 and not ean13_ok(raw):
        found.append((errors.BAD_EAN, ""))
    return found


def _value_issues(rule: AttributeRule, raw: str, line: int) -> tuple[object, list[ProductIssue]]:
    """The normalized value and the issues of one filled cell."""
    check = _TYPE_CHECKS.get(rule.type)
    value, code = check(rule, raw) if check is not None else (raw, None)
    if code is None and not rule.validated:
        return value, []
    if code is not None:
        found = [(code, ", ".join(rule.extensions) if code == errors.BAD_MEDIA else "")]
    else:
        found = _validation_errors(rule, raw, value)
    issues = [
        ProductIssue(
            line,
            rule.code,
            code if rule.required else errors.as_warning(code),
            (rule.code, limit) if limit else (rule.code,),
        )
        for code, limit in found
    ]
    return value, issues


def _category(
    row: Mapping[str, str], line: int, schema: CatalogSchema
) -> tuple[CategoryRules | None, list[ProductIssue]]:
    column = PRODUCT_COLUMNS.category
    if column not in row:
        return None, [ProductIssue(line, column, errors.NO_CATEGORY_COLUMN)]
    code = (row[column] or "").strip()
    if not code:
        return None, [ProductIssue(line, column, errors.REQUIRED, (column,))]
    category = schema.categories.get(code)
    if category is None:
        return None, [ProductIssue(line, column, errors.UNKNOWN_CATEGORY, (code,))]
    if not category.is_leaf:
        return category, [ProductIssue(line, column, errors.NOT_LEAF, (code,))]
    return category, []


def check_row(row: Mapping[str, str], line: int, schema: CatalogSchema) -> RowCheck:
    """Every issue of one row (column -> raw value) and, unless rejected, its data."""
    category, issues = _category(row, line, schema)
    rules = category.rules if category is not None else schema.global_rules
    values: dict[str, object] = {}
    for rule in rules:
        if rule.type == AttributeType.CATEGORY:
            continue
        raw = (row.get(rule.code) or "").strip()
        if not raw:
            if rule.required:
                issues.append(ProductIssue(line, rule.code, errors.REQUIRED, (rule.code,)))
            continue
        value, value_issues = _value_issues(rule, raw, line)
        if value_issues:
            issues.extend(value_issues)
        else:
            values[rule.code] = value
    if category is None or any(issue.rejects for issue in issues):
        return RowCheck(line, issues, None)
    return RowCheck(line, issues, _product_data(category, values))


def _product_data(category: CategoryRules, values: Mapping[str, object]) -> ProductData:
    fields: dict[str, dict[str, object]] = {"titles": {}, "descriptions": {}, "attributes": {}}
    media: list[str] = []
    for rule in category.rules:
        value = values.get(rule.code)
        role, key = rule.role
        if value is None or role == "fixed":
            continue
        if role == "media":
            media.append(str(value))
        else:
            fields[role][key] = value
    columns = PRODUCT_COLUMNS
    return ProductData(
        category_code=category.code,
        ean=str(values.get(columns.ean, "")),
        shop_sku=str(values.get(columns.sku, "")),
        titles={locale: str(text) for locale, text in fields["titles"].items()},
        descriptions={locale: str(text) for locale, text in fields["descriptions"].items()},
        brand=str(values.get(columns.brand, "")),
        media=media,
        variant_group_code=str(values.get(columns.variant_group, "")),
        attributes=fields["attributes"],
    )


def normalize_row(row: Mapping[str, str], schema: CatalogSchema) -> ProductData:
    """The normalized data of a row; InvalidInput when the row is rejected."""
    checked = check_row(row, 0, schema)
    if checked.product is None:
        messages = "; ".join(
            f"{issue.column}: {issue.message('en_US')}" for issue in checked.issues if issue.rejects
        )
        raise InvalidInput(f"The product is not valid: {messages}")
    return checked.product


def check_rows(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], schema: CatalogSchema
) -> Iterator[RowCheck]:
    """Check the rows of one file (line, fields), including what spans rows: EAN reuse."""
    width = len(header)
    header_ok = len(set(header)) == width
    ean_at = header.index(PRODUCT_COLUMNS.ean) if PRODUCT_COLUMNS.ean in header else None
    ean_lines: dict[str, int] = {}
    for line, fields in rows:
        extra = [f for f in fields[width:] if f.strip()]
        if not header_ok or len(fields) < width or extra:
            yield RowCheck(line, [ProductIssue(line, "", errors.FIELD_COUNT)], None)
            continue
        checked = check_row(dict(zip(header, fields, strict=False)), line, schema)
        ean = fields[ean_at].strip() if ean_at is not None else ""
        if ean and ean in ean_lines:
            duplicate = ProductIssue(
                line, PRODUCT_COLUMNS.ean, errors.DUPLICATE_EAN, (ean, str(ean_lines[ean]))
            )
            checked = RowCheck(line, [*checked.issues, duplicate], None)
        elif ean:
            ean_lines[ean] = line
        yield checked
