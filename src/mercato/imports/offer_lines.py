"""An offer import's lines, chunk by chunk: staged, sorted out, applied.

The file is read twice. First every line's keys are read and sorted out against the shop's
offers (offers.staging), and the skus standing on several lines are found; then, chunk by
chunk, the lines found unchanged are counted and skipped, the plainly right lines
(offers.columnar) are written at once, new offers inserted and existing ones merged and
updated, and every other line goes through the rule book (offers.validation and
offers.importing), which words the errors. Reading and sorting out a chunk runs in a thread
one chunk ahead, while the database writes the previous one.
"""

import functools
import queue
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl
from django.db import connection

from mercato.imports.frames import Chunk, Span, column_names, one_ahead, source_lines
from mercato.imports.models import ImportMode, OfferImport, OfferImportError
from mercato.imports.readers import SourceFile, SourceLine
from mercato.offers.bulk import (
    VALUE_FIELDS,
    insert_offer_frame,
    offer_copy_data,
    offer_values,
    update_offer_rows,
)
from mercato.offers.columnar import merged_updates, plain_offers
from mercato.offers.importing import (
    SKU_REUSE_DELAY,
    BatchContext,
    BatchOutcome,
    KnownOffer,
    apply_offer_batch,
)
from mercato.offers.staging import (
    REFERENCES,
    Stage,
    join_lines,
    reference_key,
    sku_key,
)
from mercato.offers.validation import OfferIssue, OfferLine, OfferRules, validate_line

# Lines checked by the rule book between two database round trips.
EXACT_BATCH = 5000
# Seconds between two heartbeats while the file is read.
BEAT_SECONDS = 10
_MIX = 0x9E3779B97F4A7C15  # odd, its bits spread: each cell's hash moves the digest


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
    # New offers are sent as COPY data, encoded in the sorting thread (PostgreSQL).
    encoded: bool = False
    # Where the first pass found each chunk (CSV files): the second reads them from there.
    spans: list[Span] | None = None
    # The number of lines of each chunk, by its first line (from the first pass).
    sizes: dict[int, int] = field(default_factory=dict)

    def sku(self, line: SourceLine) -> str:
        index = self.sku_index
        return line.values[index].strip() if index < len(line.values) else ""


def stage_lines(run: ImportRun, chunks: Iterable[Chunk], beat: Callable[[], None]) -> None:
    """Read every line's keys, then sort the lines out (see offers.staging), noting in `run`
    the duplicated lines, each chunk's span and number of lines. `beat` tells that the
    import is alive.

    The file is read in a thread while this one reads the shop's offers from the database
    (polars' parsing releases the interpreter). Of each line only its keys are kept."""
    read: queue.SimpleQueue[_Read | None] = queue.SimpleQueue()
    run.encoded = connection.vendor == "postgresql"
    sizes: dict[int, int] = {}
    spans: list[Span | None] = []
    references: list[pl.DataFrame] = [pl.DataFrame(schema={**REFERENCES, "ref": pl.UInt64})]
    # A line can only be found unchanged against an offer that a whole line set last.
    whole = run.offer_import.mode != ImportMode.PARTIAL_UPDATE and run.stage.has_offers(
        run.context.shop.id
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(_read_chunks, run, chunks, read, whole)
        run.stage.read_offers(run.context.shop.id)
        while (item := _next(read, beat)) is not None:
            first_line, size, chunk_keys, chunk_references, span = item
            sizes[first_line] = size
            spans.append(span)
            run.stage.add_keys(chunk_keys)
            if whole:
                references.append(chunk_references)
            else:  # every line has something to do: its product is looked up at once
                run.stage.look_up(chunk_references)
            if len(sizes) % 10 == 0:
                beat()
        reading.result()  # the thread's error, if it stopped on one
    run.stage.classify(
        pl.concat(references),  # each passed on once by the reading thread
        run.context.shop.id,
        run.context.now - SKU_REUSE_DELAY,
        replace=run.offer_import.mode == ImportMode.REPLACE,
        chunk_starts=list(sizes),
    )
    run.duplicated = frozenset(run.stage.duplicated.to_list())
    run.spans = [span for span in spans if span is not None] if None not in spans else None
    run.sizes = sizes
    beat()


# A chunk as the first pass read it: first line, number of lines, keys, references, span.
_Read = tuple[int, int, pl.DataFrame, pl.DataFrame, Span | None]


def _next(read: "queue.SimpleQueue[_Read | None]", beat: Callable[[], None]) -> _Read | None:
    while True:
        try:
            return read.get(timeout=BEAT_SECONDS)
        except queue.Empty:  # a chunk slow to read: still alive
            beat()


def _read_chunks(
    run: ImportRun,
    chunks: Iterable[Chunk],
    read: "queue.SimpleQueue[_Read | None]",
    whole: bool,
) -> None:
    """Put each chunk's first line, number of lines, keys, references not seen in an
    earlier chunk and span on `read`, then None (in a thread: polars only). Unless `whole`,
    only the key columns are read, several times faster, and lines get no digest. The next
    chunk is parsed in a thread of its own while this one hashes the keys.

    References are told apart by their hash alone: the file's distinct references are
    held once, not a million times; a collision would only send a line to the rule book."""
    names = column_names(len(run.source.header))
    key_columns = [run.sku_index, *_reference_indexes(run.source.header).values()]
    seen = pl.Series("ref", [], dtype=pl.UInt64)

    def parse(chunk: Chunk, _: None) -> pl.DataFrame:
        return chunk.read() if whole else chunk.columns(key_columns)

    digest = _digest(run, names) if whole else pl.lit(None, dtype=pl.Int64)
    try:
        for chunk, frame in one_ahead(chunks, None, parse):
            lines = _line_references(run, frame, digest.alias("digest"))
            lines = lines.with_columns(reference_key())
            chunk_keys = lines.select("line", *sku_key(pl.col("sku")), "digest", "ref")
            chunk_references = (
                lines.select(*REFERENCES, "ref")
                .unique("ref")
                .filter(~pl.col("ref").is_in(seen.implode()))
            )
            seen = pl.concat([seen, chunk_references["ref"]])
            read.put((chunk.first_line, frame.height, chunk_keys, chunk_references, chunk.span))
    finally:
        read.put(None)


def _line_references(run: ImportRun, frame: pl.DataFrame, *more: pl.Expr) -> pl.DataFrame:
    """Each line's sku and product reference, as the look-ups compare them (and `more`)."""
    reference = {name: f"c{index}" for name, index in _reference_indexes(run.source.header).items()}
    return frame.select(
        pl.col("line"),
        pl.col(f"c{run.sku_index}").str.strip_chars().alias("sku"),
        _reference(reference.get("product-id-type")).str.to_uppercase().alias("id_type"),
        _reference(reference.get("product-id")).alias("id_value"),
        *more,
    )


def _reference_indexes(header: list[str]) -> dict[str, int]:
    """Where the product reference's columns are (those the header has)."""
    return {
        name: header.index(name) for name in ("product-id", "product-id-type") if name in header
    }


def _reference(column: str | None) -> pl.Expr:
    return pl.col(column).str.strip_chars() if column else pl.lit("")


def _digest(run: ImportRun, names: list[str]) -> pl.Expr:
    """The line as sent, under this file's header and today's rules; null for a line that is
    never skipped: one of PARTIAL_UPDATE (it only says part of an offer), one with values
    beyond the header. The hash is polars' own: a newer polars may hash differently, which
    costs one slower re-import (every line is checked again), never a wrong skip."""
    if run.offer_import.mode == ImportMode.PARTIAL_UPDATE:
        return pl.lit(None, dtype=pl.Int64)
    # Each cell hashed alone, the hashes mixed in column order: a third of the time of one
    # hash of the joined cells.
    cells = [pl.col(name).hash(seed=run.seed) for name in names]
    digest = functools.reduce(lambda mixed, cell: mixed * _MIX ^ cell, cells)
    return pl.when(pl.col("extra") == "").then(digest.reinterpret(signed=True))


@dataclass
class Sorted:
    """A chunk's lines sorted out: unchanged (a count), plainly right new offers (their
    values), plainly right lines of existing offers (their values and, in `changing`, their
    lines as read), and the rest for the rule book. None of it when the chunk was not read."""

    unchanged: int
    read: int | None = None
    plain: pl.DataFrame | None = None
    rest: pl.DataFrame | None = None
    updates: pl.DataFrame | None = None
    changing: pl.DataFrame | None = None
    plain_data: bytes | None = None  # the plain offers as COPY data


def work(run: ImportRun, chunk: Chunk) -> pl.DataFrame:
    """The chunk's lines that have something to do, with their offer (see
    Stage.todo_between); the others are unchanged."""
    return run.stage.todo_between(
        max(chunk.first_line, run.offer_import.checkpoint_line + 1), chunk.last_line
    )


def sort(run: ImportRun, chunk: Chunk, todo: pl.DataFrame) -> Sorted:
    """Sort a chunk's lines out (in a thread: polars only, no database)."""
    if todo.is_empty() and chunk.first_line > run.offer_import.checkpoint_line:
        return Sorted(unchanged=0)
    frame, read = _todo_lines(run, chunk, todo)
    work = run.stage.work(_line_references(run, frame), todo)
    frame = join_lines(frame, work).with_columns(
        digest=_digest(run, column_names(len(run.source.header))),
        duplicated=pl.col("line").is_in(run.stage.duplicated.implode()),
    )
    plain = _plain_new_offers(run, frame)
    updates = _plain_updates(run, frame)
    changing = frame.join(updates.select("line"), on="line", how="semi")
    rest = frame.join(pl.concat([plain["line"], updates["line"]]).to_frame(), on="line", how="anti")
    data = offer_copy_data(plain) if run.encoded and not plain.is_empty() else None
    return Sorted(read - work.height, read, plain, rest, updates, changing, data)


def _todo_lines(run: ImportRun, chunk: Chunk, todo: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The chunk's lines that have something to do, as read, and the number of lines read
    (those after the checkpoint). A few lines of many are parsed alone."""
    size = run.sizes.get(chunk.first_line)
    if chunk.first_line > run.offer_import.checkpoint_line and size and todo.height * 4 < size:
        return chunk.some_lines(todo["line"].to_list()), size
    frame = chunk.read().filter(pl.col("line") > run.offer_import.checkpoint_line)
    read = frame.height
    if todo.height < read:  # else every line has something to do (todo's lines are read's)
        frame = frame.join(todo.select("line"), on="line", how="semi", maintain_order="left")
    return frame, read


def apply_chunk(run: ImportRun, sorted_out: Sorted, size: int) -> tuple[BatchOutcome, int]:
    """Apply a chunk of `size` lines: its unchanged lines are skipped, its plainly right new
    offers are inserted at once, its plainly right changes of existing offers merged and
    written at once, and the rest goes through the rule book line by line. The outcome and
    the number of lines read."""
    if sorted_out.read is None or sorted_out.plain is None or sorted_out.rest is None:
        return BatchOutcome(unchanged=size), size
    outcome = BatchOutcome(unchanged=sorted_out.unchanged)
    plain, rest = sorted_out.plain, sorted_out.rest
    insert_offer_frame(plain, run.context.now, sorted_out.plain_data)
    outcome.inserted += plain.height
    doubtful = _apply_plain_updates(run, sorted_out, outcome)
    if not doubtful.is_empty():
        rest = pl.concat([rest, doubtful]).sort("line")
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


def _plain_updates(run: ImportRun, frame: pl.DataFrame) -> pl.DataFrame:
    """The chunk's lines of existing offers that are plainly right and name the offer's own
    product, as plain_offers' values with the offer's id and the line's digest."""
    if run.offer_import.mode == ImportMode.PARTIAL_UPDATE:
        return frame.clear().select("line")
    candidates = frame.filter(
        pl.col("offer_id").is_not_null()
        & (pl.col("product") == pl.col("offer_product"))
        & ~pl.col("duplicated")
    )
    if candidates.is_empty():  # the column checks cost milliseconds even on no line
        return frame.clear().select("line")
    return plain_offers(candidates, run.source.header, run.rules, keep=("offer_id", "digest"))


def _apply_plain_updates(run: ImportRun, sorted_out: Sorted, outcome: BatchOutcome) -> pl.DataFrame:
    """Merge and write the plainly right changes of existing offers; the lines (as read)
    that the merge leaves in doubt, for the rule book."""
    updates, changing = sorted_out.updates, sorted_out.changing
    if updates is None or changing is None or updates.is_empty():
        return pl.DataFrame()
    doubtful: list[int] = []
    for start in range(0, updates.height, EXACT_BATCH):
        rows = updates.slice(start, EXACT_BATCH).to_dicts()
        current = offer_values([row["offer_id"] for row in rows])
        merged = merged_updates(rows, current, run.context)
        update_offer_rows(merged.updated)
        update_offer_rows(merged.rehashed, ("row_hash",))
        outcome.updated += len(merged.updated)
        outcome.unchanged += merged.unchanged
        doubtful += merged.doubtful
    return changing.filter(pl.col("line").is_in(doubtful))


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
    if candidates.is_empty():
        return frame.clear().select("line")
    plain = plain_offers(candidates, run.source.header, run.rules, keep=("product", "digest"))
    return plain.select(
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
