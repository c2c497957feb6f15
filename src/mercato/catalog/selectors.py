"""Reads on the catalog: the category tree, attributes, value lists and products.

The catalog is the marketplace's, not a shop's: every shop reads the same configuration and
the same live products. Orders that depend on codes are computed here rather than by the
database, so that SQLite and PostgreSQL (whose collations differ) answer alike.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    AttributeType,
    Category,
    Product,
    ProductIdentifier,
    Value,
    ValueList,
)
from mercato.errors import NotFound

# --- the category tree -------------------------------------------------------------------


@dataclass(frozen=True)
class HierarchyNode:
    category: Category
    level: int
    parent_code: str


def _sorted_children(categories: Iterable[Category]) -> dict[int | None, list[Category]]:
    children: dict[int | None, list[Category]] = {}
    for category in sorted(categories, key=lambda c: (c.position, c.code)):
        children.setdefault(category.parent_id, []).append(category)
    return children


def _descendants(
    children: dict[int | None, list[Category]], parent: Category | None, level: int, last_level: int
) -> list[HierarchyNode]:
    """Depth-first, parents before children: the order in which the tree reads."""
    if level > last_level:
        return []
    nodes: list[HierarchyNode] = []
    for category in children.get(parent.id if parent else None, []):
        nodes.append(HierarchyNode(category, level, parent.code if parent else ""))
        nodes.extend(_descendants(children, category, level + 1, last_level))
    return nodes


def _ancestors(category: Category, by_id: dict[int, Category]) -> list[Category]:
    """Root first; stops on a cycle rather than looping forever on corrupt data."""
    chain: list[Category] = []
    seen = {category.id}
    parent_id = category.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = by_id[parent_id]
        chain.append(parent)
        parent_id = parent.parent_id
    return chain[::-1]


def category_tree(
    hierarchy: str | None = None, max_level: int | None = None
) -> list[HierarchyNode]:
    """The tree in reading order, roots at level 1.

    Without `hierarchy`: the whole tree, down to level `max_level` when given. With it: the
    category's ancestors, the category, and its descendants down to `max_level` levels below.
    """
    categories = list(Category.objects.all())
    children = _sorted_children(categories)
    unlimited = len(categories) + 1
    if not hierarchy:
        last_level = unlimited if max_level is None else max_level
        return _descendants(children, None, 1, last_level)
    target = next((c for c in categories if c.code == hierarchy), None)
    if target is None:
        raise NotFound(f"Hierarchy '{hierarchy}' does not exist.")
    by_id = {c.id: c for c in categories}
    nodes: list[HierarchyNode] = []
    parent_code = ""
    for level, ancestor in enumerate(_ancestors(target, by_id), start=1):
        nodes.append(HierarchyNode(ancestor, level, parent_code))
        parent_code = ancestor.code
    level = len(nodes) + 1
    nodes.append(HierarchyNode(target, level, parent_code))
    last_level = unlimited if max_level is None else level + max_level
    nodes.extend(_descendants(children, target, level + 1, last_level))
    return nodes


# --- attributes --------------------------------------------------------------------------

# Roles say what an attribute means to the platform, whatever the operator called it. Only
# attributes whose meaning is unambiguous get one; keyed by code without its locale suffix.
ATTRIBUTE_ROLES: dict[str, str] = {
    "category": "CATEGORY",
    "sku": "SHOP_SKU",
    "ean": "UNIQUE_IDENTIFIER",
    "title": "TITLE",
    "variant-group-code": "VARIANT_GROUP_CODE",
}

_LOCALE_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<locale>[a-z]{2}_[A-Z]{2})$")


def attribute_locale(code: str) -> str | None:
    """The locale a localized attribute holds (`title-fr_FR` -> `fr_FR`), else None."""
    match = _LOCALE_SUFFIX.match(code)
    return match["locale"] if match else None


def attribute_roles(code: str) -> list[str]:
    match = _LOCALE_SUFFIX.match(code)
    role = ATTRIBUTE_ROLES.get(match["base"] if match else code)
    return [role] if role else []


# Type parameter names per type: a LIST names its value list, a MEDIA its file extensions,
# a DATE its pattern.
_TYPE_PARAMETER_NAMES: dict[str, str] = {
    AttributeType.LIST: "LIST_CODE",
    AttributeType.LIST_MULTIPLE_VALUES: "LIST_CODE",
    AttributeType.MEDIA: "EXTENSIONS",
    AttributeType.DATE: "PATTERN",
}


def attribute_type_parameters(attribute: Attribute) -> list[tuple[str, str]]:
    name = _TYPE_PARAMETER_NAMES.get(attribute.type)
    if name is None or not attribute.type_parameter:
        return []
    return [(name, attribute.type_parameter)]


def product_attributes(
    hierarchy: str | None = None, max_level: int | None = None, with_roles: bool = False
) -> list[AttributeAttachment]:
    """One entry per attachment: the global ones first, then by category in tree order.

    With `hierarchy`, only the attachments that apply around it: its ancestors' (inherited),
    its own and its descendants' down to `max_level` levels.
    """
    order = {
        node.category.id: index for index, node in enumerate(category_tree(hierarchy, max_level))
    }
    attachments = AttributeAttachment.objects.select_related(
        "attribute", "attribute__value_list", "category"
    ).filter(Q(category__isnull=True) | Q(category_id__in=list(order)))
    found = sorted(
        attachments,
        key=lambda a: (
            -1 if a.category_id is None else order[a.category_id],
            a.position,
            a.attribute.code,
        ),
    )
    if with_roles:
        found = [a for a in found if attribute_roles(a.attribute.code)]
    return found


# --- value lists -------------------------------------------------------------------------


def values_lists(code: str | None = None) -> list[ValueList]:
    """Value lists by code, their values prefetched; `code` selects one."""
    lists = ValueList.objects.prefetch_related(
        Prefetch("values", queryset=Value.objects.order_by("position", "code"))
    )
    if code:
        lists = lists.filter(code=code)
    found = sorted(lists, key=lambda value_list: value_list.code)
    if code and not found:
        raise NotFound(f"Values list '{code}' does not exist.")
    return found


def sorted_values(value_list: ValueList) -> list[Value]:
    return sorted(value_list.values.all(), key=lambda value: (value.position, value.code))


# --- products ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductReference:
    type: str
    value: str


def live_products_by_reference(references: Sequence[ProductReference]) -> list[ProductIdentifier]:
    """The identifiers of live products among `references`, one per match.

    Sorted by product sku, then identifier type, then identifier. Products waiting for
    review or rejected are not part of the catalog yet, whoever submitted them.
    """
    wanted = {(r.type, r.value) for r in references}
    identifiers = ProductIdentifier.objects.select_related("product", "product__category").filter(
        value__in={r.value for r in references}, product__status=Product.Status.LIVE
    )
    matches = [i for i in identifiers if (i.type, i.value) in wanted]
    return sorted(matches, key=lambda i: (i.product.product_sku, i.type, i.value))


# --- product validation rules ------------------------------------------------------------

from mercato.catalog.validation import (  # noqa: E402 (this section keeps its own imports)
    AttachmentSpec,
    AttributeSpec,
    CatalogSchema,
    build_schema,
)


def catalog_schema() -> CatalogSchema:
    """The product rules of the catalog as the database holds it (four queries)."""
    parents = dict(Category.objects.values_list("code", "parent__code"))
    value_lists: dict[str, list[str]] = {}
    for list_code, value_code in Value.objects.values_list("value_list__code", "code"):
        value_lists.setdefault(list_code, []).append(value_code)
    attachments = AttributeAttachment.objects.order_by("position", "id").values_list(
        "attribute__code", "category__code", "requirement_level", "validations", "variant"
    )
    return build_schema(
        parents={code: parent or "" for code, parent in parents.items()},
        attributes=[
            AttributeSpec(*row)
            for row in Attribute.objects.values_list("code", "type", "type_parameter")
        ],
        attachments=[
            AttachmentSpec(attribute, category or "", level, validations, variant)
            for attribute, category, level, validations, variant in attachments
        ],
        value_lists=value_lists,
    )


# --- content quality of a shop's own products --------------------------------------------

import hashlib  # noqa: E402 (this section keeps its own imports)
import json  # noqa: E402
from collections.abc import Iterator, Mapping  # noqa: E402
from typing import Any  # noqa: E402

from django.db.models import Count, Max  # noqa: E402

from mercato.catalog.models import CatalogQualitySummary  # noqa: E402
from mercato.catalog.quality import rules_digest  # noqa: E402
from mercato.catalog.validation import CategoryRules  # noqa: E402
from mercato.shops.models import Shop  # noqa: E402


@dataclass(frozen=True)
class ProductContent:
    """What the content-quality score reads of a product, and what names it."""

    id: int
    product_sku: str
    shop_sku: str
    title: str
    category: str  # its code
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    brand: str
    media: Sequence[str]
    attributes: Mapping[str, object]


_CONTENT_FIELDS = (
    "id", "product_sku", "shop_sku", "title", "category__code", "titles", "descriptions",
    "brand", "media", "attributes",
)  # fmt: skip
_CHUNK = 2000


def _content(row: tuple[Any, ...]) -> ProductContent:
    pid, sku, shop_sku, title, category, titles, descriptions, brand, media, attributes = row
    return ProductContent(
        pid, sku, shop_sku, title, category, titles or {}, descriptions or {}, brand,
        media or [], attributes or {},
    )  # fmt: skip


def own_product_contents(shop: Shop) -> Iterator[ProductContent]:
    """Every product of the shop's own, by id, read in chunks."""
    rows = Product.objects.filter(shop=shop).order_by("id").values_list(*_CONTENT_FIELDS)
    return (_content(row) for row in rows.iterator(chunk_size=_CHUNK))


def own_products_by_id(shop: Shop, ids: Sequence[int]) -> dict[int, ProductContent]:
    """Those of `ids` that are the shop's products."""
    rows = Product.objects.filter(shop=shop, id__in=ids).values_list(*_CONTENT_FIELDS)
    return {content.id: content for content in map(_content, rows)}


def quality_summary_of(shop: Shop) -> CatalogQualitySummary | None:
    return CatalogQualitySummary.objects.filter(shop=shop).first()


def quality_fingerprint(shop: Shop, categories: Mapping[str, CategoryRules]) -> tuple[int, str]:
    """The number of the shop's products, and the fingerprint of what their content quality
    is computed from: one aggregate over them (any write that adds, removes or changes one
    moves their count, highest id or latest change) and the digest of the rules scores read.
    """
    found = Product.objects.filter(shop=shop).aggregate(
        count=Count("id"), last_id=Max("id"), last_change=Max("updated_at")
    )
    parts = [found["count"], found["last_id"], found["last_change"], rules_digest(categories)]
    text = json.dumps(parts, default=lambda moment: moment.isoformat())
    return found["count"], hashlib.sha256(text.encode()).hexdigest()
