"""Reading seller files (CSV, XLSX, XML) as a stream of lines, whatever their format.

Every reader yields `SourceLine`s: the line number the seller sees in the file, the cells by
header name, and the values as sent (for the error report). Files are streamed: a reader holds
one line at a time, never the whole file.
"""

import csv
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from mercato.errors import InvalidInput
from mercato.imports.reasons import Reason

_UTF8_CHECK_CHUNK = 1 << 20
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (";", ",", "\t")
# The product templates mark required columns so (`sku*`), as the guide's forms do; a file
# filled from one is read with its columns' names without the mark.
REQUIRED_MARK = "*"


class FileFormat(enum.StrEnum):
    CSV = "CSV"
    XLSX = "XLSX"
    XML = "XML"


class UnreadableFile(InvalidInput):
    """The file as a whole cannot be read: the import fails with this reason (a code of
    `reasons`, rendered in each reader's language; `message` is the default language's)."""

    def __init__(self, code: str, **params: object) -> None:
        self.reason = Reason(code, params)
        super().__init__(self.reason.render(), code=code)

    def render(self, locale: str) -> str:
        return self.reason.render(locale)


class SourceLine:
    """One line of a file: its number as the seller sees it and its values as sent.

    The cells by column name are built only when asked for: an unchanged line of a
    re-import is recognised from its values alone.
    """

    __slots__ = ("_cells", "header", "line", "values")

    def __init__(
        self, line: int, header: list[str], values: list[str], cells: dict[str, str] | None = None
    ) -> None:
        self.line = line
        self.header = header
        self.values = values  # in file order; may be longer than the header
        self._cells = cells

    @property
    def cells(self) -> dict[str, str]:
        if self._cells is None:
            self._cells = dict(zip(self.header, self.values, strict=False))
        return self._cells

    @property
    def extra_values(self) -> int:
        """Values beyond the header's columns that are not empty."""
        return sum(1 for v in self.values[len(self.header) :] if v.strip())


def column_name(raw: str) -> str:
    """A header cell as the column's name: trimmed, without a template's required mark."""
    name = raw.strip()
    return name[: -len(REQUIRED_MARK)].rstrip() if name.endswith(REQUIRED_MARK) else name


def source_line(line: int, header: list[str], values: list[str]) -> SourceLine:
    return SourceLine(line, header, values)


@dataclass
class SourceFile:
    """A file checked readable, with its header; `lines()` reads it again from the start."""

    format: FileFormat
    header: list[str]
    read_lines: Callable[[], Iterator[SourceLine]]
    delimiter: str = ";"

    def lines(self) -> Iterator[SourceLine]:
        return self.read_lines()


def detect_format(filename: str, head: bytes) -> FileFormat:
    """By content first (a zip is XLSX, `<` is XML), then by extension; CSV otherwise."""
    if head.startswith(b"PK\x03\x04"):
        return FileFormat.XLSX
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return FileFormat.XML
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return FileFormat.XLSX
    if suffix == ".xml":
        return FileFormat.XML
    return FileFormat.CSV


def open_source(path: Path, filename: str | None = None) -> SourceFile:
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    file_format = detect_format(filename or path.name, head)
    if file_format is FileFormat.XLSX:
        from mercato.imports.spreadsheets import read_xlsx

        return read_xlsx(path)
    if file_format is FileFormat.XML:
        from mercato.imports.xml import read_xml

        return read_xml(path)
    return read_csv(path)


def check_utf8(path: Path) -> None:
    """Fail with the line and the fix when the file is not UTF-8, rather than garble it."""
    line = 1
    pending = b""
    with path.open("rb") as f:
        while chunk := f.read(_UTF8_CHECK_CHUNK):
            data = pending + chunk
            try:
                data.decode("utf-8")
                pending = b""
            except UnicodeDecodeError as exc:
                # A multi-byte character cut by the chunk boundary is not an error.
                if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
                    pending = data[exc.start :]
                    data = data[: exc.start]
                else:
                    bad_line = line + data[: exc.start].count(b"\n")
                    byte = data[exc.start]
                    raise UnreadableFile("not-utf8", line=bad_line, byte=f"{byte:02X}") from None
            line += data.count(b"\n")
    if pending:
        raise UnreadableFile("not-utf8-truncated", line=line)


def sniff_delimiter(first_line: str) -> str:
    """The separator of the header line: the most frequent of `;`, `,` and tab outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(path: Path) -> SourceFile:
    check_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        first = f.readline()
    delimiter = sniff_delimiter(first)
    header_row = next(csv.reader([first], delimiter=delimiter), [])
    header = [column_name(name) for name in header_row]
    if not any(header):
        raise UnreadableFile("empty-file")
    return SourceFile(
        FileFormat.CSV, header, lambda: _csv_lines(path, header, delimiter), delimiter
    )


def _csv_lines(path: Path, header: list[str], delimiter: str) -> Iterator[SourceLine]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader, None)
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if any(v.strip() for v in values):
                yield source_line(line, header, values)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the seller typed it: 11 not 11.0, dates as aaaa-mm-jj."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
