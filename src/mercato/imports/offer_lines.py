"""An offer import's lines, chunk by chunk: staged, sorted out, applied.

The file is read twice. First every line is staged (offers.staging) and the skus standing
on several lines are found; then, chunk by chunk, the lines that the staged lines show
unchanged are counted and skipped, the plainly right new offers (offers.columnar) are
inserted at once, and every other line goes through the rule book (offers.validation and
offers.importing), which words the errors. Reading and sorting out a chunk runs in a thread
one chunk ahead, while the database writes the previous one.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import polars as pl

from mercato.imports.frames import Chunk, column_names, one_ahead, source_lines
from mercato.imports.models import ImportMode, OfferImport, OfferImportError
from mercato.imports.readers import SourceFile, SourceLine
from mercato.offers.bulk import VALUE_FIELDS, insert_offer_frame
from mercato.offers.columnar import plain_offers
from mercato.offers.importing import (
    SKU_REUSE_DELAY,
    BatchContext,
    BatchOutcome,
    KnownOffer,
    apply_offer_batch,
)
from mercato.offers.staging import Stage
from mercato.offers.validation import OfferIssue, OfferLine, OfferRules, validate_line

# Lines checked by the rule book between two database round trips.
EXACT_BATCH = 5000


@dataclass
class ImportRun:
    offer_import: OfferImport
    source: SourceFile
    rules: OfferRules
    context: BatchContext
    stage: Stage
    seed: int  # from the header and the rules: a line hashes alike only under both
    sku_index: int
    # Lines whose sku stands on several lines of the file.
    duplicated: frozenset[int] = frozenset()

    def sku(self, line: SourceLine) -> str:
        index = self.sku_index
        return line.values[index].strip() if index < len(line.values) else ""


def stage_lines(
    run: ImportRun, chunks: Iterable[Chunk], beat: Callable[[], None]
) -> dict[int, int]:
    """Stage every line of the file, then sort them out (see offers.staging); the number of
    lines of each chunk, by its first line. `beat` tells that the import is alive."""
    run.stage.create()
    names = column_names(len(run.source.header))
    reference: dict[str, str] = {
        name: f"c{run.source.header.index(name)}"
        for name in ("product-id", "product-id-type")
        if name in run.source.header
    }
    sizes = {}
    skus = []
    read = partial(_staged_lines, run, names, reference)
    for count, (chunk, (frame, keys)) in enumerate(one_ahead(chunks, None, read), 1):
        sizes[chunk.first_line] = frame.height
        skus.append(keys)
        run.stage.add(frame)
        if count % 10 == 0:
            beat()
    run.duplicated = _duplicated_lines(skus)
    replace = run.offer_import.mode == ImportMode.REPLACE
    run.stage.classify(
        run.context.shop.id,
        sorted(run.duplicated),
        run.context.now - SKU_REUSE_DELAY,
        replace=replace,
    )
    beat()
    return sizes


def _staged_lines(
    run: ImportRun, names: list[str], reference: dict[str, str], chunk: Chunk, _: None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A chunk's lines as staged, and its sku keys (in a thread: polars only)."""
    frame = chunk.read()
    staged = frame.select(
        pl.col("line"),
        pl.col(names[run.sku_index]).str.strip_chars().alias("sku"),
        _digest(run, names).alias("digest"),
        _reference(reference.get("product-id-type")).str.to_uppercase().alias("id_type"),
        _reference(reference.get("product-id")).alias("id_value"),
    )
    return staged, _sku_keys(frame, names[run.sku_index])


def _sku_keys(frame: pl.DataFrame, sku: str) -> pl.DataFrame:
    # 8-byte hashes keep a million skus in 16 MB; a collision would only make two distinct
    # skus look duplicated, with odds far below one in a billion per file.
    stripped = pl.col(sku).str.strip_chars()
    return frame.filter(stripped != "").select("line", stripped.hash().alias("key"))


def _duplicated_lines(skus: list[pl.DataFrame]) -> frozenset[int]:
    """The lines whose sku stands on more than one line of the file."""
    if not skus:
        return frozenset()
    keys = pl.concat(skus)
    return frozenset(keys.filter(pl.col("key").is_duplicated())["line"].to_list())


def _reference(column: str | None) -> pl.Expr:
    return pl.col(column).str.strip_chars() if column else pl.lit("")


def _digest(run: ImportRun, names: list[str]) -> pl.Expr:
    """The line as sent, under this file's header and today's rules; null for a line that is
    never skipped: one of PARTIAL_UPDATE (it only says part of an offer), one with values
    beyond the header. The hash is polars' own: a newer polars may hash differently, which
    costs one slower re-import (every line is checked again), never a wrong skip."""
    if run.offer_import.mode == ImportMode.PARTIAL_UPDATE:
        return pl.lit(None, dtype=pl.Int64)
    digest = pl.concat_str(names, separator="\x1f").hash(seed=run.seed).reinterpret(signed=True)
    return pl.when(pl.col("extra") == "").then(digest)


@dataclass
class Sorted:
    """A chunk's lines sorted out: unchanged (a count), plainly right new offers (their
    values), and the rest for the rule book. None of it when the chunk was not read."""

    unchanged: int
    read: int | None = None
    plain: pl.DataFrame | None = None
    rest: pl.DataFrame | None = None


def work(run: ImportRun, chunk: Chunk) -> pl.DataFrame:
    """What the staged lines say of the chunk's lines that have something to do."""
    return run.stage.work_between(
        max(chunk.first_line, run.offer_import.checkpoint_line + 1), chunk.last_line
    )


def sort(run: ImportRun, chunk: Chunk, work: pl.DataFrame) -> Sorted:
    """Sort a chunk's lines out (in a thread: polars only, no database)."""
    if work.is_empty() and chunk.first_line > run.offer_import.checkpoint_line:
        return Sorted(unchanged=0)
    frame = chunk.read().filter(pl.col("line") > run.offer_import.checkpoint_line)
    read = frame.height
    frame = frame.join(work, on="line").with_columns(
        digest=_digest(run, column_names(len(run.source.header))),
        duplicated=pl.col("line").is_in(list(run.duplicated)),
    )
    plain = _plain_new_offers(run, frame)
    rest = frame.join(plain.select("line"), on="line", how="anti")
    return Sorted(read - work.height, read, plain, rest)


def apply_chunk(run: ImportRun, sorted_out: Sorted, size: int) -> tuple[BatchOutcome, int]:
    """Apply a chunk of `size` lines: its unchanged lines are skipped, its plainly right new
    offers are inserted at once, and the rest goes through the rule book line by line. The
    outcome and the number of lines read."""
    if sorted_out.read is None or sorted_out.plain is None or sorted_out.rest is None:
        return BatchOutcome(unchanged=size), size
    outcome = BatchOutcome(unchanged=sorted_out.unchanged)
    plain, rest = sorted_out.plain, sorted_out.rest
    insert_offer_frame(plain, run.context.now)
    outcome.inserted += plain.height
    known = {
        sku: KnownOffer(offer_id, product_id, None)
        for sku, offer_id, product_id in rest.filter(pl.col("offer_id").is_not_null())
        .select(pl.col(f"c{run.sku_index}").str.strip_chars(), "offer_id", "offer_product")
        .iter_rows()
    }
    digests = dict(zip(rest["line"].to_list(), rest["digest"].to_list(), strict=True))
    lines = source_lines(rest, run.source.header)
    for start in range(0, len(lines), EXACT_BATCH):
        found = _apply(run, lines[start : start + EXACT_BATCH], known, digests)
        outcome.inserted += found.inserted
        outcome.updated += found.updated
        outcome.unchanged += found.unchanged
        outcome.deleted += found.deleted
        outcome.issues.update(found.issues)
    return outcome, sorted_out.read


def _plain_new_offers(run: ImportRun, frame: pl.DataFrame) -> pl.DataFrame:
    """The chunk's new offers whose lines are plainly right, as Offer column values."""
    if run.offer_import.mode == ImportMode.PARTIAL_UPDATE:
        return frame.clear()
    candidates = frame.filter(
        pl.col("offer_id").is_null()
        & pl.col("product").is_not_null()
        & ~pl.col("duplicated")
        & ~pl.col("deleted")
    )
    plain = plain_offers(candidates, run.source.header, run.rules)
    return plain.join(candidates.select("line", "product", "digest"), on="line").select(
        pl.col("line"),
        pl.lit(run.context.shop.id).alias("shop_id"),
        pl.col("sku"),
        pl.col("product").alias("product_id"),
        *VALUE_FIELDS,
        pl.col("digest").alias("row_hash"),
    )


def _apply(
    run: ImportRun,
    batch: list[SourceLine],
    known: dict[str, KnownOffer],
    digests: dict[int, int | None],
) -> BatchOutcome:
    """Validate and apply lines by the rule book; every refused line with its issues.
    `known` holds the existing offers of the lines (from the staged lines)."""
    issues: dict[int, list[OfferIssue]] = {}
    valid: list[OfferLine] = []
    for source_line in batch:
        found = _line_issues(run, source_line)
        offer_line, line_issues = validate_line(
            source_line.line, source_line.cells, run.rules, run.offer_import.mode
        )
        found.extend(line_issues)
        if found:
            issues[source_line.line] = found
        elif offer_line is not None:
            valid.append(offer_line)
    outcome = apply_offer_batch(valid, run.context, known, digests)
    for line, found in outcome.issues.items():
        issues.setdefault(line, []).extend(found)
    _store_errors(run.offer_import, batch, issues)
    outcome.issues = issues
    return outcome


def _line_issues(run: ImportRun, line: SourceLine) -> list[OfferIssue]:
    """What is wrong with a line within its file: too many values, a duplicated sku."""
    found = []
    if line.extra_values:
        found.append(
            OfferIssue(
                line.line,
                "",
                "line-too-long",
                {"count": len(line.values), "expected": len(run.source.header)},
            )
        )
    if line.line in run.duplicated:
        found.append(OfferIssue(line.line, "sku", "sku-duplicated"))
    return found


def _store_errors(
    offer_import: OfferImport, batch: list[SourceLine], issues: dict[int, list[OfferIssue]]
) -> None:
    OfferImportError.objects.bulk_create(
        OfferImportError(
            offer_import=offer_import,
            line=line.line,
            values=line.values,
            issues=[
                {"column": i.column, "code": i.code, "params": _jsonable(i.params)}
                for i in issues[line.line]
            ],
        )
        for line in batch
        if line.line in issues
    )


def _jsonable(params: object) -> dict[str, object]:
    return {k: v if isinstance(v, int | str) else str(v) for k, v in dict(params).items()}  # type: ignore[call-overload]
