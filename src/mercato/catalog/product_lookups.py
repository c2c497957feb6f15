"""Reading rows back by thousands of keys at once, the keys given to PostgreSQL as one value.

`product_bulk.select_in` sends the keys as an array parameter; Django's cursors bind
parameters on the client, where psycopg quotes an array element by element in Python: for
the 20,000 keys of an import batch that cost more than the query. Here the array's text is
built at once (a join) and sent as one string, cast to the column's type: the statement
PostgreSQL plans is the same, its array given in full.
"""

from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection

from mercato.catalog.product_bulk import select_in


def array_text(values: Collection[Any]) -> str:
    """PostgreSQL's text for an array of these values (numbers or text)."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    quoted = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return '{"' + '","'.join(quoted) + '"}'


def select_any(
    sql: str, values: Collection[Any], kind: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """As `select_in`: the rows of `sql`, whose last placeholder `{values}` stands for "is
    one of `values`", `kind` being the column's PostgreSQL type."""
    if connection.vendor != "postgresql" or not values:
        return select_in(sql, values, kind, params)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(values=f"= ANY(%s::{kind}[])"), [*params, array_text(values)])
        return cursor.fetchall()
