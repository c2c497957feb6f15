"""An import's lines sorted out before anything is applied: which have something to do.

Every line of the file is read once (line, sku, digest, product reference) and joined, in
this process, with the shop's offers read in one stream: a line whose offer was last set by
this very line has nothing to do and is never looked at again. Only the other lines, few in a
re-import, go to the database, in a temporary table: for each, the product its reference
names and, for a new offer, whether its sku went to an offer deleted less than 30 days ago.
A REPLACE import keeps the ids of the offers its file does not carry.

Joining here rather than in the database spares sending a million lines to it and a hash
join there; reading the shop's offers is one sequential scan.
"""

from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection, transaction

from mercato.catalog.models import Product, ProductIdentifier
from mercato.offers.bulk import copy_frame, read_frame
from mercato.offers.models import DeletedOffer, Offer

_INSERT_ROWS = 10_000
_OFFERS = {"sku": pl.String, "offer_id": pl.Int64, "offer_product": pl.Int64, "row_hash": pl.Int64}
_RESOLVED = {"line": pl.Int64, "product": pl.Int64, "deleted": pl.Int64}
_WORK = {
    "line": pl.Int64,
    "offer_id": pl.Int64,
    "offer_product": pl.Int64,
    "product": pl.Int64,
    "deleted": pl.Boolean,
}


class Stage:
    """The sorted-out lines of one import, in this process."""

    def __init__(self, import_id: int) -> None:
        self.references = f"offer_import_{import_id}_references"
        self._work = pl.DataFrame(schema=_WORK)
        self._not_carried: list[int] = []
        self._streamed = False  # the lines went to the references table as they were read

    def shop_offers(self, shop_id: int) -> pl.DataFrame:
        """The shop's offers: sku, offer_id, offer_product, row_hash."""
        return _read(
            f"SELECT sku, id, product_id, row_hash FROM {Offer._meta.db_table} "  # noqa: S608
            "WHERE shop_id = %s",
            [shop_id],
            _OFFERS,
        )

    def classify(
        self,
        lines: pl.DataFrame,
        offers: pl.DataFrame,
        shop_id: int,
        duplicated: pl.Series,
        deleted_since: datetime,
        *,
        replace: bool,
    ) -> None:
        """Keep the lines (a frame of line, sku, digest, id_type, id_value) that have
        something to do: those whose offer (in `offers`, the shop's) does not exist, was
        last set by another line, or whose sku stands on several lines (`duplicated`, the
        line numbers). With each: its existing offer, the product its reference names (none
        without a reference) and, for a new offer, whether its sku went to an offer deleted
        since `deleted_since`."""
        # A line whose digest is an offer's row_hash is the line that last set it: the digest
        # hashes every cell of the line, its sku among them. Joining on that one integer
        # takes a fraction of the time and memory that pairing a million skus would.
        last_set = offers.select(digest="row_hash").drop_nulls()
        keys = lines.select("line", "sku", "digest")
        kept = pl.concat(
            [
                keys.join(last_set, on="digest", how="anti"),
                keys.filter(pl.col("line").is_in(duplicated.implode())),
            ]
        ).unique("line")
        mine = offers.join(kept.select("sku"), on="sku", how="semi")
        todo = kept.join(mine, on="sku", how="left").join(
            lines.select("line", "id_type", "id_value"), on="line"
        )
        resolved = self._resolve(todo, shop_id, deleted_since)
        self._work = (
            todo.select("line", "offer_id", "offer_product")
            .join(resolved, on="line", how="left")
            .select(
                "line",
                "offer_id",
                "offer_product",
                "product",
                pl.col("deleted").fill_null(0).cast(pl.Boolean),
            )
            .sort("line")
        )
        if replace:
            carried = lines.select("sku").unique()
            leftovers = offers.join(carried, on="sku", how="anti")
            self._not_carried = leftovers["offer_id"].sort().to_list()

    def _resolve(self, todo: pl.DataFrame, shop_id: int, deleted_since: datetime) -> pl.DataFrame:
        """line, product, deleted (0 or 1) of the lines that name a product or are new."""
        wanted = todo.filter(pl.col("offer_id").is_null() | (pl.col("id_value") != "")).select(
            "line", "sku", "id_type", "id_value", pl.col("offer_id").is_null().cast(pl.Int64)
        )
        if wanted.is_empty():
            return pl.DataFrame(schema=_RESOLVED)
        if not self._streamed:
            self._create_references()
            self._add(wanted.rename({"offer_id": "is_new"}))
        self._streamed = False
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Room for the joins of a million lines to hash in memory.
                cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(f"ANALYZE {self.references}")
            query, params = self._references_query(shop_id, deleted_since)
            resolved = _read(query, params, _RESOLVED)
            cursor.execute(f"DROP TABLE {self.references}")
        return resolved

    def stage_new(self, lines: pl.DataFrame) -> None:
        """Stage lines as they are read when the shop has no offer (every line is new), so
        that sending them overlaps reading the next; classify, given no offer, then finds
        them staged. A frame of line, sku, digest, id_type, id_value."""
        if not self._streamed:
            self._create_references()
            self._streamed = True
        self._add(lines.select("line", "sku", "id_type", "id_value", is_new=pl.lit(1)))

    def _create_references(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.references}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.references} (line bigint NOT NULL, "
                "sku text NOT NULL, id_type text NOT NULL, id_value text NOT NULL, "
                "is_new integer NOT NULL)"
            )

    def _add(self, rows: pl.DataFrame) -> None:
        columns = ["line", "sku", "id_type", "id_value", "is_new"]
        if connection.vendor == "postgresql":
            copy_frame(self.references, columns, rows)
            return
        statement = f"INSERT INTO {self.references} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, rows.height, _INSERT_ROWS):
                cursor.executemany(
                    statement, rows.slice(start, _INSERT_ROWS).select(columns).rows()
                )

    def _references_query(
        self, shop_id: int, deleted_since: datetime
    ) -> tuple[str, list[int | str | datetime]]:
        recent = DeletedOffer.objects.filter(shop_id=shop_id, deleted_at__gt=deleted_since)
        # Most shops deleted nothing lately: then no line needs the look-up.
        reused = (
            "CASE WHEN s.is_new = 1 AND EXISTS (SELECT 1 FROM "  # noqa: S608 (names are ours)
            f"{DeletedOffer._meta.db_table} t WHERE t.shop_id = %s AND t.sku = s.sku "
            "AND t.deleted_at > %s) THEN 1 ELSE 0 END"
            if recent.exists()
            else "(CASE WHEN %s = 0 AND %s IS NULL THEN 1 ELSE 0 END)"
        )
        query = (
            f"SELECT s.line AS line, p.id AS product, {reused} AS deleted "  # noqa: S608
            f"FROM {self.references} s "
            f"LEFT JOIN {ProductIdentifier._meta.db_table} i "
            "ON i.type = s.id_type AND i.value = s.id_value "
            f"LEFT JOIN {Product._meta.db_table} p ON p.id = i.product_id AND p.status <> %s"
        )
        return query, [shop_id, deleted_since, Product.Status.REJECTED]

    def work_between(self, first: int, last: int) -> pl.DataFrame:
        """The lines from `first` to `last` that have something to do (line, offer_id,
        offer_product, product, deleted); the others are unchanged."""
        return self._work.filter(pl.col("line").is_between(first, last))

    def offers_not_carried(self, shop_id: int, limit: int) -> list[Offer]:
        """Up to `limit` of the shop's offers whose sku no line of the file carries (as they
        stood when the lines were sorted out; those deleted since are passed over)."""
        while self._not_carried:
            batch, self._not_carried = self._not_carried[:limit], self._not_carried[limit:]
            found = list(
                Offer.objects.filter(shop_id=shop_id, id__in=batch)
                .only("id", "shop_id", "sku", "product_id")
                .order_by("id")
            )
            if found:
                return found
        return []

    def drop(self) -> None:
        self._work = pl.DataFrame(schema=_WORK)
        self._not_carried = []
        self._streamed = False
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.references}")


def _read(query: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A query's rows as a frame: streamed by COPY on PostgreSQL."""
    if connection.vendor == "postgresql":
        return read_frame(query, params, schema)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
