"""A shop's mapping as a file, to export, edit and import back.

CSV, `;`-separated, UTF-8, one entry per line under the header `type;attribute;source;target`:
`COLUMN` (a source column -> an attribute code), `CATEGORY` (a seller category or path -> a
leaf category code), `VALUE` (a source value of `attribute` -> a code of its value list). An
imported file replaces the mapping whole, as a new version; a file with any wrong line saves
nothing, and every wrong line is named with its column and the fix.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from mercato.catalog.mapping import CatalogCodes, MappingRules, normalize
from mercato.catalog.mapping_assistant import catalog_codes, save_mapping
from mercato.catalog.mapping_messages import (
    DEFAULT_LOCALE,
    MappingProblem,
    MappingRefused,
    render,
)
from mercato.imports.models import ProductMapping
from mercato.imports.readers import read_csv
from mercato.offers.export import CsvSheet
from mercato.shops.models import Shop

HEADER = ("type", "attribute", "source", "target")
TYPES = ("COLUMN", "CATEGORY", "VALUE")


@dataclass(frozen=True)
class MappingIssue:
    """A wrong line of a mapping file: the line, the column, the code and its parameters."""

    line: int
    column: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.problem.render()

    @property
    def problem(self) -> MappingProblem:
        return MappingProblem(self.code, self.params)

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        """`Line 3, column 'target': …` in the locale's language."""
        return render(
            "line",
            {"line": self.line, "column": self.column, "message": self.problem.render(locale)},
            locale,
        )


def export_rows(rules: MappingRules) -> Iterator[list[str]]:
    for source, target in rules.columns.items():
        yield ["COLUMN", "", source, target]
    for source, target in rules.categories.items():
        yield ["CATEGORY", "", source, target]
    for attribute, pairs in rules.values.items():
        for source, target in pairs.items():
            yield ["VALUE", attribute, source, target]


def write_mapping(rules: MappingRules, out: IO[bytes]) -> None:
    sheet = CsvSheet(out, HEADER, formulas_neutralised=False)
    for row in export_rows(rules):
        sheet.row(row)
    sheet.close()


def check_line(line: int, cells: Mapping[str, str], codes: CatalogCodes) -> list[MappingIssue]:
    """Every issue of one line of a mapping file (pure)."""
    kind, attribute = cells.get("type", "").strip(), cells.get("attribute", "").strip()
    source, target = cells.get("source", "").strip(), cells.get("target", "").strip()
    issues = []
    if kind not in TYPES:
        issues.append(
            MappingIssue(line, "type", "unknown-type", {"kind": kind, "types": ", ".join(TYPES)})
        )
    for name, value in (("source", source), ("target", target)):
        if not value:
            issues.append(MappingIssue(line, name, "required", {"name": name}))
    if not target or kind not in TYPES:
        return issues
    if kind == "COLUMN" and target not in codes.attributes:
        issues.append(MappingIssue(line, "target", "unknown-attribute", {"target": target}))
    elif kind == "CATEGORY" and target not in codes.leaves:
        issues.append(MappingIssue(line, "target", "not-a-leaf", {"target": target}))
    elif kind == "VALUE":
        allowed = codes.list_values.get(attribute)
        if allowed is None:
            issues.append(MappingIssue(line, "attribute", "not-a-list", {"attribute": attribute}))
        elif target not in allowed:
            issues.append(
                MappingIssue(
                    line, "target", "unknown-value", {"target": target, "attribute": attribute}
                )
            )
    return issues


def _duplicates(
    seen: dict[tuple[str, str, str], int], line: int, cells: Mapping[str, str]
) -> list[MappingIssue]:
    kind, attribute, source = (cells.get(c, "").strip() for c in ("type", "attribute", "source"))
    key = (kind, attribute, source if kind == "COLUMN" else normalize(source))
    first = seen.setdefault(key, line)
    if first == line:
        return []
    return [MappingIssue(line, "source", "duplicate", {"source": source, "first": first})]


def check_lines(
    lines: Iterable[tuple[int, Mapping[str, str]]], codes: CatalogCodes
) -> tuple[list[MappingIssue], list[Mapping[str, str]]]:
    issues: list[MappingIssue] = []
    entries = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in lines:
        found = check_line(line, cells, codes) + _duplicates(seen, line, cells)
        issues.extend(found)
        if not found:
            entries.append(cells)
    return issues, entries


def import_mapping(shop: Shop, path: Path) -> ProductMapping:
    """Save the mapping file at `path` as the shop's next version; MappingRefused (or
    UnreadableFile) otherwise."""
    source = read_csv(path)
    missing = [name for name in HEADER if name not in source.header]
    if missing:
        params = {"missing": ", ".join(missing), "header": ";".join(HEADER)}
        raise MappingRefused([MappingProblem("missing-columns", params)])
    issues, entries = check_lines(((x.line, x.cells) for x in source.lines()), catalog_codes())
    if issues:
        raise MappingRefused(issues)
    columns: dict[str, str] = {}
    categories: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for cells in entries:
        kind, source_value, target = (
            cells["type"].strip(),
            cells["source"].strip(),
            cells["target"].strip(),
        )
        if kind == "COLUMN":
            columns[source_value] = target
        elif kind == "CATEGORY":
            categories[source_value] = target
        else:
            values.setdefault(cells["attribute"].strip(), {})[source_value] = target
    return save_mapping(shop, columns=columns, categories=categories, values=values)
