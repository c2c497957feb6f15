"""A product file's lines checked and written, a batch at a time: the transformation's work
(`product_pipeline` drives it). `transform_lines` touches no database, so that a thread may
run it; `record_transformed` records a batch's reported lines and counters."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from django.utils import timezone

from mercato.catalog import product_errors as errors
from mercato.catalog.mapping import Transformer
from mercato.catalog.product_bulk import insert_rows
from mercato.catalog.product_records import product_record
from mercato.catalog.validation import (
    PRODUCT_COLUMNS,
    CatalogSchema,
    ProductData,
    ProductIssue,
    check_row,
)
from mercato.imports.models import ProductImport, ProductTransformationLine
from mercato.imports.product_column_road import (
    NO_PLAIN,
    Again,
    Plain,
    Written,
    column_batches,
    write_lines,
)
from mercato.imports.readers import SourceFile, SourceLine
from mercato.offers.export import CsvSheet

BATCH_LINES = 2000  # lines checked per batch (several batches may be recorded together)


@dataclass
class Transformation:
    """What the transformation carries from batch to batch: the files it writes and the
    EANs seen so far (an EAN is valid on one line of a file only)."""

    product_import: ProductImport
    transformer: Transformer
    schema: CatalogSchema
    header_ok: bool
    sheet: CsvSheet
    data_out: IO[str]
    ean_lines: dict[str, int] = field(default_factory=dict)
    # Operator-format CSV files: attribute code -> its column, for the column road.
    columns: dict[str, int] = field(default_factory=dict)


def batches(
    state: Transformation, source: SourceFile, path: Path
) -> Iterator[tuple[list[SourceLine], Plain, Again | None]]:
    """The file's lines in batches, each with those of its lines the column road found
    plainly right: none when the road does not apply (mapped, not CSV, a bad header)."""
    if state.columns:
        yield from column_batches(source, path, state.columns, state.schema, BATCH_LINES)
        return
    lines = source.lines()
    while batch := list(islice(lines, BATCH_LINES)):
        yield batch, NO_PLAIN, None


_Checked = tuple[dict[str, str], list[ProductIssue], ProductData | None]


def _line_issues(state: Transformation, line: SourceLine) -> _Checked:
    """The line's cells in operator format, its issues, and its data unless rejected."""
    if not state.header_ok or line.extra_values:
        return {}, [ProductIssue(line.line, "", errors.FIELD_COUNT)], None
    cells, mapping_issues = state.transformer.row(line.values, line.line)
    checked = check_row(cells, line.line, state.schema)
    if mapping_issues:  # the category is not mapped: its own issue says so, not 1001
        issues = [*mapping_issues, *(i for i in checked.issues if i.column != "category")]
        return cells, issues, None
    issues = list(checked.issues)
    ean = cells.get(PRODUCT_COLUMNS.ean, "")
    if checked.product is not None and ean:
        first = state.ean_lines.setdefault(ean, line.line)
        if first != line.line:
            issues.append(
                ProductIssue(
                    line.line, PRODUCT_COLUMNS.ean, errors.DUPLICATE_EAN, (ean, str(first))
                )
            )
            return cells, issues, None
    return cells, issues, checked.product


_IDENTIFIER_CODES = frozenset({errors.BAD_EAN, errors.DUPLICATE_EAN})


def issue_json(issue: ProductIssue) -> dict[str, object]:
    return {"column": issue.column, "code": issue.code, "args": list(issue.args)}


def _plain_taken(state: Transformation, line: int, ean: str) -> bool:
    """Whether a line the column road found plainly right is written as it found it: not
    when its EAN is an earlier line's, whose duplicate the rule book then words."""
    return not ean or state.ean_lines.setdefault(ean, line) == line


_REPORTED_TABLE = ProductTransformationLine._meta.db_table
_REPORTED_COLUMNS = ("product_import_id", "line", "values", "errors", "warnings")
_REPORTED_JSON = frozenset({"values", "errors", "warnings"})


@dataclass
class Transformed:
    """A batch of lines checked and written (transformed file and records), before its
    reported lines and counters are recorded."""

    read: int
    reported: list[tuple[object, ...]] = field(default_factory=list)
    in_success: int = 0
    in_error: int = 0
    with_warning: int = 0
    wrong_identifiers: int = 0

    @classmethod
    def of(cls, batches: list["Transformed"]) -> "Transformed":
        """Several batches as one, in their order."""
        return cls(
            read=sum(b.read for b in batches),
            reported=[line for b in batches for line in b.reported],
            in_success=sum(b.in_success for b in batches),
            in_error=sum(b.in_error for b in batches),
            with_warning=sum(b.with_warning for b in batches),
            wrong_identifiers=sum(b.wrong_identifiers for b in batches),
        )


def transform_lines(
    state: Transformation,
    batch: list[SourceLine],
    plain: Plain = NO_PLAIN,
    again: Again | None = None,
) -> Transformed:
    """Check a batch's lines, write the transformed ones and their records (flushed, for the
    integration to read): no database."""
    done = Transformed(read=len(batch))
    taken: list[int] = []
    written: list[Written] = []
    for line in batch:
        ean = plain.eans.get(line.line)
        if ean is not None:
            if _plain_taken(state, line.line, ean):
                taken.append(line.line)
                done.in_success += 1
                continue
            line = again(line.line) if again else line  # with its values, for the rule book
        cells, issues, product = _line_issues(state, line)
        rejected = [i for i in issues if i.rejects]
        warned = [i for i in issues if not i.rejects]
        if issues:
            errors_json = [issue_json(i) for i in rejected]
            warnings_json = [issue_json(i) for i in warned]
            done.reported.append(
                (state.product_import.id, line.line, line.values, errors_json, warnings_json)
            )
        if rejected or product is None:
            done.in_error += 1
            done.wrong_identifiers += any(i.code in _IDENTIFIER_CODES for i in rejected)
            continue
        dropped = {i.column for i in warned}
        row = ["" if c in dropped else cells.get(c, "") for c in state.transformer.header]
        written.append(
            (line.line, state.sheet.line_text(row), product_record(line.line, product) + "\n")
        )
        done.in_success += 1
        done.with_warning += bool(warned)
    write_lines(state.sheet, state.data_out, plain, taken, written)
    state.data_out.flush()
    return done


def record_transformed(product_import: ProductImport, done: Transformed) -> None:
    # COPY: Django's bulk_create has psycopg quote its arrays of JSON value by value.
    if done.reported:
        insert_rows(_REPORTED_TABLE, _REPORTED_COLUMNS, done.reported, _REPORTED_JSON)
    product_import.transform_lines_read += done.read
    product_import.transform_lines_in_success += done.in_success
    product_import.transform_lines_in_error += done.in_error
    product_import.transform_lines_with_warning += done.with_warning
    product_import.products_wrong_identifiers += done.wrong_identifiers
    product_import.heartbeat_at = timezone.now()
    product_import.save(
        update_fields=[
            "transform_lines_read",
            "transform_lines_in_success",
            "transform_lines_in_error",
            "transform_lines_with_warning",
            "products_wrong_identifiers",
            "heartbeat_at",
            "last_updated",
        ]
    )
