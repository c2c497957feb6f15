"""Column frames give the same lines as the line readers, cut anywhere."""

import itertools
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from mercato.imports.frames import (
    chunks,
    chunks_again,
    in_thread_together,
    last_record_end,
    one_ahead,
    source_lines,
)
from mercato.imports.readers import open_source

CASES = {
    "plain": b"a;b;c\n1;2;3\n4;5;6\n",
    "BOM, CRLF, blank and empty lines, no final break": (
        b"\xef\xbb\xbfa;b;c\r\n1;2;3\r\n\r\n4;5;6\r\n;;\r\n7;8;9"
    ),
    "quoted break, separator, short and long lines": (
        b'a;b;c\n1;"x\ny";3\n4;5;6\n"7";"8;8";"9"\n10;11\n12;13;14;15\n'
    ),
    "stray quote": b'a;b;c\n1;x"y;3\n4;5;6\n',
    "quoted break in the header": b'"a\nA";b;c\n1;2;3\n',
    "comma separated": b"a,b,c\n1,2,3\n",
    "several quoted breaks and spaces": b'a;b\n1;"x\n\n\ny"\n2;3\n  ;  \n4;5',
    "doubled quotes": b'a;b\n1;"say ""hi"""\n2;"\n"\n',
    "lines blank in the first columns only": b"a;b;c\n1;2;3\n;;x\n ; ;\n;;\n4;5;6\n",
}


def _expected(path: Path) -> list[tuple[int, list[str]]]:
    source = open_source(path)
    width = len(source.header)
    return [(x.line, x.values + [""] * (width - len(x.values))) for x in source.lines()]


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize(("chunk_lines", "block_bytes"), [(1, 1), (2, 4), (3, 16), (100, 1000)])
def test_chunks_give_the_readers_lines(
    tmp_path: Path, content: bytes, chunk_lines: int, block_bytes: int
) -> None:
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    source = open_source(path)
    found = []
    for chunk in chunks(source, path, chunk_lines=chunk_lines, block_bytes=block_bytes):
        frame = chunk.read()
        lines = frame["line"].to_list()
        assert all(chunk.first_line <= line <= chunk.last_line for line in lines)
        found += [(x.line, x.values) for x in source_lines(frame, source.header)]
    assert found == _expected(path)


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize(("chunk_lines", "block_bytes"), [(1, 1), (2, 4), (100, 1000)])
def test_chunks_again_at_their_spans_are_the_same_chunks(
    tmp_path: Path, content: bytes, chunk_lines: int, block_bytes: int
) -> None:
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    source = open_source(path)
    first = list(chunks(source, path, chunk_lines=chunk_lines, block_bytes=block_bytes))
    spans = [chunk.span for chunk in first if chunk.span is not None]
    assert len(spans) == len(first)
    again = list(chunks_again(source, path, spans))
    assert [(c.first_line, c.last_line, c.span) for c in again] == [
        (c.first_line, c.last_line, c.span) for c in first
    ]
    for before, after in zip(first, again, strict=True):
        assert after.read().equals(before.read())


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("indexes", [[0], [0, 2], [1]])
def test_chunk_columns_are_the_whole_lines_columns(
    tmp_path: Path, content: bytes, indexes: list[int]
) -> None:
    """Reading only some columns keeps the same lines: a line blank in those columns alone
    is still there, a blank line still left out."""
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    source = open_source(path)
    indexes = [i for i in indexes if i < len(source.header)]
    for chunk in chunks(source, path, chunk_lines=2, block_bytes=8):
        whole = chunk.read().select("line", *(f"c{i}" for i in indexes))
        assert chunk.columns(indexes).equals(whole)


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("pick", ["first", "every other", "last", "all"])
def test_some_lines_of_a_chunk_are_those_of_the_whole_chunk(
    tmp_path: Path, content: bytes, pick: str
) -> None:
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    source = open_source(path)
    for chunk in chunks(source, path, chunk_lines=3, block_bytes=1 << 20):
        whole = chunk.read()
        lines = whole["line"].to_list()
        wanted = {
            "first": lines[:1],
            "every other": lines[::2],
            "last": lines[-1:],
            "all": lines,
        }[pick]
        expected = whole.filter(pl.col("line").is_in(wanted))
        assert chunk.some_lines(wanted).equals(expected)


def test_chunk_columns_of_a_plain_block(tmp_path: Path) -> None:
    path = tmp_path / "offers.csv"
    path.write_bytes(b"a;b;c\n1;2;3\n;;x\n4;5;6\n")
    source = open_source(path)
    (chunk,) = chunks(source, path, chunk_lines=10, block_bytes=1 << 20)
    assert chunk.columns([0, 2]).rows() == [(2, "1", "3"), (3, "", "x"), (4, "4", "6")]


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize(("chunk_lines", "block_bytes"), [(1, 1), (2, 4), (3, 16), (2, 1 << 20)])
def test_chunks_tile_the_file_line_by_line(
    tmp_path: Path, content: bytes, chunk_lines: int, block_bytes: int
) -> None:
    """Each chunk starts on the line after the previous one's last, and the last ends on
    the file's last physical line: the line breaks a chunk holds are counted exactly."""
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    source = open_source(path)
    found = [
        (c.first_line, c.last_line)
        for c in chunks(source, path, chunk_lines=chunk_lines, block_bytes=block_bytes)
    ]
    header_end = last_record_end(content, 0, first=True)
    assert header_end is not None
    physical = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    assert found[0][0] == content.count(b"\n", 0, header_end) + 2
    assert [first for first, _ in found[1:]] == [last + 1 for _, last in found[:-1]]
    assert found[-1][1] == physical


def test_chunks_hold_at_most_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "offers.csv"
    path.write_text("sku;price\n" + "".join(f"S{i};{i}\n" for i in range(10)))
    source = open_source(path)
    sizes = [
        (c.first_line, c.last_line, c.read().height)
        for c in chunks(source, path, chunk_lines=4, block_bytes=1 << 20)
    ]
    assert sizes == [(2, 5, 4), (6, 9, 4), (10, 11, 2)]


def test_one_ahead_keeps_the_order_and_runs_before_in_the_callers_thread() -> None:
    import threading

    caller = threading.get_ident()
    seen: list[tuple[str, int]] = []

    def before(item: int) -> int:
        seen.append(("before", item))
        assert threading.get_ident() == caller
        return item * 10

    results = list(one_ahead(range(4), before, lambda item, given: (item, given)))
    assert results == [(0, (0, 0)), (1, (1, 10)), (2, (2, 20)), (3, (3, 30))]
    assert [item for _, item in seen] == [0, 1, 2, 3]


@pytest.mark.parametrize("ahead", [1, 2, 3])
def test_one_ahead_prepares_at_most_so_many_items_ahead(ahead: int) -> None:
    prepared: list[int] = []

    def prepare(item: int, _: None) -> int:
        prepared.append(item)
        return item * 10

    taken = []
    for item, result in one_ahead(range(6), None, prepare, ahead):
        # The items handed out so far, and at most `ahead` more, have been prepared.
        assert result == item * 10
        assert len(prepared) <= item + 1 + ahead
        taken.append(item)
    assert taken == prepared == list(range(6))


def test_one_ahead_passes_on_the_threads_error() -> None:
    def prepare(item: int, _: None) -> int:
        if item == 2:
            raise ValueError("line 2")
        return item

    found = []
    with pytest.raises(ValueError, match="line 2"):
        for item, result in one_ahead(range(4), None, prepare):
            found.append((item, result))
    assert found == [(0, 0), (1, 1)]


def produced(count: int, made: list[int], fail_at: int | None = None) -> Iterator[int]:
    import threading

    for item in range(count):
        if item == fail_at:
            raise ValueError(f"item {item} cannot be made")
        made.append(threading.get_ident())
        yield item


def test_in_thread_together_hands_every_item_in_order_made_in_another_thread() -> None:
    import threading

    made: list[int] = []
    groups = in_thread_together(produced(50, made), depth=3)
    assert list(itertools.chain.from_iterable(groups)) == list(range(50))
    assert len(made) == 50
    assert threading.get_ident() not in made


def test_in_thread_together_raises_the_error_after_every_item_made_before_it() -> None:
    taken: list[int] = []
    with pytest.raises(ValueError, match="item 4 cannot be made"):
        for group in in_thread_together(produced(10, [], fail_at=4), depth=2):
            taken.extend(group)
    assert taken == [0, 1, 2, 3]


def test_in_thread_together_hands_the_items_made_meanwhile_in_one_list() -> None:
    import threading

    first_taken, all_made = threading.Event(), threading.Event()

    def made() -> Iterator[int]:
        yield 0
        assert first_taken.wait(5)
        yield from range(1, 10)
        all_made.set()

    groups = in_thread_together(made(), depth=32)
    assert next(groups) == [0]
    first_taken.set()
    assert all_made.wait(5)
    assert next(groups) == list(range(1, 10))
    assert next(groups, None) is None


def test_in_thread_together_raises_the_threads_error_after_the_items_made_before_it() -> None:
    import threading

    first_taken, all_made = threading.Event(), threading.Event()

    def made() -> Iterator[int]:
        yield 0
        assert first_taken.wait(5)
        yield from (1, 2)
        all_made.set()
        raise ValueError("item 3 cannot be made")

    groups = in_thread_together(made(), depth=8)
    assert next(groups) == [0]
    first_taken.set()
    assert all_made.wait(5)
    assert next(groups) == [1, 2]
    with pytest.raises(ValueError, match="item 3 cannot be made"):
        next(groups)


def test_in_thread_together_stops_making_items_once_the_caller_stops() -> None:
    made: list[int] = []
    groups = in_thread_together(produced(1000, made), depth=2)
    assert next(groups)[0] == 0
    groups.close()  # joins the thread
    # At most the three taken (one, and as many more as the queue holds), the two waiting in
    # the queue and the one being handed over.
    assert len(made) <= 6
