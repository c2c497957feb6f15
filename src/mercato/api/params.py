"""Query parameters with a syntax of their own, parsed into domain values.

Parsing is pure and collects every defect, so that one call tells the caller all that is
wrong with a parameter.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from mercato.catalog.models import ProductIdentifier
from mercato.catalog.selectors import ProductReference
from mercato.errors import InvalidInput

MAX_PRODUCT_REFERENCES = 100
PRODUCT_REFERENCE_TYPES = tuple(ProductIdentifier.Type.values)
# Shop references name a seller's own product, not a catalog product.
SHOP_REFERENCE_TYPES = ("SHOP_SKU", "SKU")


@dataclass
class ParsedReferences:
    references: list[ProductReference] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _form(id_first: bool) -> str:
    return "<id>|<type>" if id_first else "<type>|<id>"


def _parse_item(item: str, parameter: str, id_first: bool) -> ProductReference | str:
    """A reference, or the message saying what is wrong with `item`."""
    parts = [part.strip() for part in item.split("|")]
    if len(parts) != 2 or not all(parts):
        return f"Parameter '{parameter}': '{item}' is not of the form {_form(id_first)}."
    id_type, value = (parts[1], parts[0]) if id_first else (parts[0], parts[1])
    accepted = ", ".join(PRODUCT_REFERENCE_TYPES)
    if id_type in SHOP_REFERENCE_TYPES:
        return (
            f"Parameter '{parameter}': '{item}' uses {id_type}, which names a shop's own "
            f"product; use a product reference type ({accepted})."
        )
    if id_type not in PRODUCT_REFERENCE_TYPES:
        return (
            f"Parameter '{parameter}': '{item}' has unknown type '{id_type}'; "
            f"use one of {accepted}."
        )
    return ProductReference(type=id_type, value=value)


def parse_product_references(
    raw: str, parameter: str, *, id_first: bool = False
) -> ParsedReferences:
    """`EAN|3000000000007,UPC|012345678905` (or `<id>|<type>` items when `id_first`)."""
    parsed = ParsedReferences()
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        example = "3000000000007|EAN" if id_first else "EAN|3000000000007"
        parsed.errors.append(
            f"Parameter '{parameter}' is required: a comma-separated list of "
            f"{_form(id_first)}, e.g. {example}."
        )
    if len(items) > MAX_PRODUCT_REFERENCES:
        parsed.errors.append(
            f"Parameter '{parameter}': at most {MAX_PRODUCT_REFERENCES} references, "
            f"got {len(items)}."
        )
    seen: set[ProductReference] = set()
    for item in items:
        result = _parse_item(item, parameter, id_first)
        if isinstance(result, str):
            parsed.errors.append(result)
        elif result not in seen:
            seen.add(result)
            parsed.references.append(result)
    return parsed


def product_references_param(
    product_references: str | None, products: str | None = None
) -> list[ProductReference]:
    """P31's references: `product_references`, or the deprecated `products` when it is absent."""
    if product_references is None and products is not None:
        parsed = parse_product_references(products, "products", id_first=True)
    else:
        parsed = parse_product_references(product_references or "", "product_references")
    if parsed.errors:
        raise InvalidInput(" ".join(parsed.errors))
    return parsed.references


def aware(moment: datetime | None) -> datetime | None:
    """A date-time parameter without offset is the marketplace's local time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)
