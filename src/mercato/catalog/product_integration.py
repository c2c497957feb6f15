"""Integrating a shop's valid product rows into the catalog, a batch at a time.

A row whose EAN is already in the catalog is matched to that product, never duplicated: the
shop then sells the catalog's product. When that product is the shop's own and not live yet
(waiting for review, or rejected), the row is a new submission: its content replaces the
product's, which goes back to review. The other rows become new products, live at once for a
shop trusted for auto-acceptance, else waiting for the operator's review. Rows that share a
variant group code are variants of one product and must differ on the variant attributes of
their category (colour, storage capacity…): a row that repeats the values of a product of
its group, earlier in the file or already in the shop's catalog, is refused.

Every step is set-based: a batch costs a fixed number of queries, whatever its size.
Callers own the transaction.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from mercato.catalog import product_errors as errors
from mercato.catalog.models import Category, Product, ProductIdentifier, new_product_sku
from mercato.catalog.product_bulk import insert_rows, reserve_ids, select_in, update_rows
from mercato.catalog.validation import CatalogSchema, ProductData, ProductIssue
from mercato.shops.models import Shop

CREATED = "CREATED"
MATCHED = "MATCHED"
UPDATED = "UPDATED"
INVALID = "INVALID"

_PRODUCTS = Product._meta.db_table
_LIVE = Product.Status.LIVE
_IDENTIFIERS = ProductIdentifier._meta.db_table


@dataclass(frozen=True)
class Candidate:
    line: int  # in the file as sent
    product: ProductData


@dataclass(frozen=True)
class Integrated:
    line: int
    outcome: str
    product_id: int | None
    product: ProductData
    issues: tuple[ProductIssue, ...] = ()


@dataclass
class VariantRegistry:
    """The variant values already taken in the file: (group, values) -> line."""

    taken: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)


def _axes_values(attributes: Mapping[str, object], axes: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(attributes.get(axis, "")) for axis in axes)


def _axes_text(values: tuple[str, ...]) -> str:
    return ", ".join(value or "-" for value in values)


def _catalog_variants(
    shop: Shop, groups: set[str]
) -> dict[str, list[tuple[str, Mapping[str, object]]]]:
    """The shop's products of these groups: group -> [(product sku, attributes)]."""
    found: dict[str, list[tuple[str, Mapping[str, object]]]] = {}
    # Only the group in SQL: its index is then the one PostgreSQL can use, whatever its
    # statistics say while an import grows the table (the shop's index would be scanned).
    rows = select_in(
        f"SELECT variant_group_code, product_sku, attributes, shop_id FROM {_PRODUCTS} "  # noqa: S608
        "WHERE variant_group_code {values} ORDER BY product_sku",
        groups,
        "text",
    )
    for group, sku, attributes, shop_id in rows:
        if shop_id == shop.pk:
            found.setdefault(group, []).append((sku, _json(attributes) or {}))
    return found


def _json(value: object) -> Any:
    # Read past the ORM, a JSON column may come as its text (Django decodes it itself).
    return json.loads(value) if isinstance(value, str) else value


def _variant_issue(
    candidate: Candidate,
    axes: Sequence[str],
    catalog: Mapping[str, list[tuple[str, Mapping[str, object]]]],
    registry: VariantRegistry,
) -> ProductIssue | None:
    product = candidate.product
    group = product.variant_group_code
    values = _axes_values(product.attributes, axes)
    column = "variant-group-code"
    for sku, attributes in catalog.get(group, []):
        if _axes_values(attributes, axes) == values:
            args = (group, _axes_text(values), sku)
            return ProductIssue(candidate.line, column, errors.VARIANT_IN_CATALOG, args)
    earlier = registry.taken.get((group, values))
    if earlier is not None:
        args = (group, _axes_text(values), str(earlier))
        return ProductIssue(candidate.line, column, errors.VARIANT_IN_FILE, args)
    registry.taken[(group, values)] = candidate.line
    return None


_PRODUCT_COLUMNS = (
    "product_sku", "category_id", "titles", "descriptions", "brand", "attributes", "media",
    "variant_group_code", "status", "rejection_reason", "shop_id", "shop_sku", "title",
    "created_at", "updated_at",
)  # fmt: skip
_PRODUCT_JSON = frozenset({"titles", "descriptions", "attributes", "media"})


def _product_row(
    sku: str, product: ProductData, shop: Shop, category_id: int, status: str, now: datetime
) -> tuple[object, ...]:
    return (
        sku, category_id, product.titles, product.descriptions, product.brand,
        product.attributes, product.media, product.variant_group_code, status, "", shop.pk,
        product.shop_sku, product.titles.get("fr_FR", "")[:255], now, now,
    )  # fmt: skip


def _create(shop: Shop, created: Sequence[tuple[int, Integrated, int]]) -> dict[int, int]:
    """Insert the new products and their EANs; product id by index in the results."""
    status, now = _initial_status(shop), timezone.now()
    skus = {index: new_product_sku() for index, _, _ in created}
    reserved = reserve_ids(_PRODUCTS, len(created))
    rows = (
        _product_row(skus[index], done.product, shop, category_id, status, now)
        for index, done, category_id in created
    )
    if reserved is None:
        insert_rows(_PRODUCTS, _PRODUCT_COLUMNS, rows, _PRODUCT_JSON)
        ids = dict(
            select_in(
                f"SELECT product_sku, id FROM {_PRODUCTS} WHERE product_sku {{values}}",  # noqa: S608
                list(skus.values()),
                "text",
            )
        )
    else:
        ids = dict(zip(skus.values(), reserved, strict=True))
        with_ids = ((ids[row[0]], *row) for row in rows)
        insert_rows(_PRODUCTS, ("id", *_PRODUCT_COLUMNS), with_ids, _PRODUCT_JSON)
    insert_rows(
        _IDENTIFIERS,
        ("product_id", "type", "value"),
        (
            (ids[skus[index]], ProductIdentifier.Type.EAN, done.product.ean)
            for index, done, _ in created
            if done.product.ean
        ),
    )
    return {index: ids[sku] for index, sku in skus.items()}


_RESUBMITTED_COLUMNS = {
    "category_id": "bigint", "titles": "jsonb", "descriptions": "jsonb", "brand": "text",
    "attributes": "jsonb", "media": "jsonb", "variant_group_code": "text", "status": "text",
    "rejection_reason": "text", "shop_sku": "text", "title": "text",
    "updated_at": "timestamptz",
}  # fmt: skip


def _initial_status(shop: Shop) -> str:
    return Product.Status.LIVE if shop.auto_accept_products else Product.Status.PENDING


def _own_not_live(shop: Shop, product_ids: Iterable[int]) -> set[int]:
    # By primary key alone, the shop and status checked here: see _catalog_variants.
    rows = select_in(
        f"SELECT id, shop_id, status FROM {_PRODUCTS} WHERE id {{values}}",  # noqa: S608
        list(product_ids),
        "bigint",
    )
    return {id_ for id_, shop_id, status in rows if shop_id == shop.pk and status != _LIVE}


def _resubmit(shop: Shop, updates: Sequence[tuple[int, ProductData, int]]) -> None:
    """Replace the content of the shop's products sent again, and send them back to review."""
    status, now = _initial_status(shop), timezone.now()
    rows = [
        (
            product_id, category_id, data.titles, data.descriptions, data.brand,
            data.attributes, data.media, data.variant_group_code, status, "", data.shop_sku,
            data.titles.get("fr_FR", "")[:255], now,
        )
        for product_id, data, category_id in updates
    ]  # fmt: skip
    update_rows(Product._meta.db_table, _RESUBMITTED_COLUMNS, rows, _PRODUCT_JSON)


@dataclass
class _Batch:
    """What a batch's decisions read (fetched once for the batch) and what they make."""

    existing: Mapping[str, int]  # EAN -> catalog product id
    own: set[int]  # the shop's products not live yet, among those
    categories: Mapping[str, int]  # category code -> id
    catalog: Mapping[str, list[tuple[str, Mapping[str, object]]]]  # variant groups
    created: list[tuple[int, Integrated, int]] = field(default_factory=list)
    updates: list[tuple[int, ProductData, int]] = field(default_factory=list)


def _fetch(shop: Shop, candidates: Sequence[Candidate]) -> _Batch:
    eans = {c.product.ean for c in candidates if c.product.ean}
    existing = dict(
        select_in(
            f"SELECT value, product_id FROM {_IDENTIFIERS} WHERE type = %s AND value {{values}}",  # noqa: S608
            eans,
            "text",
            [ProductIdentifier.Type.EAN],
        )
    )
    groups = {
        c.product.variant_group_code
        for c in candidates
        if c.product.variant_group_code and c.product.ean not in existing
    }
    codes = {c.product.category_code for c in candidates}
    return _Batch(
        existing=existing,
        own=_own_not_live(shop, existing.values()),
        categories=dict(Category.objects.filter(code__in=codes).values_list("code", "id")),
        catalog=_catalog_variants(shop, groups),
    )


def _decide(
    candidate: Candidate, batch: _Batch, schema: CatalogSchema, registry: VariantRegistry
) -> Integrated:
    """What becomes of one line; the products to create or update are noted in `batch`."""
    line, product = candidate.line, candidate.product
    category = schema.categories.get(product.category_code)
    category_id = batch.categories.get(product.category_code)
    if category is None or category_id is None:  # dropped since the file was checked
        gone = ProductIssue(line, "category", errors.UNKNOWN_CATEGORY, (product.category_code,))
        return Integrated(line, INVALID, None, product, (gone,))
    matched = batch.existing.get(product.ean)
    if matched is not None:
        if matched in batch.own:
            batch.updates.append((matched, product, category_id))
            return Integrated(line, UPDATED, matched, product)
        return Integrated(line, MATCHED, matched, product)
    if product.variant_group_code:
        issue = _variant_issue(candidate, category.variant_axes, batch.catalog, registry)
        if issue is not None:
            return Integrated(line, INVALID, None, product, (issue,))
    return Integrated(line, CREATED, None, product)


def integrate_batch(
    shop: Shop,
    candidates: Sequence[Candidate],
    schema: CatalogSchema,
    registry: VariantRegistry,
) -> list[Integrated]:
    """Match, check and create the batch's products; what became of each, in batch order."""
    batch = _fetch(shop, candidates)
    results: list[Integrated] = []
    for candidate in candidates:
        done = _decide(candidate, batch, schema, registry)
        if done.outcome == CREATED:
            batch.created.append((len(results), done, batch.categories[done.product.category_code]))
        results.append(done)
    _resubmit(shop, batch.updates)
    for index, product_id in _create(shop, batch.created).items():
        done = results[index]
        results[index] = Integrated(done.line, CREATED, product_id, done.product)
    return results
