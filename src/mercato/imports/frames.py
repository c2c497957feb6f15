"""A seller file as a stream of column frames: thousands of lines at a time, not one by one.

A chunk is a polars DataFrame of text: `line` (the line number the seller sees), one column
per header column (`c0`, `c1`, ... in header order, "" when empty), and `extra` (the values
beyond the header's columns, joined by \\x1f, "" for none). Blank lines are left out, as the
line readers do.

CSV files are cut into chunks at record boundaries and parsed by polars; a chunk that polars
cannot map one row per physical line (a quoted line break, a ragged line, a stray quote) is
read again by Python's csv module, so line numbers are always exact. Other formats are
grouped from their line readers.
"""

import csv
import io
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from mercato.imports.readers import FileFormat, SourceFile, SourceLine, source_line

EXTRA_SEPARATOR = "\x1f"
T = TypeVar("T")
B = TypeVar("B")
R = TypeVar("R")


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


@dataclass(frozen=True)
class Span:
    """Where a CSV chunk lies in its file: its lines and their bytes."""

    first_line: int
    last_line: int
    offset: int
    size: int


@dataclass
class Chunk:
    """Consecutive lines of a file, from `first_line` to `last_line`, read when asked for:
    a chunk whose lines all turn out unchanged is never parsed. A CSV chunk knows its span,
    so that a second pass over the file reads it again without looking for its bounds."""

    first_line: int
    last_line: int
    read: Callable[[], pl.DataFrame]
    span: Span | None = None
    # The chunk's `line` and only the given columns (by index), when that is cheaper.
    read_columns: Callable[[Sequence[int]], pl.DataFrame] | None = None
    # Only the given lines, when that is cheaper.
    read_lines: Callable[[Sequence[int]], pl.DataFrame] | None = None

    def columns(self, indexes: Sequence[int]) -> pl.DataFrame:
        """`line` and the columns of the given indexes (`c0`...), blank lines left out."""
        if self.read_columns is not None:
            return self.read_columns(indexes)
        return self.read().select("line", *(f"c{index}" for index in indexes))

    def some_lines(self, numbers: Sequence[int]) -> pl.DataFrame:
        """The rows of the given lines (ascending, none of them blank), as `read` has them."""
        if self.read_lines is not None:
            return self.read_lines(numbers)
        return _those_lines(self.read(), numbers)


def chunks(
    source: SourceFile, path: Path, *, chunk_lines: int, block_bytes: int
) -> Iterator[Chunk]:
    """The file's lines in file order, at most `chunk_lines` lines at a time (CSV files also
    in blocks of about `block_bytes` at most). The same file gives the same chunks."""
    if source.format is not FileFormat.CSV:
        for frame in frames_of(source.lines(), len(source.header), chunk_lines):
            yield Chunk(frame["line"][0], frame["line"][-1], _ready(frame))
        return
    for first_line, offset, breaks, data in _record_blocks(path, chunk_lines, block_bytes):
        last_line = first_line + breaks - (1 if data.endswith(b"\n") else 0)
        yield _csv_chunk(source, data, Span(first_line, last_line, offset, len(data)))


def chunks_again(source: SourceFile, path: Path, spans: Iterable[Span]) -> Iterator[Chunk]:
    """The chunks of a CSV file at the spans an earlier pass found (see `chunks`)."""
    with path.open("rb") as f:
        for span in spans:
            f.seek(span.offset)
            yield _csv_chunk(source, f.read(span.size), span)


def _csv_chunk(source: SourceFile, data: bytes, span: Span) -> Chunk:
    width, delimiter, first_line = len(source.header), source.delimiter, span.first_line
    names = column_names(width)

    rows = span.last_line - first_line + 1  # physical lines, known from the span

    def read() -> pl.DataFrame:
        frame = _polars_block(data, names, delimiter, first_line, rows)
        if frame is None:
            frame = _python_block(data, width, delimiter, first_line)
        return _without_blank_lines(frame, names)

    def read_columns(indexes: Sequence[int]) -> pl.DataFrame:
        frame = _polars_block(data, names, delimiter, first_line, rows, indexes)
        # A line blank in these columns may be blank in all: only the whole line tells.
        if frame is None or _blank_rows(frame, [names[i] for i in indexes]):
            return read().select("line", *(names[i] for i in indexes))
        return frame

    def read_lines(numbers: Sequence[int]) -> pl.DataFrame:
        frame = _polars_lines(data, names, delimiter, first_line, numbers)
        return _those_lines(read(), numbers) if frame is None else frame

    return Chunk(first_line, span.last_line, read, span, read_columns, read_lines)


def _those_lines(frame: pl.DataFrame, numbers: Sequence[int]) -> pl.DataFrame:
    wanted = pl.Series("line", numbers, dtype=pl.Int64).to_frame()
    return frame.join(wanted, on="line", how="semi", maintain_order="left")


def _polars_lines(
    data: bytes, names: list[str], delimiter: str, first_line: int, numbers: Sequence[int]
) -> pl.DataFrame | None:
    """The given lines of a block parsed alone, a few of its many: or None when the block
    has a quote (a quoted line break would make one record of several lines)."""
    if b'"' in data:
        return None
    physical = data.split(b"\n")
    picked = b"\n".join(physical[number - first_line] for number in numbers) + b"\n"
    frame = _polars_block(picked, names, delimiter, 0, len(numbers))
    if frame is None:
        return None
    return frame.with_columns(pl.Series("line", numbers, dtype=pl.Int64))


def one_ahead(
    items: Iterable[T],
    before: Callable[[T], B] | None,
    prepare: Callable[[T, B], R],
    ahead: int = 1,
) -> Iterator[tuple[T, R]]:
    """(item, prepare(item, before(item))) for each item, prepare running in a thread up to
    `ahead` items ahead: its polars work, which releases the GIL, overlaps the caller's
    database writes for the previous item. `before` runs in the caller's thread (which owns
    the database connection)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: deque[tuple[T, Future[R]]] = deque()
        for item in items:
            given = before(item) if before else None
            pending.append((item, pool.submit(prepare, item, given)))  # type: ignore[arg-type]
            if len(pending) > ahead:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_DONE = object()


def in_thread_together(items: Iterable[T], depth: int) -> Iterator[list[T]]:
    """The items, produced in a thread of their own up to `depth` ahead of the caller, so
    that their making (which must not touch the database) overlaps the caller's work; in
    lists: each the next item and the others made while the caller was busy, so that a
    caller who fell behind takes them in one go (at most `depth` more: a thread that made
    items as fast as they are taken would grow a list forever). An error in the thread is
    raised in the caller's, after the items made before it; a caller that stops early stops
    the thread at its next item."""
    with _producing(items, depth) as handed:
        item = handed.get()
        while item is not _DONE:
            group = [_made(item)]
            for _ in range(depth):
                try:
                    item = handed.get_nowait()
                except queue.Empty:
                    item = None
                    break
                if item is _DONE or isinstance(item, _Failed):
                    break  # after the items made before it
                group.append(item)
            else:
                item = None
            yield group
            if item is None:
                item = handed.get()


@contextmanager
def _producing(items: Iterable[object], depth: int) -> Iterator["queue.Queue[object]"]:
    """A queue of the items made in a thread, then _DONE (or _Failed); the thread stops at
    its next item once the caller leaves."""
    handed: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(item: object) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand(item):
                    return
            hand(_DONE)
        except BaseException as error:  # raised again in the caller's thread
            hand(_Failed(error))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        yield handed
    finally:
        stop.set()
        thread.join()


def _made(item: object) -> Any:
    if isinstance(item, _Failed):
        raise item.error
    return item


def _ready(frame: pl.DataFrame) -> Callable[[], pl.DataFrame]:
    return lambda: frame


def frames_of(lines: Iterable[SourceLine], width: int, chunk_lines: int) -> Iterator[pl.DataFrame]:
    batch: list[SourceLine] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk_lines:
            yield _frame([(x.line, x.values) for x in batch], width)
            batch = []
    if batch:
        yield _frame([(x.line, x.values) for x in batch], width)


def _frame(rows: list[tuple[int, list[str]]], width: int) -> pl.DataFrame:
    data: dict[str, list[object]] = {"line": [line for line, _ in rows]}
    for index, name in enumerate(column_names(width)):
        data[name] = [values[index] if index < len(values) else "" for _, values in rows]
    data["extra"] = [EXTRA_SEPARATOR.join(values[width:]) for _, values in rows]
    schema = {"line": pl.Int64, **dict.fromkeys(column_names(width), pl.String), "extra": pl.String}
    return pl.DataFrame(data, schema=schema)


def source_lines(frame: pl.DataFrame, header: list[str]) -> list[SourceLine]:
    """The frame's rows as line-reader lines (values as sent, extra values included)."""
    names = column_names(len(header))
    result = []
    for row in frame.select("line", *names, "extra").iter_rows():
        values = list(row[1:-1])
        if row[-1]:
            values.extend(row[-1].split(EXTRA_SEPARATOR))
        result.append(source_line(row[0], header, values))
    return result


def _record_blocks(
    path: Path, chunk_lines: int, block_bytes: int
) -> Iterator[tuple[int, int, int, bytes]]:
    """Blocks of at most `chunk_lines` lines and about `block_bytes` after the header, each
    ending at a record boundary (a line break with an even number of quotes before it in the
    block), with the number of the block's first line, its offset in the file and its
    number of line breaks. The file is read into one growing buffer: joining a block's rest
    to the next read as bytes cost a fresh allocation of twice a block each time."""
    with path.open("rb") as f:
        data = bytearray(f.read(block_bytes))
        offset = 0  # of data's first byte in the file
        if data.startswith(b"\xef\xbb\xbf"):
            del data[:3]
            offset = 3
        eof = not data
        while (header_end := last_record_end(data, 0, first=True)) is None and not eof:
            more = f.read(block_bytes)
            eof = not more
            data += more
        if header_end is None:
            return
        line = 2 + data.count(b"\n", 0, header_end)
        del data[: header_end + 1]
        offset += header_end + 1
        while data or not eof:
            if not eof and len(data) < block_bytes:
                more = f.read(block_bytes)
                eof = not more
                data += more
                continue
            limit, before_limit = _line_limit(data, chunk_lines, block_bytes)
            end = _record_end(data, limit)
            if end is None and not eof:  # one record longer than a block: read on
                more = f.read(block_bytes)
                eof = not more
                data += more
                continue
            if end is None:
                end = len(data) - 1
            # The block's line breaks from those before the limit: the few lines between
            # its end and the limit are counted again, not the whole block.
            if end < limit:
                breaks = before_limit - data.count(b"\n", end + 1, limit)
            else:
                breaks = before_limit + data.count(b"\n", limit, end + 1)
            with memoryview(data) as view:  # one copy of the block, not two
                block = bytes(view[: end + 1])
            del data[: end + 1]
            yield line, offset, breaks, block
            offset += len(block)
            line += breaks


def _line_limit(data: bytearray, chunk_lines: int, block_bytes: int) -> tuple[int, int]:
    """Where a block of at most `chunk_lines` lines and `block_bytes` bytes must end, and
    the number of line breaks before that."""
    limit = min(block_bytes, len(data))
    count = data.count(b"\n", 0, limit)
    if count <= chunk_lines:
        return limit, count
    # Bisect on the count of line breaks: a few scans in C over the block, where finding the
    # breaks one by one cost a Python call per line.
    low, below, high = 0, 0, limit  # below: breaks before low, fewer than chunk_lines
    while high - low > 1:
        middle = (low + high) // 2
        count = below + data.count(b"\n", low, middle)
        if count >= chunk_lines:
            high = middle
        else:
            low, below = middle, count
    return high, below + (data[low] == _LINE_BREAK)


_LINE_BREAK = ord("\n")


def _record_end(data: bytearray, limit: int) -> int | None:
    """The last record-ending line break before `limit`, else the first one after it."""
    if limit >= len(data) and not data.endswith(b"\n"):
        limit = len(data)
    end = last_record_end(data, limit)
    return end if end is not None else last_record_end(data, 0, first=True)


def last_record_end(data: bytes | bytearray, limit: int, *, first: bool = False) -> int | None:
    """The last line break before `limit` (the first one from the start when `first`) that
    ends a CSV record (an even number of quotes before it: a quoted value may hold a line
    break), or None."""
    if first:
        position = data.find(b"\n")
        while position >= 0 and data.count(b'"', 0, position) % 2:
            position = data.find(b"\n", position + 1)
        return position if position >= 0 else None
    position = data.rfind(b"\n", 0, limit)
    if position < 0:
        return None
    if data.find(b'"', 0, position) < 0:  # found by memchr, faster than counting
        return position
    quotes = data.count(b'"', 0, position)
    while quotes % 2:
        previous = data.rfind(b"\n", 0, position)
        if previous < 0:
            return None
        quotes -= data.count(b'"', previous, position)
        position = previous
    return position


def _polars_block(
    data: bytes,
    names: list[str],
    delimiter: str,
    first_line: int,
    rows: int,
    indexes: Sequence[int] | None = None,
) -> pl.DataFrame | None:
    """The block of `rows` physical lines parsed by polars, only the columns of `indexes`
    when given (much faster than every column: no `extra` then), or None when its rows are
    not one per physical line."""
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            has_header=False,
            schema=dict.fromkeys(names, pl.String),
            columns=None if indexes is None else list(indexes),
        )
    except (pl.exceptions.PolarsError, UnicodeDecodeError):
        return None
    # A quoted line break makes fewer rows than physical lines: numbers would shift.
    if frame.height != rows:
        return None
    chosen = names if indexes is None else [names[index] for index in indexes]
    return frame.select(
        pl.int_range(first_line, first_line + frame.height, dtype=pl.Int64).alias("line"),
        *(pl.col(name).fill_null("") for name in chosen),
        *([pl.lit("").alias("extra")] if indexes is None else []),
    )


def _blank_rows(frame: pl.DataFrame, names: list[str]) -> bool:
    return not frame.filter(
        pl.all_horizontal([pl.col(name).str.strip_chars() == "" for name in names])
    ).is_empty()


def _python_block(data: bytes, width: int, delimiter: str, first_line: int) -> pl.DataFrame:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
    rows = []
    start = first_line
    for values in reader:
        rows.append((start, values))
        start = first_line + reader.line_num
    return _frame(rows, width)


def _without_blank_lines(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    # Every column of a blank line is blank: test the first one, then only those rows.
    if not names or frame.filter(pl.col(names[0]).str.strip_chars() == "").is_empty():
        return frame
    filled = pl.any_horizontal(
        [pl.col(name).str.strip_chars() != "" for name in names] + [pl.col("extra") != ""]
    )
    return frame.filter(filled)
