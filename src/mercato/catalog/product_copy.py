"""Writing a frame's rows into a table: COPY of polars-written data on PostgreSQL
(`offers.bulk.copy_text`), one prepared statement run per row elsewhere (`product_bulk`).

Polars encodes thousands of rows at once, without the GIL; row by row, psycopg's COPY cost
the import more in Python than PostgreSQL spent storing the rows.
"""

from collections.abc import Mapping

import polars as pl
from django.db import connection

from mercato.catalog.product_bulk import insert_rows, update_rows
from mercato.offers.bulk import copy_data, copy_text


def insert_frame(table: str, frame: pl.DataFrame) -> None:
    """Insert the frame's rows, its columns named as the table's."""
    if frame.is_empty():
        return
    if connection.vendor != "postgresql":
        insert_rows(table, frame.columns, frame.iter_rows())
        return
    copy_data(table, frame.columns, copy_text(frame, frame.columns))


def update_frame(table: str, frame: pl.DataFrame, types: Mapping[str, str]) -> None:
    """Set the columns of the frame (after `id`, each of PostgreSQL type `types[name]`) of the
    rows whose id is the frame's `id`: on PostgreSQL, COPY into a temporary table then one
    UPDATE … FROM."""
    if frame.is_empty():
        return
    names = [name for name in frame.columns if name != "id"]
    if connection.vendor != "postgresql":
        update_rows(table, {name: types[name] for name in names}, frame.rows())
        return
    quote = connection.ops.quote_name
    staging = quote(f"{table}_staged_frame")
    definition = ", ".join(f"{quote(name)} {types[name]}" for name in names)
    with connection.cursor() as cursor:
        # Dropped with the transaction; emptied first when a transaction updates twice.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} (id bigint, {definition}) "
            "ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {staging}")
        copy_data(f"{table}_staged_frame", ["id", *names], copy_text(frame, frame.columns))
        assignments = ", ".join(f"{quote(name)} = staged.{quote(name)}" for name in names)
        cursor.execute(
            f"UPDATE {quote(table)} AS target SET {assignments} "  # noqa: S608
            f"FROM {staging} AS staged WHERE target.id = staged.id"
        )
