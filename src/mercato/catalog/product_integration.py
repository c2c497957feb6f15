"""Integrating a shop's valid product rows into the catalog, a batch at a time.

A row whose EAN is already in the catalog is matched to that product, never duplicated: the
shop then sells the catalog's product. When that product is the shop's own and not live yet
(waiting for review, or rejected), the row is a new submission: its content replaces the
product's, which goes back to review. The other rows become new products, live at once for a
shop trusted for auto-acceptance, else waiting for the operator's review. Rows that share a
variant group code are variants of one product and must differ on the variant attributes of
their category (colour, storage capacity…): a row that repeats the values of a product of
its group, earlier in the file or already in the shop's catalog, is refused.

A batch is a frame of product records (`product_records`), decided and written column by
column: a fixed number of queries whatever its size, the rows encoded by polars. Only the
variant check goes row by row, in file order. Callers own the transaction.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from mercato.catalog import product_errors as errors
from mercato.catalog.models import Category, Product, ProductIdentifier, new_product_skus
from mercato.catalog.product_bulk import insert_frame, reserve_ids, select_in, update_frame
from mercato.catalog.product_records import RECORD_SCHEMA, record_fields
from mercato.catalog.validation import CatalogSchema, ProductData, ProductIssue
from mercato.shops.models import Shop

CREATED = "CREATED"
MATCHED = "MATCHED"
UPDATED = "UPDATED"
INVALID = "INVALID"

_PRODUCTS = Product._meta.db_table
_LIVE = Product.Status.LIVE
_IDENTIFIERS = ProductIdentifier._meta.db_table
_TITLE_LENGTH = Product._meta.get_field("title").max_length


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


@dataclass(frozen=True)
class Outcomes:
    """What became of a batch: `frame` is the batch's records in order, with `row` (from 0),
    `outcome` and `product_id`; `issues` the refused rows' issue, by row."""

    frame: pl.DataFrame
    issues: Mapping[int, ProductIssue]


_Variants = Mapping[str, list[tuple[str, Mapping[str, object]]]]


def _axes_values(attributes: Mapping[str, object], axes: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(attributes.get(axis, "")) for axis in axes)


def _axes_text(values: tuple[str, ...]) -> str:
    return ", ".join(value or "-" for value in values)


def _catalog_variants(shop: Shop, groups: Iterable[str]) -> _Variants:
    """The shop's products of these groups: group -> [(product sku, attributes)]."""
    found: dict[str, list[tuple[str, Mapping[str, object]]]] = {}
    # Only the group in SQL: its index is then the one PostgreSQL can use, whatever its
    # statistics say while an import grows the table (the shop's index would be scanned).
    rows = select_in(
        f"SELECT variant_group_code, product_sku, attributes, shop_id FROM {_PRODUCTS} "  # noqa: S608
        "WHERE variant_group_code {values} ORDER BY product_sku",
        list(groups),
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
    line: int,
    group: str,
    values: tuple[str, ...],
    axes: Sequence[str],
    catalog: _Variants,
    registry: VariantRegistry,
) -> ProductIssue | None:
    column = "variant-group-code"
    for sku, attributes in catalog.get(group, []):
        if _axes_values(attributes, axes) == values:
            args = (group, _axes_text(values), sku)
            return ProductIssue(line, column, errors.VARIANT_IN_CATALOG, args)
    earlier = registry.taken.get((group, values))
    if earlier is not None:
        args = (group, _axes_text(values), str(earlier))
        return ProductIssue(line, column, errors.VARIANT_IN_FILE, args)
    registry.taken[(group, values)] = line
    return None


def _initial_status(shop: Shop) -> str:
    return Product.Status.LIVE if shop.auto_accept_products else Product.Status.PENDING


def _moment(now: datetime) -> pl.Expr:
    # PostgreSQL reads COPY's ISO text; elsewhere the rows go as Python values.
    return pl.lit(now.isoformat()) if connection.vendor == "postgresql" else pl.lit(now)


def _content(shop: Shop, now: datetime) -> list[pl.Expr]:
    """A new or sent-again product's columns, from its record (`category_id` joined)."""
    return [
        pl.col("category_id"),
        pl.col("titles"),
        pl.col("descriptions"),
        pl.col("brand"),
        pl.col("attributes"),
        pl.col("media"),
        pl.col("group").alias("variant_group_code"),
        pl.lit(_initial_status(shop)).alias("status"),
        pl.lit("").alias("rejection_reason"),
        pl.col("sku").alias("shop_sku"),
        pl.col("title").str.slice(0, _TITLE_LENGTH).alias("title"),
        _moment(now).alias("updated_at"),
    ]


def _create(shop: Shop, created: pl.DataFrame) -> dict[int, int]:
    """Insert the new products and their EANs; product id by row."""
    if created.is_empty():
        return {}
    now = timezone.now()
    skus = pl.Series("product_sku", new_product_skus(created.height))
    products = created.select(
        *_content(shop, now), pl.lit(shop.pk).alias("shop_id"), _moment(now).alias("created_at")
    ).insert_column(0, skus)
    reserved = reserve_ids(_PRODUCTS, created.height)
    if reserved is None:
        insert_frame(_PRODUCTS, products)
        sql = f"SELECT product_sku, id FROM {_PRODUCTS} WHERE product_sku {{values}}"  # noqa: S608
        found = dict(select_in(sql, skus.to_list(), "text"))
        ids = pl.Series("product_id", [found[sku] for sku in skus], pl.Int64)
    else:
        ids = pl.Series("product_id", reserved, pl.Int64)
        insert_frame(_PRODUCTS, products.insert_column(0, ids.alias("id")))
    identifiers = created.select(
        ids, pl.lit(ProductIdentifier.Type.EAN.value).alias("type"), pl.col("ean").alias("value")
    )
    insert_frame(_IDENTIFIERS, identifiers.filter(pl.col("value") != ""))
    return dict(zip(created["row"].to_list(), ids.to_list(), strict=True))


_RESUBMITTED_TYPES = {
    "category_id": "bigint", "titles": "jsonb", "descriptions": "jsonb", "brand": "text",
    "attributes": "jsonb", "media": "jsonb", "variant_group_code": "text", "status": "text",
    "rejection_reason": "text", "shop_sku": "text", "title": "text",
    "updated_at": "timestamptz",
}  # fmt: skip


def _resubmit(shop: Shop, updated: pl.DataFrame) -> None:
    """Replace the content of the shop's products sent again, and send them back to review."""
    if updated.is_empty():
        return
    frame = updated.select(pl.col("product_id").alias("id"), *_content(shop, timezone.now()))
    update_frame(_PRODUCTS, frame, _RESUBMITTED_TYPES)


def _own_not_live(shop: Shop, product_ids: Iterable[int]) -> set[int]:
    # By primary key alone, the shop and status checked here: see _catalog_variants.
    rows = select_in(
        f"SELECT id, shop_id, status FROM {_PRODUCTS} WHERE id {{values}}",  # noqa: S608
        list(product_ids),
        "bigint",
    )
    return {id_ for id_, shop_id, status in rows if shop_id == shop.pk and status != _LIVE}


@dataclass
class _Batch:
    """What a batch's decisions read, fetched once for the batch."""

    existing: Mapping[str, int]  # EAN -> catalog product id
    own: set[int]  # the shop's products not live yet, among those
    categories: Mapping[str, int]  # category code -> id
    catalog: _Variants  # variant groups


def _fetch(shop: Shop, frame: pl.DataFrame) -> _Batch:
    eans = frame.filter(pl.col("ean") != "")["ean"].unique().to_list()
    existing = dict(
        select_in(
            f"SELECT value, product_id FROM {_IDENTIFIERS} WHERE type = %s AND value {{values}}",  # noqa: S608
            eans,
            "text",
            [ProductIdentifier.Type.EAN],
        )
    )
    grouped = frame.filter((pl.col("group") != "") & ~pl.col("ean").is_in(list(existing)))
    codes = frame["category"].unique().to_list()
    return _Batch(
        existing=existing,
        own=_own_not_live(shop, existing.values()),
        categories=dict(Category.objects.filter(code__in=codes).values_list("code", "id")),
        catalog=_catalog_variants(shop, grouped["group"].unique().to_list()),
    )


def _decided(
    frame: pl.DataFrame, batch: _Batch, schema: CatalogSchema
) -> tuple[pl.DataFrame, dict[int, ProductIssue]]:
    """The rows with their category id, matched product and outcome, the variant check
    left; the issues of the rows whose category is gone."""
    # A category dropped since the file was checked: gone from the schema or the table.
    known = {code: id_ for code, id_ in batch.categories.items() if code in schema.categories}
    decided = frame.with_columns(
        pl.col("category").replace_strict(known, default=None, return_dtype=pl.Int64)
        .alias("category_id"),
        pl.col("ean").replace_strict(batch.existing, default=None, return_dtype=pl.Int64)
        .alias("product_id"),
    ).with_columns(
        pl.when(pl.col("category_id").is_null()).then(pl.lit(INVALID))
        .when(pl.col("product_id").is_in(list(batch.own))).then(pl.lit(UPDATED))
        .when(pl.col("product_id").is_not_null()).then(pl.lit(MATCHED))
        .otherwise(pl.lit(CREATED))
        .alias("outcome")
    )  # fmt: skip
    gone = decided.filter(pl.col("category_id").is_null()).select("row", "line", "category")
    issues = {
        row: ProductIssue(line, "category", errors.UNKNOWN_CATEGORY, (code,))
        for row, line, code in gone.iter_rows()
    }
    return decided, issues


def _variant_issues(
    decided: pl.DataFrame, batch: _Batch, schema: CatalogSchema, registry: VariantRegistry
) -> dict[int, ProductIssue]:
    """The new rows of a variant group that repeat a variant's values, by row: in file
    order, each row's values taken once it passes."""
    checked = decided.filter((pl.col("outcome") == CREATED) & (pl.col("group") != ""))
    axes_of: dict[str, tuple[str, ...]] = {}
    issues = {}
    for row, line, group, code, attributes in checked.select(
        "row", "line", "group", "category", "attributes"
    ).iter_rows():
        axes = axes_of.get(code)
        if axes is None:
            axes = axes_of[code] = schema.categories[code].variant_axes
        values = _axes_values(json.loads(attributes), axes)
        issue = _variant_issue(line, group, values, axes, batch.catalog, registry)
        if issue is not None:
            issues[row] = issue
    return issues


def integrate_frame(
    shop: Shop, frame: pl.DataFrame, schema: CatalogSchema, registry: VariantRegistry
) -> Outcomes:
    """Match, check and create the products of a frame of records (RECORD_SCHEMA)."""
    frame = frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    batch = _fetch(shop, frame)
    decided, issues = _decided(frame, batch, schema)
    refused = _variant_issues(decided, batch, schema, registry)
    issues.update(refused)
    decided = decided.with_columns(
        pl.when(pl.col("row").is_in(list(refused)))
        .then(pl.lit(INVALID))
        .otherwise(pl.col("outcome"))
        .alias("outcome")
    )
    _resubmit(shop, decided.filter(pl.col("outcome") == UPDATED))
    created = _create(shop, decided.filter(pl.col("outcome") == CREATED))
    product_id = (
        pl.when(pl.col("outcome").is_in([MATCHED, UPDATED]))
        .then(pl.col("product_id"))
        .when(pl.col("outcome") == CREATED)
        .then(pl.col("row").replace_strict(created, default=None, return_dtype=pl.Int64))
    )
    return Outcomes(decided.with_columns(product_id.alias("product_id")), issues)


def integrate_batch(
    shop: Shop,
    candidates: Sequence[Candidate],
    schema: CatalogSchema,
    registry: VariantRegistry,
) -> list[Integrated]:
    """Match, check and create the batch's products; what became of each, in batch order."""
    records = [record_fields(c.line, c.product) for c in candidates]
    done = integrate_frame(shop, pl.DataFrame(records, schema=RECORD_SCHEMA), schema, registry)
    results = done.frame.select("row", "outcome", "product_id").iter_rows()
    integrated = []
    for candidate, (row, outcome, product_id) in zip(candidates, results, strict=True):
        issues = (done.issues[row],) if row in done.issues else ()
        integrated.append(
            Integrated(candidate.line, outcome, product_id, candidate.product, issues)
        )
    return integrated
