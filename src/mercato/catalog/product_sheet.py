"""The lines of a product import's transformed file written by polars: operator-format CSV
as offers.export.CsvSheet writes it (`;`, CRLF line ends), for the lines the column road
(`product_columnar`) finds plainly right, where csv.writer wrote them one by one for a
quarter of the transformation's time. The rule book's lines still go through csv.writer
(CsvSheet.line_text).
"""

from collections.abc import Sequence

import polars as pl

from mercato.offers.export import CSV_DELIMITER, CSV_LINE_END

_QUOTE = '"'
# csv.writer quotes a field holding the delimiter, the quote or a line end's character.
_NEEDS_QUOTES = '[;"\r\n]'


def csv_line(fields: Sequence[pl.Expr]) -> pl.Expr:
    """The row of these text fields as csv.writer writes it into a CsvSheet."""
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
    return pl.concat_str(*quoted, separator=CSV_DELIMITER) + pl.lit(CSV_LINE_END)
