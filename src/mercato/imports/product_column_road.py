"""The product transformation's column road: an operator-format CSV file read by polars.

`catalog.product_columnar` recognises, a chunk of thousands of lines at a time, the lines
plainly right; the transformation writes those as they are and checks only the others with
the rule book (`validation.check_row`). The plainly right lines' texts (transformed line,
record) stay in polars until their batch writes them, joined with those the rule book made.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

import polars as pl

from mercato.catalog.product_columnar import PLAIN_SCHEMA, plain_products
from mercato.catalog.validation import CatalogSchema
from mercato.imports.frames import Chunk, chunks, one_ahead, source_lines
from mercato.imports.readers import SourceFile, SourceLine
from mercato.offers.export import CsvSheet

# Lines the column road checks at once (and the bytes of a chunk, at most): each category
# of a chunk is one polars query of a few dozen expressions, whose fixed cost large chunks
# spread (100,000 lines: 1.07 s of checks in chunks of 20,000, 0.80 s in chunks of 50,000).
BLOCK_BYTES = 16 << 20
COLUMN_LINES = 50000


@dataclass(frozen=True)
class Plain:
    """A chunk's plainly right lines (`plain_products`): their EANs by line, for the
    duplicate check in file order; their texts left in polars until a batch writes them."""

    frame: pl.DataFrame
    eans: Mapping[int, str]

    @classmethod
    def of(cls, frame: pl.DataFrame) -> "Plain":
        return cls(frame, dict(zip(frame["line"].to_list(), frame["ean"].to_list(), strict=True)))


NO_PLAIN = Plain(PLAIN_SCHEMA.to_frame(), {})

# A line read again, values and all, for a plainly right line the rule book words after all.
Again = Callable[[int], SourceLine]


def column_batches(
    source: SourceFile,
    path: Path,
    columns: Mapping[str, int],
    schema: CatalogSchema,
    batch_lines: int,
) -> Iterator[tuple[list[SourceLine], Plain, Again]]:
    """The file's lines in batches, each with those of its chunk the column road found
    plainly right. Polars reads the lines: a plainly right one gets its values only if the
    rule book needs them after all (`again`), which spares building a million Python lists.
    `columns`: attribute code -> its column in the file."""
    header = source.header

    # In a thread, a chunk ahead, while the rule book checks the lines the last one left.
    def check(chunk: Chunk, _: None) -> tuple[pl.DataFrame, Plain, list[SourceLine]]:
        frame = chunk.read()
        plain = plain_products(frame, columns, schema)
        rest = frame.filter(~pl.col("line").is_in(plain["line"].implode()))
        return frame, Plain.of(plain), source_lines(rest, header)

    road = chunks(source, path, chunk_lines=COLUMN_LINES, block_bytes=BLOCK_BYTES)
    for _, (frame, plain, rest) in one_ahead(road, None, check):
        others = {line.line: line for line in rest}
        lines = [others.get(n) or SourceLine(n, header, []) for n in frame["line"].to_list()]
        again = partial(_line_again, frame, header)
        for start in range(0, len(lines), batch_lines):
            yield lines[start : start + batch_lines], plain, again


def _line_again(frame: pl.DataFrame, header: list[str], number: int) -> SourceLine:
    return source_lines(frame.filter(pl.col("line") == number), header)[0]


# A line the rule book transformed: its line in the file, its transformed line, its record.
Written = tuple[int, str, str]
_WRITTEN_SCHEMA = pl.Schema({"line": pl.Int64, "row": pl.String, "data": pl.String})


def write_lines(
    sheet: CsvSheet, records: IO[str], plain: Plain, taken: list[int], written: list[Written]
) -> None:
    """Write a batch's transformed lines and records in file order, each as one text: the
    plainly right lines `taken` joined in polars with those the rule book made."""
    parts = [pl.DataFrame(written, schema=_WRITTEN_SCHEMA, orient="row")]
    if taken:
        # The chunk's plain lines are in line order: the batch's are one slice of them.
        numbers = plain.frame["line"]
        start = numbers.search_sorted(taken[0], "left")
        within = plain.frame.slice(start, numbers.search_sorted(taken[-1], "right") - start)
        lines = pl.Series(taken, dtype=pl.Int64)
        chosen = within.filter(pl.col("line").is_in(lines.implode()))
        parts.append(chosen.select("line", "row", pl.col("data") + "\n"))
    rows, data = (
        pl.concat(parts)
        .sort("line")
        .select(pl.col("row").str.join(""), pl.col("data").str.join(""))
        .row(0)
    )
    sheet.text(rows)
    records.write(data)
