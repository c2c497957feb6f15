"""The pieces of offers.staging: keys, duplicates, offers by key, streamed reads."""

from datetime import UTC, datetime

import polars as pl
import pytest
from django.db import DataError, ProgrammingError, connection, transaction

from mercato.offers import bulk, staging


def _keys(skus: list[str]) -> pl.DataFrame:
    lines = pl.DataFrame({"line": list(range(2, 2 + len(skus))), "sku": skus})
    return lines.select("line", *staging.sku_key(pl.col("sku")))


def test_duplicated_lines_are_those_whose_sku_stands_on_several_lines() -> None:
    keys = _keys(["A", "B", "A", "C", "B", "A", "D"])
    assert sorted(staging._duplicated(keys).to_list()) == [2, 3, 4, 6, 7]
    assert staging._duplicated(_keys(["A", "B"])).to_list() == []


def test_lines_sharing_only_the_first_key_are_not_duplicated() -> None:
    keys = pl.DataFrame(
        {
            "line": [2, 3, 4, 5, 6],
            "key": [10, 10, 10, 20, 30],
            "key2": [11, 99, 11, 21, 31],  # lines 2 and 4 share both keys; 3 the first only
        },
        schema={"line": pl.Int64, "key": pl.UInt64, "key2": pl.UInt64},
    )
    assert sorted(staging._duplicated(keys).to_list()) == [2, 4]
    assert staging._duplicated(keys.filter(pl.col("line") != 4)).to_list() == []


def test_an_empty_sku_has_no_key() -> None:
    assert _keys(["", "A"])["key"].to_list()[0] is None


def test_lines_get_their_offer_only_when_both_keys_match() -> None:
    todo = pl.DataFrame(
        {"line": [2, 3, 4], "key": [10, 20, 30], "key2": [11, 21, 31]},
        schema={"line": pl.Int64, "key": pl.UInt64, "key2": pl.UInt64},
    )
    offers = pl.DataFrame(
        {
            "key": [10, 20, 20],
            "key2": [11, 99, 21],  # key 20 twice: one offer collides on the first key only
            "offer_id": [100, 200, 201],
            "offer_product": [1, 2, 3],
            "row_hash": [None, None, None],
        },
        schema=staging._OFFERS,
    )
    work = staging._with_offers(todo, offers)
    assert work.rows() == [(2, 100, 1), (3, 201, 3), (4, None, None)]


@pytest.mark.django_db
def test_without_offers_every_line_has_something_to_do_once_in_file_order() -> None:
    stage = staging.Stage(0)
    stage._looked_up = True  # the products were looked up while the file was read
    keys = _keys(["A", "B", "A", "", "C"]).with_columns(
        digest=pl.lit(None, dtype=pl.Int64), ref=pl.lit(None, dtype=pl.UInt64)
    )
    stage.classify(keys, keys.select("ref").clear(), 1, datetime.now(UTC), replace=False)
    assert stage.duplicated.sort().to_list() == [2, 4]
    work = stage.todo_between(2, 6)
    assert work.rows() == [(line, None, None) for line in (2, 3, 4, 5, 6)]
    assert work.schema == staging._WORK


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_streamed_read_cuts_only_between_records() -> None:
    values = ['a"b', "line\nbreak", "plain", 'x,"y"\nz', ""] * 40
    query = "SELECT v, n FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n)"
    schema = {"v": pl.String, "n": pl.Int64}
    pieces = list(bulk.read_frames(query, [values], schema, piece_bytes=64))
    assert len(pieces) > 5
    read = pl.concat(pieces)
    assert read["n"].to_list() == list(range(1, len(values) + 1))
    assert read["v"].fill_null("").to_list() == values


def _ready() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 41 + 1")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT 1 / (n - 3000) FROM generate_series(1, 5000) AS n", DataError),  # midway
        ("SELECT nothing FROM generate_series(1, 5) AS n", ProgrammingError),  # at once
    ],
)
def test_a_streamed_read_that_fails_raises_and_leaves_the_connection_ready(
    query: str, error: type[Exception]
) -> None:
    with pytest.raises(error), transaction.atomic():
        list(bulk.read_frames(query, [], {"x": pl.Int64}, piece_bytes=64))
    assert _ready() == 42


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_streamed_read_left_midway_leaves_the_connection_ready() -> None:
    pieces = bulk.read_frames(
        "SELECT n FROM generate_series(1, 100000) AS n", [], {"n": pl.Int64}, piece_bytes=64
    )
    assert next(pieces)["n"][0] == 1
    pieces.close()
    assert _ready() == 42


@pytest.mark.parametrize(
    ("right_lines", "expected"),
    [
        ([2, 3, 4], [(2, "a", 20), (3, "b", 30), (4, "c", 40)]),  # the same: side by side
        ([4, 2], [(2, "a", 20), (4, "c", 40)]),  # fewer, another order: joined
        ([3, 2, 4], [(2, "a", 20), (3, "b", 30), (4, "c", 40)]),
    ],
)
def test_lines_are_joined_in_the_left_frames_order(
    right_lines: list[int], expected: list[tuple[int, str, int]]
) -> None:
    left = pl.DataFrame({"line": [2, 3, 4], "sku": ["a", "b", "c"]})
    right = pl.DataFrame({"line": right_lines, "offer": [line * 10 for line in right_lines]})
    assert staging.join_lines(left, right).rows() == expected
