"""Applying a shop's mapping to the lines of its product file (pure: no database).

A mapping says which source column feeds which attribute, which operator leaf category a
seller's category is (a single value or a path such as `Téléphonie > Smartphones`), and
which value-list code a seller's value is (`Bleu nuit` -> `bleu`). A `Transformer` is built
once per file from its header; `row` turns a line's values into cells keyed by attribute
code, ready for `validation.check_row`, and notes what the mapping did not cover.

Seller categories and values are compared normalized (`normalize`): case, repeated spaces
and the spacing around `>` do not tell two of them apart.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mercato.catalog import product_errors as errors
from mercato.catalog.validation import PRODUCT_COLUMNS, ProductIssue

# What the transformation report lists of each kind, at most: enough to map them, while a
# file of a million distinct unknown values does not fill the database.
MAX_UNMAPPED = 200


def normalize(text: str) -> str:
    parts = [" ".join(part.split()) for part in text.split(">")]
    return " > ".join(parts).casefold()


@dataclass(frozen=True)
class MappingRules:
    """One saved version of a shop's mapping; `version` None when the shop has none."""

    version: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogCodes:
    """The codes a mapping may point at."""

    attributes: frozenset[str]
    categories: frozenset[str]
    leaves: frozenset[str]
    list_values: Mapping[str, frozenset[str]]  # LIST and LIST_MULTIPLE_VALUES attributes
    multiple: frozenset[str] = frozenset()  # the LIST_MULTIPLE_VALUES among them


@dataclass
class Unmapped:
    """What a file holds that the mapping does not cover, each in first-seen order."""

    columns: list[str] = field(default_factory=list)
    categories: dict[str, None] = field(default_factory=dict)
    values: dict[str, dict[str, None]] = field(default_factory=dict)

    def add_category(self, raw: str) -> None:
        if len(self.categories) < MAX_UNMAPPED:
            self.categories.setdefault(raw, None)

    def add_value(self, attribute: str, raw: str) -> None:
        seen = self.values.setdefault(attribute, {})
        if len(seen) < MAX_UNMAPPED:
            seen.setdefault(raw, None)

    def as_json(self) -> dict[str, object]:
        return {
            "columns": list(self.columns),
            "categories": list(self.categories),
            "values": {code: list(raw) for code, raw in self.values.items() if raw},
        }

    @property
    def empty(self) -> bool:
        return not (self.columns or self.categories or any(self.values.values()))


class Transformer:
    """A file's lines as operator cells, through the mapping unless in operator format."""

    def __init__(
        self,
        source_header: Sequence[str],
        rules: MappingRules,
        codes: CatalogCodes,
        *,
        operator_format: bool,
    ) -> None:
        self.rules = rules
        self.codes = codes
        self.mapped = not operator_format
        self.unmapped = Unmapped()
        self.header: list[str] = []
        self._pairs: list[tuple[int, str]] = []
        for index, name in enumerate(source_header):
            target = self._target(name)
            if target is None:
                if name:
                    self.unmapped.columns.append(name)
                continue
            if target not in self.header:
                self.header.append(target)
            self._pairs.append((index, target))
        self._lists = [code for code in self.header if code in codes.list_values]

    def _target(self, name: str) -> str | None:
        if self.mapped and name in self.rules.columns:
            return self.rules.columns[name]
        return name if name in self.codes.attributes else None

    def row(self, values: Sequence[str], line: int) -> tuple[dict[str, str], list[ProductIssue]]:
        """The line's cells by attribute code, and the issues of its mapping (1006)."""
        cells: dict[str, str] = {}
        for index, target in self._pairs:
            value = values[index].strip() if index < len(values) else ""
            if value or target not in cells:  # of two columns mapped alike, the filled one
                cells[target] = value
        if not self.mapped:
            return cells, []
        issues = self._map_category(cells, line)
        for code in self._lists:
            if cells.get(code):
                cells[code] = self._map_value(code, cells[code])
        return cells, issues

    def _map_category(self, cells: dict[str, str], line: int) -> list[ProductIssue]:
        column = PRODUCT_COLUMNS.category
        raw = cells.get(column, "")
        if not raw or raw in self.codes.categories:
            return []
        target = self.rules.categories.get(normalize(raw))
        if target is not None:
            cells[column] = target
            return []
        self.unmapped.add_category(raw)
        return [ProductIssue(line, column, errors.CATEGORY_NOT_MAPPED, (raw,))]

    def _map_value(self, code: str, raw: str) -> str:
        if code in self.codes.multiple:
            items = [item.strip() for item in raw.split("|") if item.strip()]
            return "|".join(self._map_one(code, item) for item in items)
        return self._map_one(code, raw)

    def _map_one(self, code: str, raw: str) -> str:
        if raw in self.codes.list_values[code]:
            return raw
        target = self.rules.values.get(code, {}).get(normalize(raw))
        if target is not None:
            return target
        self.unmapped.add_value(code, raw)
        return raw
