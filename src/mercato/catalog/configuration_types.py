"""The values a marketplace directory is read into: frozen, database-free.

`configuration.read_marketplace` builds them; the loader writes them to the models and
`validation` builds the product rules from them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mercato.catalog.models import AttributeType

LIST_TYPES = frozenset({AttributeType.LIST, AttributeType.LIST_MULTIPLE_VALUES})
NUMERIC_TYPES = frozenset({AttributeType.INTEGER, AttributeType.DECIMAL})
# The date pattern of the seller guide (aaaa-mm-jj); an empty type-parameter means it too.
DATE_PATTERN = "yyyy-MM-dd"
BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class ConfigurationIssue:
    file: str
    line: int  # 1-based, the header is line 1; 0 when the issue is about the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class ChannelConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    is_default: bool
    currency: str
    position: int


@dataclass(frozen=True)
class OfferStateConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    position: int


@dataclass(frozen=True)
class LogisticClassConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    max_leadtime_to_ship: int | None
    position: int


@dataclass(frozen=True)
class CategoryConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    parent_code: str  # "" for a root
    level: int  # roots are level 1
    position: int


@dataclass(frozen=True)
class ValueConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    position: int


@dataclass(frozen=True)
class ValueListConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    values: tuple[ValueConfig, ...]


@dataclass(frozen=True)
class AttributeConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    type: str
    type_parameter: str


@dataclass(frozen=True)
class AttachmentConfig:
    attribute_code: str
    category_code: str  # "" attaches the attribute to every category
    requirement_level: str
    variant: bool
    validations: str
    description: str
    position: int


@dataclass(frozen=True)
class OfferFieldConfig:
    code: str
    label: str
    labels: Mapping[str, str]
    type: str
    type_parameter: str
    requirement_level: str
    validations: str
    position: int


@dataclass(frozen=True)
class ProductRow:
    line: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class MarketplaceConfig:
    channels: tuple[ChannelConfig, ...]
    offer_states: tuple[OfferStateConfig, ...]
    logistic_classes: tuple[LogisticClassConfig, ...]
    categories: tuple[CategoryConfig, ...]
    value_lists: tuple[ValueListConfig, ...]
    attributes: tuple[AttributeConfig, ...]
    attachments: tuple[AttachmentConfig, ...]
    offer_fields: tuple[OfferFieldConfig, ...]
    product_columns: tuple[str, ...]
    products: tuple[ProductRow, ...]


@dataclass(frozen=True)
class Validations:
    """The parsed `validations` cell of an attribute or offer field."""

    max_length: int | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_items: int | None = None
    ean13: bool = False
    max_size_kb: int | None = None


def _positive_int(argument: str) -> int | None:
    return int(argument) if argument.isdigit() and int(argument) > 0 else None


def _number(argument: str) -> Decimal | None:
    try:
        number = Decimal(argument)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# name -> (how to read its argument, the form to show when it is wrong); None: no argument.
_VALIDATION_ARGUMENTS: dict[str, tuple[Callable[[str], object] | None, str]] = {
    "MAX_LENGTH": (_positive_int, "MAX_LENGTH|n with n a positive integer"),
    "MIN": (_number, "MIN|x with x a number written with '.'"),
    "MAX": (_number, "MAX|x with x a number written with '.'"),
    "MAX_ITEMS": (_positive_int, "MAX_ITEMS|n with n a positive integer"),
    "EAN13": (None, "EAN13, without argument"),
    "MAX_SIZE_KB": (_positive_int, "MAX_SIZE_KB|n with n a positive integer"),
}
_VALIDATION_FIELDS = {
    "MAX_LENGTH": "max_length",
    "MIN": "minimum",
    "MAX": "maximum",
    "MAX_ITEMS": "max_items",
    "EAN13": "ean13",
    "MAX_SIZE_KB": "max_size_kb",
}


def parse_validations(raw: str) -> tuple[Validations, list[str]]:
    """The validations of a comma-separated cell, and a message per malformed one."""
    found: dict[str, object] = {}
    problems: list[str] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        name, _, argument = item.partition("|")
        if name not in _VALIDATION_ARGUMENTS:
            known = ", ".join(_VALIDATION_ARGUMENTS)
            problems.append(f"unknown validation '{item}': use one of {known}")
            continue
        read, form = _VALIDATION_ARGUMENTS[name]
        value = (None if argument else True) if read is None else read(argument.strip())
        if value is None:
            problems.append(f"malformed validation '{item}': write {form}")
            continue
        found[_VALIDATION_FIELDS[name]] = value
    return Validations(**found), problems  # type: ignore[arg-type]
