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
variant check goes row by row, in file order. It goes in three steps, so that an import
settles a batch while the previous one is written: `decide` reads the catalog, `settle`
needs no database, `write` writes. Callers own the transaction.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils import timezone

from mercato.catalog import product_errors as errors
from mercato.catalog.models import Category, Product, ProductIdentifier, new_product_skus
from mercato.catalog.product_bulk import insert_frame, reserve_ids, select_in, update_frame
from mercato.catalog.product_records import RECORD_SCHEMA, record_fields
from mercato.catalog.validation import CatalogSchema, ProductData, ProductIssue
from mercato.offers.bulk import copy_data, copy_text
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
    # The file first: a variant an earlier line created is in the catalog too once its batch
    # is written, and the report names that line whatever the batches.
    earlier = registry.taken.get((group, values))
    if earlier is not None:
        args = (group, _axes_text(values), str(earlier))
        return ProductIssue(line, column, errors.VARIANT_IN_FILE, args)
    for sku, attributes in catalog.get(group, []):
        if _axes_values(attributes, axes) == values:
            args = (group, _axes_text(values), sku)
            return ProductIssue(line, column, errors.VARIANT_IN_CATALOG, args)
    registry.taken[(group, values)] = line
    return None


def _initial_status(shop: Shop) -> str:
    return Product.Status.LIVE if shop.auto_accept_products else Product.Status.PENDING


def _content(shop: Shop, moment: pl.Expr) -> list[pl.Expr]:
    """A new or sent-again product's columns, from its record (`category_id` joined);
    `moment` is now, as PostgreSQL's COPY reads it (ISO text) or as a Python value."""
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
        moment.alias("updated_at"),
    ]


def _insert_created(settled: "Settled") -> dict[int, int]:
    """Insert the new products and their EANs; product id by row."""
    created, products = settled.created, settled.products
    if created.is_empty():
        return {}
    if settled.products_copy is not None:  # their ids drawn, their COPY data made
        copy_data(_PRODUCTS, products.columns, settled.products_copy)
        ids = products["id"].alias("product_id")
    else:
        insert_frame(_PRODUCTS, products)
        skus = products["product_sku"].to_list()
        sql = f"SELECT product_sku, id FROM {_PRODUCTS} WHERE product_sku {{values}}"  # noqa: S608
        found = dict(select_in(sql, skus, "text"))
        ids = pl.Series("product_id", [found[sku] for sku in skus], pl.Int64)
    identifiers = created.select(
        ids, pl.lit(ProductIdentifier.Type.EAN.value).alias("type"), pl.col("ean").alias("value")
    )
    insert_frame(_IDENTIFIERS, identifiers.filter(pl.col("value") != ""))
    return dict(zip(created["row"].to_list(), ids.to_list(), strict=True))


_RESUBMITTED_TYPES = {
    "category_id": "bigint", "titles": "text", "descriptions": "text", "brand": "text",
    "attributes": "text", "media": "text", "variant_group_code": "text", "status": "text",
    "rejection_reason": "text", "shop_sku": "text", "title": "text",
    "updated_at": "timestamptz",
}  # fmt: skip


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


def _with_outcomes(
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


@dataclass(frozen=True)
class Decided:
    """A batch's rows decided as far as the catalog's reads go (`decide`, in the thread that
    owns the connection): the variant check left, and the ids drawn for the rows it may
    create (PostgreSQL, where the rows go by COPY; None elsewhere)."""

    shop: Shop
    frame: pl.DataFrame  # the records with `row`, `category_id`, `product_id`, `outcome`
    issues: dict[int, ProductIssue]
    batch: _Batch
    ids: list[int] | None


@dataclass(frozen=True)
class Settled:
    """What a batch writes (`settle`, which needs no database: a thread may run it while the
    connection writes the previous batch)."""

    frame: pl.DataFrame  # `Decided.frame`, the rows the variant check refused INVALID
    issues: dict[int, ProductIssue]
    resubmitted: pl.DataFrame  # the products sent again: id and content
    created: pl.DataFrame  # the rows to create
    products: pl.DataFrame  # their products, in the table's columns (and ids, when drawn)
    products_copy: bytes | None  # their COPY data, when their ids are drawn


def decide(shop: Shop, frame: pl.DataFrame, schema: CatalogSchema) -> Decided:
    frame = frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    batch = _fetch(shop, frame)
    decided, issues = _with_outcomes(frame, batch, schema)
    # Drawn for every row that may be created: those the variant check refuses leave gaps.
    ids = reserve_ids(_PRODUCTS, decided.filter(pl.col("outcome") == CREATED).height)
    return Decided(shop, decided, issues, batch, ids)


def settle(decided: Decided, schema: CatalogSchema, registry: VariantRegistry) -> Settled:
    """The variant check (in file order: `registry` holds the earlier batches' values), then
    the rows to write."""
    refused = _variant_issues(decided.frame, decided.batch, schema, registry)
    frame = decided.frame.with_columns(
        pl.when(pl.col("row").is_in(list(refused)))
        .then(pl.lit(INVALID))
        .otherwise(pl.col("outcome"))
        .alias("outcome")
    )
    shop, now = decided.shop, timezone.now()
    moment = pl.lit(now.isoformat()) if decided.ids is not None else pl.lit(now)
    updated = frame.filter(pl.col("outcome") == UPDATED)
    resubmitted = updated.select(pl.col("product_id").alias("id"), *_content(shop, moment))
    created = frame.filter(pl.col("outcome") == CREATED)
    products = created.select(
        pl.Series("product_sku", new_product_skus(created.height)),
        *_content(shop, moment),
        pl.lit(shop.pk).alias("shop_id"),
        moment.alias("created_at"),
    )
    copy = None
    if decided.ids is not None:
        ids = pl.Series("id", decided.ids[: created.height], pl.Int64)
        products = products.insert_column(0, ids)
        copy = copy_text(products, products.columns)
    return Settled(frame, {**decided.issues, **refused}, resubmitted, created, products, copy)


def write(settled: Settled) -> Outcomes:
    """Write a settled batch: the products sent again, the new products and their EANs."""
    if not settled.resubmitted.is_empty():
        update_frame(_PRODUCTS, settled.resubmitted, _RESUBMITTED_TYPES)
    created = _insert_created(settled)
    product_id = (
        pl.when(pl.col("outcome").is_in([MATCHED, UPDATED]))
        .then(pl.col("product_id"))
        .when(pl.col("outcome") == CREATED)
        .then(pl.col("row").replace_strict(created, default=None, return_dtype=pl.Int64))
    )
    return Outcomes(settled.frame.with_columns(product_id.alias("product_id")), settled.issues)


def integrate_frame(
    shop: Shop, frame: pl.DataFrame, schema: CatalogSchema, registry: VariantRegistry
) -> Outcomes:
    """Match, check and create the products of a frame of records (RECORD_SCHEMA)."""
    return write(settle(decide(shop, frame, schema), schema, registry))


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
