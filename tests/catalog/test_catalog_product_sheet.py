"""The transformed file: polars' lines (`csv_line`) are csv.writer's, and CsvSheet takes them."""

import csv
import io
import itertools

import polars as pl
import pytest

from mercato.catalog.product_sheet import csv_line
from mercato.offers.export import CsvSheet

# Every character csv.writer treats apart, and some it does not.
PIECES = ["", "a", "é", ";", '"', '""', "\r", "\n", "\r\n", " ", "\t", "\x1c", ",", "'", "\\"]
CELLS = ["".join(pair) for pair in itertools.product(PIECES, repeat=2)]


def _written(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("width", [1, 2, 3])
def test_polars_writes_each_row_as_csv_writer_does(width: int) -> None:
    rows = [[CELLS[(i + k * 7) % len(CELLS)] for k in range(width)] for i in range(len(CELLS))]
    frame = pl.DataFrame({f"c{k}": [row[k] for row in rows] for k in range(width)})
    lines = frame.select(csv_line([pl.col(f"c{k}") for k in range(width)]))
    assert lines.to_series().to_list() == [_written(row) for row in rows]


def test_a_csv_sheet_takes_rows_also_given_as_text() -> None:
    header, rows = ["category", "title-fr_FR"], [["phones", 'Écran "6,7"; OLED'], ["", "a\nb"]]
    expected = io.BytesIO()
    sheet = CsvSheet(expected, header, formulas_neutralised=False)
    for row in rows:
        sheet.row(row)
    sheet.close()
    out = io.BytesIO()
    written = CsvSheet(out, header, formulas_neutralised=False)
    written.row(rows[0])
    written.text(_written(rows[1]))
    written.close()
    assert out.getvalue() == expected.getvalue()


@pytest.mark.parametrize("neutralised", [False, True])
def test_a_row_given_as_its_line_text_is_the_row_written(neutralised: bool) -> None:
    rows = [[cell, "=SUM(A1)", "-3", "é;"] for cell in CELLS]
    expected = io.BytesIO()
    sheet = CsvSheet(expected, ["a", "b", "c", "d"], formulas_neutralised=neutralised)
    for row in rows:
        sheet.row(row)
    sheet.close()
    out = io.BytesIO()
    written = CsvSheet(out, ["a", "b", "c", "d"], formulas_neutralised=neutralised)
    written.text("".join(written.line_text(row) for row in rows))
    written.close()
    assert out.getvalue() == expected.getvalue()
    assert out.getvalue().startswith(b"\xef\xbb\xbfa;b;c;d\r\n")
    assert ("'=SUM(A1)" in out.getvalue().decode()) is neutralised
