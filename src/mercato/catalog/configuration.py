"""Reading and checking an operator's marketplace directory (pure: no database).

`read_marketplace` reads every file of the directory (see the reference marketplace's
README for the formats) into the frozen values of `configuration_types`, and reports EVERY
problem at once, each with its file, line, column and the fix, so that an operator corrects
a directory in one pass rather than one error per run.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mercato.catalog.configuration_csv import Reader, Table, labels_of
from mercato.catalog.configuration_types import (
    DATE_PATTERN,
    LIST_TYPES,
    AttachmentConfig,
    AttributeConfig,
    CategoryConfig,
    ChannelConfig,
    ConfigurationIssue,
    LogisticClassConfig,
    MarketplaceConfig,
    OfferFieldConfig,
    OfferStateConfig,
    ProductRow,
    ValueConfig,
    ValueListConfig,
    parse_validations,
)
from mercato.catalog.models import AttributeType, RequirementLevel
from mercato.catalog.validation import PRODUCT_COLUMNS
from mercato.errors import InvalidInput

__all__ = ["ConfigurationError", "ConfigurationIssue", "MarketplaceConfig", "read_marketplace"]

CHANNELS = "channels.csv"
OFFER_STATES = "offer-states.csv"
LOGISTIC_CLASSES = "logistic-classes.csv"
HIERARCHIES = "hierarchies.csv"
VALUE_LISTS = "values-lists.csv"
ATTRIBUTES = "attributes.csv"
OFFER_FIELDS = "offer-fields.csv"
PRODUCTS = "products.csv"
FILES = (
    CHANNELS,
    OFFER_STATES,
    LOGISTIC_CLASSES,
    HIERARCHIES,
    VALUE_LISTS,
    ATTRIBUTES,
    OFFER_FIELDS,
    PRODUCTS,
)

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EXTENSION = re.compile(r"^[a-z0-9]+$")
# The category attribute is the product's category column, not a value an offer can carry.
_OFFER_FIELD_TYPES = [t for t in AttributeType.values if t != AttributeType.CATEGORY]


class ConfigurationError(InvalidInput):
    """The directory cannot be loaded; `issues` gives every reason."""

    def __init__(self, issues: Sequence[ConfigurationIssue]) -> None:
        self.issues = list(issues)
        listing = "\n".join(str(issue) for issue in self.issues)
        super().__init__(
            f"The marketplace configuration has {len(self.issues)} issue(s):\n{listing}",
            code="invalid_configuration",
        )


def read_marketplace(directory: Path) -> MarketplaceConfig:
    """Read and check a marketplace directory; ConfigurationError lists every issue."""
    if not directory.is_dir():
        raise ConfigurationError(
            [
                ConfigurationIssue(
                    str(directory), 0, "", "not a directory: give a marketplace directory"
                )
            ]
        )
    reader = Reader(directory)
    channels = _channels(reader)
    offer_states = _offer_states(reader)
    logistic_classes = _logistic_classes(reader)
    categories = _categories(reader)
    value_lists = _value_lists(reader)
    category_codes = None if categories is None else {c.code for c in categories}
    list_codes = None if value_lists is None else {v.code for v in value_lists}
    attributes, attachments, attribute_codes = _attributes(reader, category_codes, list_codes)
    offer_fields = _offer_fields(reader, list_codes)
    columns, products = _products(reader, attribute_codes)
    if reader.issues:
        raise ConfigurationError(reader.issues)
    return MarketplaceConfig(
        channels=channels,
        offer_states=offer_states,
        logistic_classes=logistic_classes,
        categories=categories or (),
        value_lists=value_lists or (),
        attributes=tuple((attributes or {}).values()),
        attachments=attachments,
        offer_fields=offer_fields,
        product_columns=columns,
        products=products,
    )


def _coded_rows(
    reader: Reader, table: Table, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str], bool]]:
    """Every row, and whether it defines an entry: required cells filled, code not a duplicate.

    The callers check the other cells of every row all the same, to report every issue.
    """
    seen: dict[object, int] = {}
    for line, record in table.records():
        ok = reader.filled(table, line, record, required)
        code = record.get("code", "")
        ok = ok and reader.unique(table, line, "code", code, seen, f"code '{code}'")
        yield line, record, ok


def _channels(reader: Reader) -> tuple[ChannelConfig, ...]:
    table = reader.table(CHANNELS, ("code", "label"))
    if table is None:
        return ()
    channels: list[ChannelConfig] = []
    defaults: list[tuple[int, str]] = []
    for line, record, ok in _coded_rows(reader, table, ("code", "label")):
        is_default = reader.boolean(table, line, "default", record.get("default", ""))
        currency = record.get("currency") or "EUR"
        if not _CURRENCY.match(currency):
            reader.issue(
                CHANNELS, line, "currency", f"bad currency '{currency}': write an ISO code like EUR"
            )
        if not ok:
            continue
        if is_default:
            defaults.append((line, record["code"]))
        channels.append(
            ChannelConfig(
                code=record["code"],
                label=record["label"],
                labels=labels_of(table, record),
                is_default=is_default,
                currency=currency,
                position=len(channels),
            )
        )
    _check_default_channel(reader, defaults)
    return tuple(channels)


def _check_default_channel(reader: Reader, defaults: list[tuple[int, str]]) -> None:
    if not defaults:
        reader.issue(
            CHANNELS, 1, "default", "no default channel: set default to true on one channel"
        )
    for line, _code in defaults[1:]:
        first_line, first = defaults[0]
        reader.issue(
            CHANNELS,
            line,
            "default",
            f"more than one default channel: {first} (line {first_line}) is the default "
            "already; set default to false here",
        )


def _offer_states(reader: Reader) -> tuple[OfferStateConfig, ...]:
    table = reader.table(OFFER_STATES, ("code", "label"))
    if table is None:
        return ()
    return tuple(
        OfferStateConfig(
            code=record["code"],
            label=record["label"],
            labels=labels_of(table, record),
            position=position,
        )
        for position, record in enumerate(
            record for _line, record, ok in _coded_rows(reader, table, ("code", "label")) if ok
        )
    )


def _logistic_classes(reader: Reader) -> tuple[LogisticClassConfig, ...]:
    table = reader.table(LOGISTIC_CLASSES, ("code", "label"))
    if table is None:
        return ()
    classes: list[LogisticClassConfig] = []
    for line, record, ok in _coded_rows(reader, table, ("code", "label")):
        raw = record.get("max-leadtime-to-ship", "")
        if raw and not raw.isdigit():
            reader.issue(
                LOGISTIC_CLASSES,
                line,
                "max-leadtime-to-ship",
                f"non-integer max-leadtime-to-ship '{raw}': write a whole number of days "
                "or leave it empty",
            )
        if not ok:
            continue
        classes.append(
            LogisticClassConfig(
                code=record["code"],
                label=record["label"],
                labels=labels_of(table, record),
                max_leadtime_to_ship=int(raw) if raw.isdigit() else None,
                position=len(classes),
            )
        )
    return tuple(classes)


def _categories(reader: Reader) -> tuple[CategoryConfig, ...] | None:
    table = reader.table(HIERARCHIES, ("code", "label"))
    if table is None:
        return None
    rows = [
        (line, record) for line, record, ok in _coded_rows(reader, table, ("code", "label")) if ok
    ]
    lines = {record["code"]: line for line, record in rows}
    parents: dict[str, str] = {}
    for line, record in rows:
        parent = record.get("parent-code", "")
        if parent and parent not in lines:
            reader.issue(
                HIERARCHIES,
                line,
                "parent-code",
                f"unknown parent category '{parent}': define it in {HIERARCHIES} "
                "or leave parent-code empty",
            )
            parent = ""
        parents[record["code"]] = parent
    levels, cycles = tree_levels(parents)
    for cycle in cycles:
        first = min(cycle, key=lines.__getitem__)
        at = cycle.index(first)
        path = " → ".join([*cycle[at:], *cycle[:at], first])
        reader.issue(
            HIERARCHIES,
            lines[first],
            "parent-code",
            f"cycle in the category tree: {path}; give one of these categories another parent",
        )
    return tuple(
        CategoryConfig(
            code=record["code"],
            label=record["label"],
            labels=labels_of(table, record),
            parent_code=parents[record["code"]],
            level=levels[record["code"]],
            position=position,
        )
        for position, (_line, record) in enumerate(rows)
    )


def tree_levels(parents: Mapping[str, str]) -> tuple[dict[str, int], list[list[str]]]:
    """Each category's level (roots are 1; 0 on or under a cycle) and the cycles found.

    `parents` maps every code to its parent code, "" for a root.
    """
    levels: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in parents:
        path: list[str] = []
        on_path: dict[str, int] = {}
        code = start
        while code and code not in levels and code not in on_path:
            on_path[code] = len(path)
            path.append(code)
            code = parents.get(code, "")
        if code in on_path:
            cycles.append(path[on_path[code] :])
            base = None
        elif code:
            base = levels[code] or None
        else:
            base = 0
        for depth, member in enumerate(reversed(path), start=1):
            levels[member] = 0 if base is None else base + depth
    return levels, cycles


@dataclass
class _ListDraft:
    label: str
    labels: dict[str, str]
    values: list[ValueConfig]


def _value_lists(reader: Reader) -> tuple[ValueListConfig, ...] | None:
    required = ("list-code", "list-label", "value-code", "value-label")
    table = reader.table(VALUE_LISTS, required)
    if table is None:
        return None
    drafts: dict[str, _ListDraft] = {}
    seen: dict[object, int] = {}
    for line, record in table.records():
        if not reader.filled(table, line, record, required):
            continue
        list_code, code = record["list-code"], record["value-code"]
        what = f"value '{code}' in list '{list_code}'"
        if not reader.unique(table, line, "value-code", (list_code, code), seen, what):
            continue
        draft = drafts.setdefault(
            list_code,
            _ListDraft(record["list-label"], labels_of(table, record, "list-label"), []),
        )
        draft.values.append(
            ValueConfig(
                code=code,
                label=record["value-label"],
                labels=labels_of(table, record, "value-label"),
                position=len(draft.values),
            )
        )
    return tuple(
        ValueListConfig(code=code, label=d.label, labels=d.labels, values=tuple(d.values))
        for code, d in drafts.items()
    )


def type_problem(type_: str, parameter: str, lists: set[str] | None, types: Sequence[str]) -> str:
    """What is wrong with a type and its type-parameter ("" when nothing is)."""
    if type_ not in types:
        return f"unknown type '{type_}': use one of {', '.join(types)}"
    if type_ in LIST_TYPES and not parameter:
        return f"type {type_} needs a value list: write its list-code in type-parameter"
    if type_ in LIST_TYPES and lists is not None and parameter not in lists:
        return f"unknown value list '{parameter}': define it in {VALUE_LISTS} or fix type-parameter"
    if type_ == AttributeType.DATE and parameter not in ("", DATE_PATTERN):
        return f"unsupported date format '{parameter}': write {DATE_PATTERN} or leave it empty"
    if type_ == AttributeType.MEDIA and parameter:
        bad = [e for e in parameter.split("|") if not _EXTENSION.match(e)]
        if bad:
            return (
                f"malformed extension '{bad[0]}': list lowercase extensions separated "
                "by |, like gif|jpg|png"
            )
    return ""


def _check_common(reader: Reader, table: Table, line: int, record: dict[str, str]) -> None:
    """The checks that attributes and offer fields share: requirement level, validations."""
    level = record.get("requirement-level", "")
    if level and level not in RequirementLevel.values:
        reader.issue(
            table.name,
            line,
            "requirement-level",
            f"unknown requirement level '{level}': use one of {', '.join(RequirementLevel.values)}",
        )
    for problem in parse_validations(record.get("validations", ""))[1]:
        reader.issue(table.name, line, "validations", problem)


def _attributes(
    reader: Reader, categories: set[str] | None, lists: set[str] | None
) -> tuple[dict[str, AttributeConfig] | None, tuple[AttachmentConfig, ...], set[str] | None]:
    """The definitions, the attachments, and every code named (None: the file is unreadable)."""
    required = ("code", "label", "type", "requirement-level")
    table = reader.table(ATTRIBUTES, required)
    if table is None:
        return None, (), None
    codes: set[str] = set()
    definitions: dict[str, tuple[int, dict[str, str]]] = {}
    attachments: list[AttachmentConfig] = []
    seen: dict[object, int] = {}
    for line, record in table.records():
        _check_common(reader, table, line, record)
        variant = reader.boolean(table, line, "variant", record.get("variant", ""))
        codes.add(record["code"])
        if not reader.filled(table, line, record, required):
            continue
        code, category = record["code"], record.get("hierarchy-code", "")
        where = f"category '{category}'" if category else "every category"
        what = f"attachment of attribute '{code}' to {where}"
        if not reader.unique(table, line, "hierarchy-code", (code, category), seen, what):
            continue
        if category and categories is not None and category not in categories:
            reader.issue(
                ATTRIBUTES,
                line,
                "hierarchy-code",
                f"unknown category '{category}': define it in {HIERARCHIES}, or leave "
                "hierarchy-code empty to attach the attribute to every category",
            )
        _check_definition(reader, table, line, record, definitions, lists)
        attachments.append(
            AttachmentConfig(
                attribute_code=code,
                category_code=category,
                requirement_level=record["requirement-level"],
                variant=variant,
                validations=record.get("validations", ""),
                description=record.get("description", ""),
                position=len(attachments),
            )
        )
    attributes = {code: _definition(table, record) for code, (_, record) in definitions.items()}
    return attributes, tuple(attachments), codes


def _definition(table: Table, record: dict[str, str]) -> AttributeConfig:
    return AttributeConfig(
        code=record["code"],
        label=record["label"],
        labels=labels_of(table, record),
        type=record["type"],
        type_parameter=record.get("type-parameter", ""),
    )


def _check_definition(
    reader: Reader,
    table: Table,
    line: int,
    record: dict[str, str],
    definitions: dict[str, tuple[int, dict[str, str]]],
    lists: set[str] | None,
) -> None:
    """The first row of an attribute defines it; the other rows must agree with it."""
    code = record["code"]
    if code not in definitions:
        definitions[code] = (line, record)
        problem = type_problem(
            record["type"], record.get("type-parameter", ""), lists, AttributeType.values
        )
        if problem:
            column = "type" if problem.startswith("unknown type") else "type-parameter"
            reader.issue(ATTRIBUTES, line, column, problem)
        return
    first_line, first = definitions[code]
    shared = ["type", "type-parameter", "label", *(c for _, c in table.translated("label"))]
    for column in shared:
        if record.get(column, "") != first.get(column, ""):
            reader.issue(
                ATTRIBUTES,
                line,
                column,
                f"attribute '{code}' has {column} '{first.get(column, '')}' on line "
                f"{first_line}: give every row of an attribute the same {column}, "
                "or use another code",
            )


def _offer_fields(reader: Reader, lists: set[str] | None) -> tuple[OfferFieldConfig, ...]:
    table = reader.table(OFFER_FIELDS, ("code", "label", "type"))
    if table is None:
        return ()
    fields: list[OfferFieldConfig] = []
    for line, record, ok in _coded_rows(reader, table, ("code", "label", "type")):
        parameter = record.get("type-parameter", "")
        problem = type_problem(record["type"], parameter, lists, _OFFER_FIELD_TYPES)
        if problem and record["type"]:
            column = "type" if problem.startswith("unknown type") else "type-parameter"
            reader.issue(OFFER_FIELDS, line, column, problem)
        _check_common(reader, table, line, record)
        if not ok:
            continue
        fields.append(
            OfferFieldConfig(
                code=record["code"],
                label=record["label"],
                labels=labels_of(table, record),
                type=record["type"],
                type_parameter=parameter,
                requirement_level=record.get("requirement-level") or RequirementLevel.OPTIONAL,
                validations=record.get("validations", ""),
                position=len(fields),
            )
        )
    return tuple(fields)


def _products(
    reader: Reader, attributes: set[str] | None
) -> tuple[tuple[str, ...], tuple[ProductRow, ...]]:
    table = reader.table(PRODUCTS, PRODUCT_COLUMNS.required, strict=False)
    if table is None:
        return (), ()
    if attributes is not None:
        for column in table.header:
            if column not in attributes:
                reader.issue(
                    PRODUCTS,
                    1,
                    column,
                    f"column '{column}' is not an attribute code: define the attribute in "
                    f"{ATTRIBUTES} or remove the column",
                )
    return table.header, tuple(ProductRow(line, tuple(fields)) for line, fields in table.rows)
