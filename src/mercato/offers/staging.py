"""An import's lines staged in the database, so that set-based SQL answers what a line needs.

Every line of the file goes into a temporary table (line, sku, digest, product reference)
before anything is applied. One join then sets aside the lines whose offer was last set by
this very line (nothing to do); for the others, chunk by chunk, come the existing offer, the
product their reference names and whether their sku belongs to an offer deleted less than
30 days ago. A REPLACE import finds the offers its file does not carry by the same table.

Temporary tables live as long as the database session: a worker that stops loses them, and
the import that it takes up again stages its file anew.
"""

from datetime import datetime

import polars as pl
from django.db import connection, transaction

from mercato.catalog.models import Product, ProductIdentifier
from mercato.offers.bulk import copy_frame, read_frame
from mercato.offers.models import DeletedOffer, Offer

_INSERT_ROWS = 10_000
_WORK = {
    "line": pl.Int64,
    "offer_id": pl.Int64,
    "offer_product": pl.Int64,
    "product": pl.Int64,
    "deleted": pl.Int64,  # 0 or 1: the booleans of both databases alike
}


class Stage:
    """The staged lines of one import, in this database session."""

    def __init__(self, import_id: int) -> None:
        self.lines = f"offer_import_{import_id}_lines"
        self.work = f"offer_import_{import_id}_work"
        self.twice = f"offer_import_{import_id}_twice"

    def create(self) -> None:
        self.drop()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.lines} (line bigint NOT NULL, sku text NOT NULL, "
                "digest bigint, id_type text NOT NULL, id_value text NOT NULL)"
            )

    def add(self, rows: pl.DataFrame) -> None:
        """Stage lines: a frame of line, sku, digest, id_type, id_value."""
        columns = ["line", "sku", "digest", "id_type", "id_value"]
        if connection.vendor == "postgresql":
            copy_frame(self.lines, columns, rows)
            return
        statement = f"INSERT INTO {self.lines} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, rows.height, _INSERT_ROWS):
                cursor.executemany(
                    statement, rows.slice(start, _INSERT_ROWS).select(columns).rows()
                )

    def classify(
        self, shop_id: int, duplicated: list[int], deleted_since: datetime, *, replace: bool
    ) -> None:
        """Keep the lines that have something to do: those whose offer does not exist, was
        last set by another line, or whose sku stands on several lines (`duplicated`, the
        line numbers). With each: its existing offer, and for a new offer the product its
        reference names and whether its sku went to an offer deleted since
        `deleted_since`. A REPLACE import also needs the staged skus indexed, to find the
        offers its file does not carry."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Room for the joins of a million lines to hash in memory.
                cursor.execute("SET LOCAL work_mem = '128MB'")
            if replace:
                cursor.execute(f"CREATE INDEX {self.lines}_sku ON {self.lines} (sku)")
            cursor.execute(f"ANALYZE {self.lines}")
            again = ""
            if duplicated:
                cursor.execute(f"CREATE TEMPORARY TABLE {self.twice} (line bigint PRIMARY KEY)")
                statement = f"INSERT INTO {self.twice} VALUES (%s)"  # noqa: S608
                cursor.executemany(statement, [(line,) for line in duplicated])
                again = f" OR s.line IN (SELECT line FROM {self.twice})"  # noqa: S608
            query, params = self._work_query(shop_id, deleted_since, again)
            cursor.execute(f"CREATE TEMPORARY TABLE {self.work} AS {query}", params)
            cursor.execute(f"CREATE INDEX {self.work}_line ON {self.work} (line)")

    def _work_query(
        self, shop_id: int, deleted_since: datetime, again: str
    ) -> tuple[str, list[int | str | datetime]]:
        recent = DeletedOffer.objects.filter(shop_id=shop_id, deleted_at__gt=deleted_since)
        # Most shops deleted nothing lately: then no line needs the look-up.
        reused = (
            "CASE WHEN o.id IS NULL AND EXISTS (SELECT 1 FROM "  # noqa: S608 (names are ours)
            f"{DeletedOffer._meta.db_table} t WHERE t.shop_id = %s AND t.sku = s.sku "
            "AND t.deleted_at > %s) THEN 1 ELSE 0 END"
            if recent.exists()
            else "(CASE WHEN %s = 0 AND %s IS NULL THEN 1 ELSE 0 END)"
        )
        query = (
            "SELECT s.line AS line, o.id AS offer_id, o.product_id AS offer_product, "  # noqa: S608
            f"p.id AS product, {reused} AS deleted FROM {self.lines} s "
            f"LEFT JOIN {Offer._meta.db_table} o ON o.shop_id = %s AND o.sku = s.sku "
            f"LEFT JOIN {ProductIdentifier._meta.db_table} i ON o.id IS NULL "
            "AND i.type = s.id_type AND i.value = s.id_value "
            f"LEFT JOIN {Product._meta.db_table} p ON p.id = i.product_id AND p.status <> %s "
            "WHERE (o.id IS NULL OR s.digest IS NULL OR o.row_hash IS NULL "
            f"OR o.row_hash <> s.digest{again})"
        )
        return query, [shop_id, deleted_since, shop_id, Product.Status.REJECTED]

    def work_between(self, first: int, last: int) -> pl.DataFrame:
        """The lines from `first` to `last` that have something to do (line, offer_id,
        offer_product, product, deleted); the others are unchanged."""
        query = (
            "SELECT line, offer_id, offer_product, product, deleted "  # noqa: S608
            f"FROM {self.work} WHERE line BETWEEN %s AND %s"
        )
        if connection.vendor == "postgresql":
            frame = read_frame(query, [first, last], _WORK)
        else:
            with connection.cursor() as cursor:
                cursor.execute(query, [first, last])
                frame = pl.DataFrame(cursor.fetchall(), schema=_WORK, orient="row")
        return frame.with_columns(pl.col("deleted").cast(pl.Boolean))

    def offers_not_carried(self, shop_id: int, limit: int) -> list[Offer]:
        """Up to `limit` of the shop's offers whose sku no line of the file carries."""
        return list(
            Offer.objects.raw(
                f"SELECT id, shop_id, sku, product_id FROM {Offer._meta.db_table} o "  # noqa: S608
                f"WHERE o.shop_id = %s AND NOT EXISTS (SELECT 1 FROM {self.lines} s "
                "WHERE s.sku = o.sku) ORDER BY o.id LIMIT %s",
                [shop_id, limit],
            )
        )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.work}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.twice}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.lines}")
