"""XLSX files: the first sheet, its first row the header."""

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from mercato.imports.readers import (
    FileFormat,
    SourceFile,
    SourceLine,
    UnreadableFile,
    cell_text,
    column_name,
    source_line,
)


def read_xlsx(path: Path) -> SourceFile:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).iter_rows()
        header = [column_name(cell_text(v)) for v in next(rows, [])]
    except (CalamineError, OSError, ValueError) as exc:
        raise UnreadableFile("not-a-workbook", detail=str(exc)) from None
    while header and not header[-1]:
        header.pop()
    if not header:
        raise UnreadableFile("empty-sheet")
    return SourceFile(FileFormat.XLSX, header, lambda: _lines(_rows_after_header(path), header))


def _rows_after_header(path: Path) -> Iterator[Sequence[object]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    next(rows, None)
    return rows


def _lines(rows: Iterable[Sequence[object]], header: list[str]) -> Iterator[SourceLine]:
    for number, row in enumerate(rows, start=2):
        values = [cell_text(v) for v in row]
        while values and not values[-1].strip():
            values.pop()
        if values:
            yield source_line(number, header, values)
