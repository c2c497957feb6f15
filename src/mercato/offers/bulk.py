"""Inserting many offers at once: COPY on PostgreSQL, bulk INSERT elsewhere.

A first import writes up to millions of offers; on PostgreSQL, COPY sends them as one
stream instead of statements whose parameters are bound row by row, several times faster.
"""

import io
import json
import select
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import polars as pl
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from mercato.imports.frames import last_record_end
from mercato.offers.models import Offer

ExecStatus = psycopg.pq.ExecStatus

# The Offer columns whose values an import line gives.
VALUE_FIELDS = (
    "state",
    "quantity",
    "logistic_class",
    "leadtime_to_ship",
    "description",
    "internal_description",
    "price_additional_info",
    "price",
    "discount_price",
    "discount_start",
    "discount_end",
    "channel_prices",
    "additional_fields",
)
_COLUMNS = ("shop_id", "sku", "product_id", *VALUE_FIELDS, "row_hash", "created_at", "updated_at")
_JSON = frozenset({"channel_prices", "additional_fields"})


def insert_offers(rows: Sequence[dict[str, Any]]) -> None:
    """Create offers from their field values (shop_id, sku, product_id and the rest)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Offer.objects.bulk_create(Offer(**row) for row in rows)
        return
    now = timezone.now()
    defaults = {"created_at": now, "updated_at": now}
    statement = f"COPY {Offer._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = {**defaults, **row}
            copy.write_row([json.dumps(values[n]) if n in _JSON else values[n] for n in _COLUMNS])


def copy_frame(table: str, columns: list[str], frame: pl.DataFrame) -> None:
    """COPY a frame's columns into a table (PostgreSQL)."""
    copy_data(table, columns, copy_text(frame, columns))


# What PostgreSQL's text format escapes in a value, the backslash first.
_TEXT_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
_SPECIAL = r"[\\\t\n\r]"  # any of them


def copy_text(frame: pl.DataFrame, columns: list[str]) -> bytes:
    """A frame's columns as COPY data in PostgreSQL's text format: \\N for null, values
    tab-separated, a backslash, tab or line break in a text escaped. PostgreSQL reads it
    faster than CSV (a sixth less of its time for a million offers) and it is smaller.
    Polars only: it can run in a thread while the database writes."""
    frame = frame.select(columns)
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    # Most columns hold nothing to escape: one scan of them all (in parallel) spares four
    # replacements each.
    special = frame.select(pl.col(texts).str.contains(_SPECIAL).any()).row(0) if texts else ()
    escaped = []
    for name, found in zip(texts, special, strict=True):
        if found:
            value = pl.col(name)
            for character, escape in _TEXT_ESCAPES:
                value = value.str.replace_all(character, escape, literal=True)
            escaped.append(value)
    data = io.BytesIO()
    frame.with_columns(escaped).write_csv(
        data, separator="\t", include_header=False, quote_style="never", null_value="\\N"
    )
    return data.getvalue()


def copy_data(table: str, columns: list[str], data: bytes) -> None:
    """COPY text-format data (see copy_text) into a table's columns."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(name) for name in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(data)


def read_frames(
    query: str, params: list[Any], schema: dict[str, Any], piece_bytes: int = 8 << 20
) -> Iterator[pl.DataFrame]:
    """A query's rows as frames of about `piece_bytes` of COPY data each (PostgreSQL), so
    that reading a million rows never holds them all as text."""
    connection.ensure_connection()
    statement = psycopg.ClientCursor(connection.connection).mogrify(query, params)
    copied = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"
    pending = bytearray()
    with connection.wrap_database_errors:
        for data in _copy_out(connection.connection.pgconn, copied.encode()):
            pending += data
            end = last_record_end(pending, len(pending)) if len(pending) >= piece_bytes else None
            if end is not None:
                yield _csv_frame(pending[: end + 1], schema)
                del pending[: end + 1]
    if pending:
        yield _csv_frame(pending, schema)


def _copy_out(pgconn: psycopg.pq.abc.PGconn, statement: bytes) -> Iterator[memoryview]:
    """The rows of a COPY … TO STDOUT, read from libpq itself. psycopg's copy object costs
    several Python calls per row, half a second of CPU for a shop's million offers, and its
    waits hold the interpreter while the import's other thread reads the file; here a row
    already received costs one call, and a wait for more is a select() that lets go."""
    pgconn.send_query(statement)
    started = _result(pgconn)
    if started is None or started.status != ExecStatus.COPY_OUT:
        while _result(pgconn) is not None:  # leave the connection ready for what follows
            pass
        _expect(started, ExecStatus.COPY_OUT)
    finished = False
    try:
        while True:
            size, data = pgconn.get_copy_data(1)
            if size > 0:
                yield data
            elif size == 0:  # nothing received yet
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            else:
                break
        finished = True
    finally:
        if not finished:  # the reader stopped early: let the copy run out
            while pgconn.get_copy_data(0)[0] >= 0:
                pass
        results = []
        while (result := _result(pgconn)) is not None:
            results.append(result)
    for result in results:
        _expect(result, ExecStatus.COMMAND_OK)


def _result(pgconn: psycopg.pq.abc.PGconn) -> psycopg.pq.abc.PGresult | None:
    while pgconn.is_busy():
        select.select([pgconn.socket], [], [])
        pgconn.consume_input()
    return pgconn.get_result()


def _expect(result: psycopg.pq.abc.PGresult | None, status: ExecStatus) -> None:
    if result is None or result.status != status:
        if result is not None and result.status == ExecStatus.FATAL_ERROR:
            raise psycopg.errors.error_from_result(
                result, encoding=connection.connection.info.encoding
            )
        raise psycopg.OperationalError(f"unexpected result of COPY: {result and result.status}")


def _csv_frame(data: bytes | bytearray, schema: dict[str, Any]) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(data), has_header=False, new_columns=list(schema), schema_overrides=schema
    )


# created_at and updated_at take their database default, the transaction's time.
_COPIED = list(_COLUMNS[:-2])


def offer_copy_data(frame: pl.DataFrame) -> bytes:
    """insert_offer_frame's COPY data for a frame, prepared ahead (PostgreSQL)."""
    return copy_text(frame, _COPIED)


def insert_offer_frame(frame: pl.DataFrame, now: datetime, data: bytes | None = None) -> None:
    """Create offers from a frame of their column values, JSON columns as JSON text;
    `data`, when given, is the frame's offer_copy_data."""
    if frame.is_empty():
        return
    columns = list(_COLUMNS)
    if connection.vendor == "postgresql":
        copy_data(Offer._meta.db_table, _COPIED, offer_copy_data(frame) if data is None else data)
        return
    stamp = Offer._meta.get_field("created_at").get_db_prep_save(now, connection)
    frame = frame.with_columns(created_at=pl.lit(str(stamp)), updated_at=pl.lit(str(stamp)))
    placeholders = ", ".join(["%s"] * len(columns))
    statement = (
        f"INSERT INTO {Offer._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(statement, frame.select(columns).rows())


# The columns an import updates, with their PostgreSQL types for the unnest() below.
_UPDATED = {
    "state": "text",
    "quantity": "integer",
    "price": "numeric",
    "discount_price": "numeric",
    "discount_start": "date",
    "discount_end": "date",
    "channel_prices": "text",
    "logistic_class": "text",
    "leadtime_to_ship": "integer",
    "description": "text",
    "internal_description": "text",
    "price_additional_info": "text",
    "additional_fields": "text",
    "row_hash": "bigint",
    "updated_at": "timestamptz",
}


def update_offers(offers: Sequence[Offer]) -> None:
    """Write the import's columns of changed offers (see update_offer_rows)."""
    update_offer_rows([(offer.id, {n: getattr(offer, n) for n in _UPDATED}) for offer in offers])


def update_offer_rows(
    rows: Sequence[tuple[int, Mapping[str, Any]]], names: Sequence[str] = tuple(_UPDATED)
) -> None:
    """Write columns `names` (the import's, by default) of offers given as (id, values by
    column name): one UPDATE … FROM unnest() on PostgreSQL, one prepared UPDATE per offer
    elsewhere; Django's bulk_update would build a CASE per column and row, slow for
    thousands of rows."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        _update_each(rows, names)
        return
    columns: list[list[Any]] = [[offer_id for offer_id, _ in rows]]
    for name in names:
        values = [offer[name] for _, offer in rows]
        if name in _JSON:
            values = [json.dumps(value) for value in values]
        columns.append(values)
    arrays = ", ".join(f"%b::{kind}[]" for kind in ["bigint", *(_UPDATED[n] for n in names)])
    assignments = ", ".join(f"{name} = v.{name}" for name in names)
    table = Offer._meta.db_table
    statement = (
        f"UPDATE {table} AS o SET {assignments} "  # noqa: S608 (names are ours, values bound)
        f"FROM unnest({arrays}) AS v(id, {', '.join(names)}) WHERE o.id = v.id"
    )
    # A server-side binding cursor sends the arrays as binary parameters; Django's own
    # cursor would quote every value into the statement's text, in Python.
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, columns)


def _update_each(rows: Sequence[tuple[int, Mapping[str, Any]]], names: Sequence[str]) -> None:
    """One prepared UPDATE run for every offer: cheap on an embedded database."""
    fields = [field for field in Offer._meta.concrete_fields if field.name in names]
    assignments = ", ".join(f"{field.column} = %s" for field in fields)
    statement = f"UPDATE {Offer._meta.db_table} SET {assignments} WHERE id = %s"  # noqa: S608
    prepared = [
        [field.get_db_prep_save(offer[field.name], connection) for field in fields] + [offer_id]
        for offer_id, offer in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, prepared)


def offer_values(ids: Sequence[int]) -> dict[int, tuple[int | None, dict[str, Any]]]:
    """Offers by id: their row_hash and the values an import line sets (VALUE_FIELDS), as
    the model's fields hold them."""
    found = {}
    # In slices: SQLite bounds the number of parameters of a statement.
    for start in range(0, len(ids), _READ_IDS):
        for offer_id, row_hash, *values in _value_rows(ids[start : start + _READ_IDS]):
            found[offer_id] = (row_hash, dict(zip(VALUE_FIELDS, values, strict=True)))
    return found


def _value_rows(ids: Sequence[int]) -> list[Any]:
    if connection.vendor != "postgresql":
        values = Offer.objects.filter(id__in=ids).values_list("id", "row_hash", *VALUE_FIELDS)
        return list(values)
    # A plain query: the queryset's per-value conversions cost twice the time. The JSON
    # columns are text (mercato.fields), decoded here as the model's fields would.
    json_at = [2 + VALUE_FIELDS.index(name) for name in _JSON]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, row_hash, {', '.join(VALUE_FIELDS)} "  # noqa: S608 (names are ours)
            f"FROM {Offer._meta.db_table} WHERE id = ANY(%s)",
            [list(ids)],
        )
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for index in json_at:
            row[index] = json.loads(row[index])
    return rows


_READ_IDS = 5000


def refresh_statistics() -> None:
    """Let the database's planner see how many offers there are now.

    A table that grew by hundreds of thousands of rows since its last ANALYZE looks small to
    the planner, which then scans all of it instead of using the sku index. PostgreSQL's
    autovacuum would get to it only later, if it runs at all; a small sample tells the table's
    size as well as a full one, in a fraction of the time.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        else:
            cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"ANALYZE {Offer._meta.db_table}")
