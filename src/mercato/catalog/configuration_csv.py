"""Reading the `;`-separated CSV files of a marketplace directory, collecting issues."""

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mercato.catalog.configuration_types import BOOLEANS, ConfigurationIssue

_TRANSLATED = re.compile(r"^(?P<base>.+)\[(?P<language>[a-z]{2})\]$")


@dataclass
class Table:
    """One CSV file: its header and its non-blank rows with their line numbers."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[int, list[str]]]

    def records(self) -> Iterable[tuple[int, dict[str, str]]]:
        """(line, column -> stripped value); the missing cells of a short row are empty."""
        width = len(self.header)
        for line, fields in self.rows:
            cells = [*fields[:width], *[""] * (width - len(fields))]
            yield line, {c: v.strip() for c, v in zip(self.header, cells, strict=True)}

    def translated(self, base: str) -> list[tuple[str, str]]:
        """(language, column) of the `base[xx]` translation columns."""
        found = []
        for column in self.header:
            match = _TRANSLATED.match(column)
            if match and match["base"] == base:
                found.append((match["language"], column))
        return found


class Reader:
    """Collects the issues while the files of a directory are read and checked."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.issues: list[ConfigurationIssue] = []

    def issue(self, file: str, line: int, column: str, message: str) -> None:
        self.issues.append(ConfigurationIssue(file, line, column, message))

    def table(self, name: str, required: Sequence[str], *, strict: bool = True) -> Table | None:
        """The file's rows, or None (and issues) when it cannot be read at all.

        `strict`: a row with more fields than the header is an issue of the file; else the
        row is kept as it is, for the product validation to report.
        """
        text = self._text(name)
        if text is None:
            return None
        lines = text.splitlines()
        # Remember on which line each record starts: a quoted cell may span several lines.
        reader = csv.reader(lines, delimiter=";")
        records: list[tuple[int, list[str]]] = []
        start = 1
        for fields in reader:
            if fields and any(field.strip() for field in fields):
                records.append((start, fields))
            start = reader.line_num + 1
        if not records or records[0][0] != 1:
            self.issue(name, 1, "", "empty file: the first line must be the header")
            return None
        header = tuple(column.strip() for column in records[0][1])
        if not self._header_ok(name, header, required):
            return None
        table = Table(name, header, records[1:])
        if strict:
            self._check_field_counts(table)
        return table

    def _text(self, name: str) -> str | None:
        path = self.directory / name
        if not path.is_file():
            self.issue(name, 0, "", f"missing file: create {name} in {self.directory}")
            return None
        data = path.read_bytes()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.issue(name, line, "", "not valid UTF-8: save the file with the UTF-8 encoding")
            return None

    def _header_ok(self, name: str, header: tuple[str, ...], required: Sequence[str]) -> bool:
        ok = True
        seen: set[str] = set()
        for column in header:
            if column in seen:
                self.issue(name, 1, column, "duplicated column: keep one column of this name")
                ok = False
            seen.add(column)
        for column in required:
            if column not in seen:
                self.issue(name, 1, column, "missing required column: add it to the header")
                ok = False
        return ok

    def _check_field_counts(self, table: Table) -> None:
        width = len(table.header)
        kept = []
        for line, fields in table.rows:
            if len(fields) > width and any(field.strip() for field in fields[width:]):
                self.issue(
                    table.name,
                    line,
                    "",
                    f"{len(fields)} fields where the header has {width}: "
                    "check the ';' separators and quote values that contain one",
                )
                continue
            kept.append((line, fields))
        table.rows = kept

    def filled(
        self, table: Table, line: int, record: dict[str, str], columns: Sequence[str]
    ) -> bool:
        """True when every column of `columns` has a value on this row."""
        ok = True
        for column in columns:
            if not record.get(column):
                self.issue(table.name, line, column, "empty required cell: fill it in")
                ok = False
        return ok

    def unique(
        self, table: Table, line: int, column: str, key: object, seen: dict[object, int], what: str
    ) -> bool:
        """False (and an issue) when `key` was already defined on an earlier line."""
        if key in seen:
            self.issue(
                table.name,
                line,
                column,
                f"duplicated {what}: already defined on line {seen[key]}; keep one of the two rows",
            )
            return False
        seen[key] = line
        return True

    def boolean(self, table: Table, line: int, column: str, raw: str) -> bool:
        if raw.lower() in BOOLEANS:
            return BOOLEANS[raw.lower()]
        if raw:
            self.issue(table.name, line, column, f"bad boolean '{raw}': write true or false")
        return False


def labels_of(table: Table, record: Mapping[str, str], base: str = "label") -> dict[str, str]:
    """The translations of a label: {"en": ..., "es": ...} from the `base[xx]` columns."""
    return {
        language: record[column]
        for language, column in table.translated(base)
        if record.get(column)
    }
