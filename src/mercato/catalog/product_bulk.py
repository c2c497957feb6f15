"""Writing many rows at once, past the ORM: COPY on PostgreSQL, one prepared statement run
for every row (executemany) elsewhere.

A product import writes a product, an identifier and an outcome per line: built as model
instances, the rows cost more in Python than the database spends storing them. Rows come
as polars frames (`insert_frame`, `update_frame`: polars encodes thousands of rows at once,
without the GIL) or, for the few lines the rule book reports, as Python rows
(`insert_rows`, JSON columns named so that they are serialized here). It also reads back by
thousands of keys at once (`select_in`) and draws the ids of the rows it is about to COPY
(`reserve_ids`).
"""

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection

from mercato.offers.bulk import copy_frame


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    json_columns: frozenset[str] = frozenset(),
) -> None:
    encoded = [i for i, name in enumerate(columns) if name in json_columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {quote(table)} ({names}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(_encoded(row, encoded))
            return
        marks = ", ".join(["%s"] * len(columns))
        batch = [_encoded(row, encoded) for row in rows]
        if batch:
            # Table and column names come from the models, never from input.
            statement = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(statement, batch)


def insert_frame(table: str, frame: pl.DataFrame) -> None:
    """Insert the frame's rows, its columns named as the table's."""
    if frame.is_empty():
        return
    if connection.vendor != "postgresql":
        insert_rows(table, frame.columns, frame.iter_rows())
        return
    copy_frame(table, frame.columns, frame)


def update_frame(table: str, frame: pl.DataFrame, types: Mapping[str, str]) -> None:
    """Set the columns of the frame (after `id`, each of PostgreSQL type `types[name]`) of the
    rows whose id is the frame's `id`: on PostgreSQL, COPY into a temporary table then one
    UPDATE … FROM; elsewhere, one prepared UPDATE per row (SQLite runs them in process, with
    no round trip)."""
    if frame.is_empty():
        return
    names = [name for name in frame.columns if name != "id"]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{quote(name)} = %s" for name in names)
            statement = f"UPDATE {quote(table)} SET {assignments} WHERE id = %s"  # noqa: S608
            cursor.executemany(statement, frame.select(*names, "id").rows())
            return
        staging = f"{table}_staged_frame"
        definition = ", ".join(f"{quote(name)} {types[name]}" for name in names)
        # Dropped with the transaction; emptied first when a transaction updates twice.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(staging)} (id bigint, {definition}) "
            "ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {quote(staging)}")
        copy_frame(staging, ["id", *names], frame)
        assignments = ", ".join(f"{quote(name)} = staged.{quote(name)}" for name in names)
        cursor.execute(
            f"UPDATE {quote(table)} AS target SET {assignments} "  # noqa: S608
            f"FROM {quote(staging)} AS staged WHERE target.id = staged.id"
        )


def select_in(
    sql: str, values: Collection[Any], kind: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """The rows of `sql`, whose last placeholder `{values}` stands for "is one of `values`",
    `kind` being the column's PostgreSQL type.

    On PostgreSQL the values go as one array (`= ANY(%s::kind[])`): an IN list of thousands
    of placeholders costs more to build and parse than the query costs to run. The array
    has the column's very type, else PostgreSQL compares across types and cannot hash it,
    and it is sent as its text, built at once (`array_text`): psycopg would quote an array
    parameter element by element in Python, which for an import batch's 20,000 keys cost
    more than the query.
    """
    if not values:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(values=f"= ANY(%s::{kind}[])"), [*params, array_text(values)])
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(sql.format(values=f"IN ({marks})"), [*params, *values])
        return cursor.fetchall()


def array_text(values: Collection[Any]) -> str:
    """PostgreSQL's text for an array of these values (numbers or text)."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    quoted = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return '{"' + '","'.join(quoted) + '"}'


def reserve_ids(table: str, count: int) -> list[int] | None:
    """`count` ids drawn from the table's identity sequence (PostgreSQL), for rows COPYed
    with their ids, so that they need not be read back; None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    if not count:
        return []
    with connection.cursor() as cursor:
        # The sequence looked up once (a materialized CTE is not folded into the outer
        # query): called in the select list, pg_get_serial_sequence ran for every id, 56-80 ms
        # for 20,000 ids against 10-12 ms.
        cursor.execute(
            "WITH found AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass "
            "AS sequence) SELECT nextval(sequence) FROM found, generate_series(1, %s)",
            [connection.ops.quote_name(table), count],
        )
        return [row[0] for row in cursor.fetchall()]


# Most rows' descriptions and issues are empty: their JSON needs no encoder call.
_EMPTY_JSON: dict[type, str] = {dict: "{}", list: "[]"}


def _encoded(row: Sequence[object], indexes: Sequence[int]) -> list[Any]:
    values = list(row)
    for index in indexes:
        value = values[index]
        empty = None if value else _EMPTY_JSON.get(type(value))
        values[index] = empty if empty is not None else json.dumps(value)
    return values
