"""The pieces of offers.staging: keys, duplicates, offers by key, streamed reads."""

from datetime import UTC, datetime

import polars as pl
import pytest
from django.db import DataError, ProgrammingError, connection, transaction

from mercato.offers import bulk, key_ranges, staging


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
@pytest.mark.parametrize("ranges", [1, 3])
def test_without_offers_every_line_has_something_to_do_once_in_file_order(ranges: int) -> None:
    stage = staging.Stage(0, ranges)
    stage._looked_up = True  # the products were looked up while the file was read
    keys = _keys(["A", "B", "A", "", "C"]).with_columns(
        digest=pl.lit(None, dtype=pl.Int64), ref=pl.lit(None, dtype=pl.UInt64)
    )
    stage.add_keys(keys)
    refs = keys.select("ref").clear()
    stage.classify(refs, 1, datetime.now(UTC), replace=False, chunk_starts=[2])
    assert stage.duplicated.sort().to_list() == [2, 4]
    work = stage.todo_between(2, 6)
    assert work.rows() == [(line, None, None) for line in (2, 3, 4, 5, 6)]
    assert work.schema == staging._WORK
    stage.drop()


def _offers(rows: list[tuple[str, int, int, int]]) -> pl.DataFrame:
    """Offers as read_offers keeps them, from (sku, id, product, row_hash)."""
    frame = pl.DataFrame(
        rows, schema={"sku": pl.String, "offer_id": pl.Int64, "offer_product": pl.Int64,
                      "row_hash": pl.Int64}, orient="row",
    )  # fmt: skip
    return frame.select(*staging.sku_key(pl.col("sku")), "offer_id", "offer_product", "row_hash")


@pytest.mark.django_db
@pytest.mark.parametrize("ranges", [1, 2, 5])
def test_lines_sorted_out_by_key_range_are_those_sorted_out_at_once(ranges: int) -> None:
    """Unchanged, changed, new, duplicated and sku-less lines, and a REPLACE leftover, give
    the same result whether the keys are held at once or in files by range."""
    lines = [("A", 100), ("B", 201), ("E", 300), ("D", 400), ("F", 500), ("D", 401)]
    lines += [("", 600), ("G", 700)]
    keys = pl.DataFrame(
        [(n + 2, sku, digest) for n, (sku, digest) in enumerate(lines)],
        schema={"line": pl.Int64, "sku": pl.String, "digest": pl.Int64},
        orient="row",
    ).select("line", *staging.sku_key(pl.col("sku")), "digest", ref=pl.lit(None, pl.UInt64))
    stage = staging.Stage(0, ranges)
    stage._looked_up = True
    for first, last in ((2, 4), (5, 7), (8, 9)):  # three chunks, as the first pass reads them
        stage.add_keys(keys.filter(pl.col("line").is_between(first, last)))
    stage.add_offers(_offers([("A", 1, 10, 100), ("B", 2, 20, 200), ("C", 3, 30, 399)]))
    stage.add_offers(_offers([("D", 4, 40, 400)]))
    stage.classify(_NO_REFERENCES, 1, datetime.now(UTC), replace=True, chunk_starts=[2, 5, 8])
    assert sorted(stage.duplicated.to_list()) == [5, 7]
    assert stage.todo_between(2, 4).rows() == [(3, 2, 20), (4, None, None)]
    assert stage.todo_between(5, 7).rows() == [(5, 4, 40), (6, None, None), (7, 4, 40)]
    assert stage.todo_between(6, 7).rows() == [(6, None, None), (7, 4, 40)]  # resumed at 6
    assert stage.todo_between(8, 9).rows() == [(8, None, None), (9, None, None)]
    assert stage._not_carried == [3]  # C: the one offer no line carries
    stage.drop()
    assert stage._files is None or stage._files._made is None  # its files are gone


_NO_REFERENCES = pl.DataFrame(schema={**staging.REFERENCES, "ref": pl.UInt64})


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


def test_frames_kept_by_number_read_back_in_order_and_are_removed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = key_ranges.FrameFiles(tmp_path / "frames")
    frame = pl.DataFrame({"key": [7, 2, 4, None, 9]}, schema={"key": pl.UInt64})
    numbers = key_ranges.key_range(frame["key"], 3)
    assert numbers.to_list() == [1, 2, 1, 0, 0]
    files.add("keys", frame, numbers)
    files.add("keys", frame.head(1), numbers.head(1))
    schema = pl.Schema({"key": pl.UInt64})
    assert files.read("keys", 1, schema)["key"].to_list() == [7, 4, 7]
    assert files.read("keys", 0, schema)["key"].to_list() == [None, 9]
    assert files.read("offers", 1, schema).is_empty()
    directory = files._made
    assert directory is not None and len(list(directory.iterdir())) == 4
    files.remove()
    assert not directory.exists()
    assert files.read("keys", 1, schema).is_empty()
    unused = key_ranges.FrameFiles(tmp_path / "unused")
    unused.remove()
    assert unused._made is None  # nothing was made for nothing kept


def test_frames_kept_in_a_given_directory_start_from_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An import taken up again after its worker was killed keeps its frames where the first
    attempt did: what that attempt left is removed, never read."""
    place = tmp_path / "staging" / "offer-import-7"
    frame = pl.DataFrame({"key": [1, 2]}, schema={"key": pl.UInt64})
    killed = key_ranges.FrameFiles(place)
    killed.add("keys", frame, pl.Series([0, 0]))
    again = key_ranges.FrameFiles(place)
    again.add("keys", frame.head(1), pl.Series([0]))
    assert again.read("keys", 0, pl.Schema({"key": pl.UInt64}))["key"].to_list() == [1]
    assert sorted(p.name for p in place.iterdir()) == ["keys-0-0.arrow"]
    again.remove()
    assert not place.exists()
