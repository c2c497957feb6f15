"""Running a product import: transformation and integration, each in bounded batches.

Transformation reads the file as sent, maps it (unless in operator format), checks every
line against its category's attributes and writes the valid lines in operator format (the
transformed file, warned values left out). Beside it, one record per transformed line
(`catalog.product_records`) keeps its line in the file as sent and its normalized data, so
that the integration does not check it again. The lines are checked in a thread of their
own; the job's thread records each batch's reported lines and counters, and integrates the
records as they are written. A restarted transformation starts over, and the integration
passes over the lines an earlier attempt integrated.

An operator-format CSV file takes the column road too (`product_column_road`, with
`catalog.product_columnar`): polars recognises, thousands of lines at a time, the lines
plainly right, and writes their transformed line and record; `check_row` checks and words
only the others, and the EAN repeated from an earlier line.

Integration reads the records as frames and creates or matches the products, while the
transformation goes on and after it. It owns one transaction per batch: the batch's
products, its outcomes, the counters and the checkpoint commit together, so that a
restarted integration resumes after the last committed batch.
"""

import gc
import logging
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import IO

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mercato.catalog.mapping import Transformer
from mercato.catalog.mapping_assistant import catalog_codes, current_mapping
from mercato.catalog.product_bulk import insert_frame
from mercato.catalog.product_integration import Settled, VariantRegistry, decide, settle, write
from mercato.catalog.product_json import json_text
from mercato.catalog.product_records import records_frame
from mercato.catalog.selectors import catalog_schema
from mercato.imports.combined import product_header
from mercato.imports.frames import in_thread_together, one_ahead
from mercato.imports.models import (
    ProductImport,
    ProductImportStatus,
    ProductIntegration,
)
from mercato.imports.product_transformation import (
    Transformation,
    Transformed,
    batches,
    issue_json,
    record_transformed,
    transform_lines,
)
from mercato.imports.readers import FileFormat, UnreadableFile, open_source
from mercato.imports.reasons import ImportFailed, Reason, set_reason, several, stored_reason
from mercato.offers.export import CsvSheet

logger = logging.getLogger(__name__)

# Batches the transformation's thread may check ahead of their recording: enough to keep it
# busy while an integration batch (20,000 lines, about half a second) is written.
TRANSFORMED_AHEAD = 32
# Lines integrated per transaction: each commit waits for its writes to reach the disk, and
# each batch costs a fixed number of lookups; a batch of 20,000 lines takes about half a
# second.
INTEGRATION_LINES = 20000
MAX_ATTEMPTS = 3
Status = ProductImportStatus
_FINAL = (Status.TRANSFORMATION_FAILED, Status.COMPLETE, Status.CANCELLED, Status.FAILED)
_RUNNING = (Status.TRANSFORMATION_RUNNING, Status.RUNNING)

Progress = Callable[[ProductImport], None]


def stale_after() -> timedelta:
    return timedelta(seconds=settings.MERCATO_IMPORT_STALE_SECONDS)


def stored(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def data_path(product_import: ProductImport) -> Path:
    """Beside the transformed file: each of its lines' line as sent and normalized data."""
    return stored(product_import.transformed_path + ".jsonl")


def run(import_id: int, progress: Progress | None = None) -> None:
    """Run (or resume) an import; does nothing if it is finished or another worker has it."""
    product_import = _claim(import_id)
    if product_import is None:
        return
    try:
        with _no_cycle_collection():
            transformation = (
                _transform(product_import, progress)
                if product_import.status == Status.TRANSFORMATION_RUNNING
                else None
            )
            _integrate(product_import, progress, transformation)
    except (UnreadableFile, ImportFailed) as error:
        failed = (
            Status.TRANSFORMATION_FAILED
            if product_import.status == Status.TRANSFORMATION_RUNNING
            else Status.FAILED
        )
        _mark(product_import, failed, error.reason)
    except Exception:
        logger.exception("Product import %s stopped on an unexpected error", import_id)
        _release(product_import)
        raise


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector kept off while the import runs: its lines (read, checked,
    written) are hundreds of thousands of containers that live a batch and make no cycles,
    and the collector's passes over them cost about 0.4 s of CPU per 100,000 lines (1.7 s
    when the integration decoded each line's JSON). What cycles the import leaves are
    collected once it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _release(product_import: ProductImport) -> None:
    """Let the next worker take the import up at once rather than once stale."""
    ProductImport.objects.filter(id=product_import.id, status__in=_RUNNING).update(
        heartbeat_at=None
    )


def _claim(import_id: int) -> ProductImport | None:
    now = timezone.now()
    with transaction.atomic():
        found = ProductImport.objects.select_for_update().filter(id=import_id).first()
        if found is None or found.status in _FINAL:
            return None
        heartbeat = found.heartbeat_at
        if found.status in _RUNNING and heartbeat and now - heartbeat < stale_after():
            return None  # another worker is on it
        if found.attempts >= MAX_ATTEMPTS:
            failed = Status.TRANSFORMATION_FAILED if found.status in (
                Status.TRANSFORMATION_WAITING, Status.TRANSFORMATION_RUNNING
            ) else Status.FAILED  # fmt: skip
            _mark(found, failed, Reason("product-import-stopped", {"attempts": found.attempts}))
            return None
        transforming = (Status.TRANSFORMATION_WAITING, Status.TRANSFORMATION_RUNNING)
        found.begin(
            Status.TRANSFORMATION_RUNNING if found.status in transforming else Status.RUNNING, now
        )
    return found


def _mark(product_import: ProductImport, status: str, reason: Reason) -> None:
    product_import.status = status
    product_import.finished_at = timezone.now() if status in _FINAL else None
    reason_fields = set_reason(product_import, reason)
    product_import.save(update_fields=["status", "finished_at", "last_updated", *reason_fields])


# --- transformation ------------------------------------------------------------------------


def _transform(product_import: ProductImport, progress: Progress | None) -> Iterator[int]:
    """Transform the file; after each batch is recorded, yield how many records the records
    file holds, so that the integration may take them while the rest is transformed. The
    lines are checked and written in a thread (no database there); this thread records each
    batch's reported lines and counters. A file that cannot be read fails before its first
    batch (an XML file is read through once for its columns, a CSV file checked for UTF-8):
    a transformation that fails has integrated nothing."""
    path = stored(product_import.file_path)
    if not path.exists():
        raise ImportFailed("file-missing")
    source = open_source(path, product_import.file_name)
    header = product_header(product_import, source.header)
    transformer = Transformer(
        header,
        current_mapping(product_import.shop),
        catalog_codes(),
        operator_format=product_import.operator_format,
    )
    _reset_transformation(product_import, source.header, source.format.value, transformer)
    target = stored(product_import.transformed_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    records = data_path(product_import)
    written = 0
    with target.open("wb") as out, records.open("w", encoding="utf-8") as data_out:
        state = Transformation(
            product_import,
            transformer,
            catalog_schema(),
            header_ok=len(set(source.header)) == len(source.header),
            sheet=CsvSheet(out, transformer.header, formulas_neutralised=False),
            data_out=data_out,
        )
        if state.header_ok and product_import.operator_format and source.format is FileFormat.CSV:
            state.columns = {n: i for i, n in enumerate(header) if n in transformer.header}
        checked = (transform_lines(state, *batch) for batch in batches(state, source, path))
        # The batches checked while this thread was integrating are recorded in one go: each
        # recording is a transaction of several round trips, and after each of them this
        # thread may wait up to 5 ms to take the interpreter back from the checking thread.
        for together in in_thread_together(checked, TRANSFORMED_AHEAD):
            transformed = Transformed.of(together)
            with transaction.atomic():
                record_transformed(product_import, transformed)
            if progress:
                progress(product_import)
            written += transformed.in_success
            yield written
        state.sheet.close()
    product_import.unmapped = transformer.unmapped.as_json()
    product_import.save(update_fields=["unmapped"])
    _mark(product_import, Status.SENT, _transformation_summary(product_import, transformer))
    # The integration follows in this job: the transformed file is its input.
    product_import.status = Status.RUNNING
    product_import.heartbeat_at = timezone.now()
    product_import.save(update_fields=["status", "heartbeat_at", "last_updated"])
    yield written


def _reset_transformation(
    product_import: ProductImport, header: list[str], file_format: str, transformer: Transformer
) -> None:
    with transaction.atomic():
        product_import.transformation_lines.all().delete()
        product_import.columns = header
        product_import.file_format = file_format
        product_import.transformed_columns = transformer.header
        product_import.mapping_version = (
            None if product_import.operator_format else transformer.rules.version
        )
        if not product_import.transformed_path:
            product_import.transformed_path = str(
                Path(product_import.file_path).parent / f"{uuid.uuid4().hex}-transformed.csv"
            )
        for counter in ("read", "in_success", "in_error", "with_warning"):
            setattr(product_import, f"transform_lines_{counter}", 0)
        product_import.products_wrong_identifiers = 0  # counted by the transformation too
        product_import.save()


def _transformation_summary(product_import: ProductImport, transformer: Transformer) -> Reason:
    read, done = product_import.transform_lines_read, product_import.transform_lines_in_success
    parts = [Reason("lines-transformed", {"transformed": done, "read": read})]
    if product_import.transform_lines_in_error:
        errors = product_import.transform_lines_in_error
        parts.append(Reason("transformation-errors", {"errors": errors}))
    unmapped = transformer.unmapped
    if unmapped.columns:
        parts.append(Reason("columns-ignored", {"columns": ", ".join(unmapped.columns)}))
    if unmapped.categories:
        parts.append(Reason("categories-not-mapped", {"count": len(unmapped.categories)}))
    values = sum(len(v) for v in unmapped.values.values())
    if values:
        parts.append(Reason("values-not-mapped", {"count": values}))
    return several(*parts)


# --- integration ---------------------------------------------------------------------------


def _pending(
    product_import: ProductImport, transformation: Iterator[int] | None
) -> Iterator[tuple[int, list[bytes]]]:
    """The records a batch at a time, each batch with the position of its last record in
    the file (from 1): while the transformation runs, those it has written so far (it yields
    their number); then the rest. Without a transformation, those past the checkpoint."""
    done = 0 if transformation is not None else product_import.checkpoint_line
    with ExitStack() as stack:
        records: IO[bytes] | None = None
        for written in transformation or ():
            if records is None:  # the transformation has created it
                records = stack.enter_context(data_path(product_import).open("rb"))
            while written - done >= INTEGRATION_LINES:
                batch = list(islice(records, INTEGRATION_LINES))
                done += len(batch)
                yield done, batch
        if records is None:
            if not product_import.transformed_path or not data_path(product_import).exists():
                raise ImportFailed("transformed-file-missing")
            records = stack.enter_context(data_path(product_import).open("rb"))
            for _ in islice(records, done):  # integrated before a restart
                pass
        while batch := list(islice(records, INTEGRATION_LINES)):
            done += len(batch)
            yield done, batch


def _integrated_until(product_import: ProductImport) -> int:
    """The last line of the file an earlier attempt integrated (0 for none): a transformation
    started again writes its records again, and those of lines up to it are passed over."""
    if not product_import.checkpoint_line:
        return 0
    found = product_import.integrations.aggregate(last=Max("line"))["last"]
    return found or 0


def _integrate(
    product_import: ProductImport, progress: Progress | None, transformation: Iterator[int] | None
) -> None:
    schema = catalog_schema()
    registry = VariantRegistry()
    shop = product_import.shop
    integrated = _integrated_until(product_import)

    def frame_of(batch: tuple[int, list[bytes]], _: None) -> pl.DataFrame:
        frame = records_frame(batch[1])
        return frame.filter(pl.col("line") > integrated) if integrated else frame

    # Polars reads a batch's records in a thread while the database writes the previous one;
    # a batch is decided (the catalog read) before the previous one's writes, then settled in
    # a thread while they run. Its reads cannot miss what those writes add: an EAN is valid
    # on one line of a file only, and the variant check finds a variant of an earlier line in
    # the file's registry before it looks in the catalog. While the file is transformed, the
    # records come as the transformation writes them (`_pending`).
    ahead = one_ahead(_pending(product_import, transformation), None, frame_of)
    with ThreadPoolExecutor(max_workers=1) as pool:
        previous: tuple[int, Future[Settled]] | None = None
        for (last, _), frame in ahead:
            if frame.is_empty():
                continue
            decided = decide(shop, frame, schema)
            settling = pool.submit(settle, decided, schema, registry)
            if previous is not None:
                _write_batch(product_import, *previous, progress)
            previous = (last, settling)
        if previous is not None:
            _write_batch(product_import, *previous, progress)
    # The transformation's summary, then the integration's.
    summary = several(stored_reason(product_import), _integration_summary(product_import))
    _mark(product_import, Status.COMPLETE, summary)


def _write_batch(
    product_import: ProductImport,
    last: int,
    settling: Future[Settled],
    progress: Progress | None,
) -> None:
    with transaction.atomic():
        _integrate_batch(product_import, settling.result(), last)
    if progress:
        progress(product_import)


def _integrate_batch(product_import: ProductImport, settled: Settled, last: int) -> None:
    """Write a settled batch of records, their outcomes and counters, and the checkpoint:
    `last`, the position of the batch's last record."""
    done = write(settled)
    issues = {row: json_text([issue_json(issue)]) for row, issue in done.issues.items()}
    outcomes = done.frame.select(
        pl.lit(product_import.id, pl.Int64).alias("product_import_id"),
        "line",
        "outcome",
        "product_id",
        pl.col("sku").str.slice(0, 40).alias("shop_sku"),
        pl.col("ean").str.slice(0, 20),
        pl.col("category").alias("category_code"),
        pl.col("row").replace_strict(issues, default="[]", return_dtype=pl.String).alias("issues"),
    )
    insert_frame(ProductIntegration._meta.db_table, outcomes)
    counts: dict[str, int] = dict(done.frame["outcome"].value_counts().iter_rows())
    outcome = ProductIntegration.Outcome
    product_import.products_created += counts.get(outcome.CREATED.value, 0)
    product_import.products_matched += counts.get(outcome.MATCHED.value, 0)
    product_import.products_updated += counts.get(outcome.UPDATED.value, 0)
    product_import.products_invalid += counts.get(outcome.INVALID.value, 0)
    product_import.checkpoint_line = last
    product_import.heartbeat_at = timezone.now()
    product_import.save(
        update_fields=[
            "products_created",
            "products_matched",
            "products_updated",
            "products_invalid",
            "checkpoint_line",
            "heartbeat_at",
            "last_updated",
        ]
    )


def _integration_summary(product_import: ProductImport) -> Reason:
    counts = {
        "created": product_import.products_created,
        "matched": product_import.products_matched,
        "updated": product_import.products_updated,
        "invalid": product_import.products_invalid,
    }
    if product_import.products_invalid:
        return Reason("products-integrated-with-errors", counts)
    return Reason("products-integrated", counts)
