"""The transformed file of a product import: operator-format CSV, as offers.export.CsvSheet
writes it (`;`, CRLF line ends, UTF-8 with a BOM), whose rows may also come as their text.

The column road (`product_columnar`) has polars write the lines it finds plainly right
(`csv_line`, csv.writer's minimal quoting); csv.writer wrote them one by one for a quarter of
the transformation's time. The rule book's lines still go through csv.writer (`row`).
"""

import csv
import io
from collections.abc import Sequence
from typing import IO

import polars as pl

DELIMITER = ";"
LINE_END = "\r\n"
_QUOTE = '"'
# csv.writer quotes a field holding the delimiter, the quote or a line end's character.
_NEEDS_QUOTES = '[;"\r\n]'


class ProductSheet:
    def __init__(self, out: IO[bytes], header: Sequence[str]) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text, delimiter=DELIMITER, lineterminator=LINE_END)
        self.row(header)

    def row(self, values: Sequence[str]) -> None:
        self._writer.writerow(values)

    def text(self, line: str) -> None:
        """A row already written as CSV, its line end included (see `csv_line`)."""
        self._text.write(line)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # the caller's stream stays open


def csv_line(fields: Sequence[pl.Expr]) -> pl.Expr:
    """The row of these text fields as csv.writer writes it into a ProductSheet."""
    quoted = [
        pl.when(field.str.contains(_NEEDS_QUOTES))
        .then(
            pl.concat_str(
                pl.lit(_QUOTE), field.str.replace_all(_QUOTE, '""', literal=True), pl.lit(_QUOTE)
            )
        )
        .otherwise(field)
        for field in fields
    ]
    if len(quoted) == 1:  # a row of one empty field is written "", told from a blank line
        quoted = [pl.when(fields[0] == "").then(pl.lit('""')).otherwise(quoted[0])]
    return pl.concat_str(*quoted, separator=DELIMITER) + pl.lit(LINE_END)
