"""Running an offer import: file checks, then the lines in bounded, checkpointed batches.

The job owns its transactions, one per batch: each batch's offers, its line errors, the
counters and the checkpoint commit together, so a worker killed in the middle leaves no
half-applied batch, and the import resumes after the last committed line. Everything that
can fail the whole file (encoding, format, header) is checked before the first batch, so a
FAILED import has applied nothing.
"""

import hashlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mercato.imports.frames import Chunk, chunks, chunks_again, one_ahead
from mercato.imports.models import ImportMode, ImportStatus, OfferImport
from mercato.imports.offer_lines import ImportRun, apply_chunk, sort, stage_lines, work
from mercato.imports.readers import FileFormat, UnreadableFile, open_source
from mercato.imports.reasons import ImportFailed, Reason, set_reason, several
from mercato.offers.bulk import refresh_statistics
from mercato.offers.importing import BatchContext, BatchOutcome, delete_offers, offer_rules
from mercato.offers.staging import Stage
from mercato.offers.validation import check_header, rules_signature
from mercato.shops.models import Shop

logger = logging.getLogger(__name__)

# Lines applied and committed together (CSV files also cut every BLOCK_BYTES).
BATCH_LINES = settings.MERCATO_IMPORT_BATCH_LINES
BLOCK_BYTES = 4 << 20
# New offers after which the database's statistics on the offers table are refreshed.
ANALYZE_EVERY = 50_000
MAX_ATTEMPTS = 3
# Chunks sorted out ahead of the one being written: checking a chunk and writing one take
# about as long, and two ahead absorb their unevenness (a million new offers in-process:
# 4.47-4.63 s, against 4.62-4.74 s one ahead; three ahead were no better).
AHEAD = 2
# Offers a REPLACE import deletes per transaction.
LEFTOVERS_BATCH = 2000
# How long an import waits before trying again while another import of its shop runs.
BUSY_RETRY = timedelta(seconds=5)

Progress = Callable[[OfferImport], None]


class ShopBusy(Exception):
    """Another import of the shop is running. A shop's imports apply one at a time: two
    files of the same skus applied at once would interleave their batches, and the older
    file could overwrite the newer one's prices and stock."""


def stale_after() -> timedelta:
    """A RUNNING import whose heartbeat is older than this has lost its worker."""
    return timedelta(seconds=settings.MERCATO_IMPORT_STALE_SECONDS)


def import_path(offer_import: OfferImport) -> Path:
    return Path(settings.MEDIA_ROOT) / offer_import.file_path


def run(import_id: int, progress: Progress | None = None) -> None:
    """Run (or resume) an import; does nothing if it is finished or another worker has it."""
    offer_import = _claim(import_id)
    if offer_import is None:
        return
    try:
        _run(offer_import, progress)
    except (UnreadableFile, ImportFailed) as error:
        _finish(offer_import, ImportStatus.FAILED, error.reason)
    except Exception:
        logger.exception("Offer import %s stopped on an unexpected error", import_id)
        _release(offer_import)
        raise


def _claim(import_id: int) -> OfferImport | None:
    now = timezone.now()
    with transaction.atomic():
        offer_import = OfferImport.objects.select_for_update().filter(id=import_id).first()
        if offer_import is None or offer_import.status in (
            ImportStatus.COMPLETE,
            ImportStatus.FAILED,
        ):
            return None
        heartbeat = offer_import.heartbeat_at
        if (
            offer_import.status == ImportStatus.RUNNING
            and heartbeat
            and now - heartbeat < stale_after()
        ):
            return None  # another worker is on it
        if _shop_busy(offer_import, now):
            raise ShopBusy
        if offer_import.attempts >= MAX_ATTEMPTS:
            stopped = Reason(
                "offer-import-stopped",
                {"attempts": offer_import.attempts, "line": offer_import.checkpoint_line},
            )
            _mark(offer_import, ImportStatus.FAILED, stopped)
            return None
        offer_import.begin(ImportStatus.RUNNING, now)
    return offer_import


def _shop_busy(offer_import: OfferImport, now: datetime) -> bool:
    """Another import of the shop runs (its worker alive). The shop's row is locked first,
    so that two workers claiming two imports of one shop see each other's claim."""
    Shop.objects.select_for_update().filter(id=offer_import.shop_id).first()
    return (
        OfferImport.objects.filter(
            shop_id=offer_import.shop_id,
            status=ImportStatus.RUNNING,
            heartbeat_at__gt=now - stale_after(),
        )
        .exclude(id=offer_import.id)
        .exists()
    )


def _release(offer_import: OfferImport) -> None:
    """Let the next worker take the import up at once rather than once stale."""
    OfferImport.objects.filter(id=offer_import.id, status=ImportStatus.RUNNING).update(
        heartbeat_at=None
    )


def _mark(offer_import: OfferImport, status: str, reason: Reason) -> None:
    offer_import.status = status
    offer_import.finished_at = timezone.now()
    offer_import.save(update_fields=["status", "finished_at", *set_reason(offer_import, reason)])


def _finish(offer_import: OfferImport, status: str, reason: Reason) -> None:
    with transaction.atomic():
        _mark(offer_import, status, reason)


def _run(offer_import: OfferImport, progress: Progress | None) -> None:
    run = _prepare(offer_import)
    try:
        stage_lines(run, _chunks(run), partial(_beat, offer_import))
        inserted_before = offer_import.offer_inserted
        pending = (c for c in _chunks_again(run) if c.last_line > offer_import.checkpoint_line)
        for chunk, sorted_out in one_ahead(
            pending, partial(work, run), partial(sort, run), ahead=AHEAD
        ):
            with transaction.atomic():
                outcome, lines = apply_chunk(run, sorted_out, run.sizes[chunk.first_line])
                _record(offer_import, lines, chunk.last_line, outcome)
            if progress:
                progress(offer_import)
        if offer_import.offer_inserted - inserted_before >= ANALYZE_EVERY:
            refresh_statistics()
        if offer_import.mode == ImportMode.REPLACE:
            _delete_leftovers(run)
    finally:
        run.stage.drop()
    _finish(offer_import, ImportStatus.COMPLETE, _summary(offer_import))


def _prepare(offer_import: OfferImport) -> ImportRun:
    path = import_path(offer_import)
    if not path.exists():
        raise ImportFailed("file-missing")
    source = open_source(path, offer_import.file_name)
    shop = offer_import.shop
    rules = offer_rules(shop, accept_labels=source.format is FileFormat.XLSX)
    reasons = check_header(source.header, rules)
    if reasons:
        raise ImportFailed(several(*reasons))
    offer_import.columns = source.header
    offer_import.file_format = source.format.value
    offer_import.save(update_fields=["columns", "file_format"])
    context = BatchContext(
        shop=shop,
        mode=offer_import.mode,
        columns=frozenset(source.header),
        rules=rules,
        import_id=offer_import.id,
        now=timezone.now(),
    )
    fingerprint = hashlib.blake2b(
        repr((source.header, rules_signature(rules))).encode(), digest_size=8
    ).digest()
    return ImportRun(
        offer_import,
        source,
        rules,
        context,
        Stage(offer_import.id, key_ranges(path, source.format)),
        int.from_bytes(fingerprint),
        source.header.index("sku"),
    )


# How many times larger than its file a spreadsheet's lines are: XLSX is zipped XML.
_INFLATION = {FileFormat.XLSX: 10}


def key_ranges(path: Path, file_format: FileFormat) -> int:
    """Key ranges to sort the lines out by: one per MERCATO_IMPORT_STAGE_BYTES of file."""
    size = path.stat().st_size * _INFLATION.get(file_format, 1)
    return 1 + max(size - 1, 0) // settings.MERCATO_IMPORT_STAGE_BYTES


def _chunks(run: ImportRun) -> Iterator[Chunk]:
    return chunks(
        run.source,
        import_path(run.offer_import),
        chunk_lines=BATCH_LINES,
        block_bytes=BLOCK_BYTES,
    )


def _chunks_again(run: ImportRun) -> Iterator[Chunk]:
    """The chunks of the second pass: where the first found them, when it could tell."""
    if run.spans is None:
        return _chunks(run)
    return chunks_again(run.source, import_path(run.offer_import), run.spans)


def _beat(offer_import: OfferImport) -> None:
    """Tell other workers that this one is still on the import."""
    offer_import.heartbeat_at = timezone.now()
    OfferImport.objects.filter(id=offer_import.id).update(heartbeat_at=offer_import.heartbeat_at)


def _record(offer_import: OfferImport, lines: int, last_line: int, outcome: BatchOutcome) -> None:
    failed = len(outcome.issues)
    offer_import.lines_read += lines
    offer_import.lines_in_error += failed
    offer_import.lines_in_success += lines - failed
    offer_import.offer_inserted += outcome.inserted
    offer_import.offer_updated += outcome.updated
    offer_import.offer_deleted += outcome.deleted
    offer_import.checkpoint_line = last_line
    offer_import.heartbeat_at = timezone.now()
    offer_import.save(
        update_fields=[
            "lines_read",
            "lines_in_error",
            "lines_in_success",
            "offer_inserted",
            "offer_updated",
            "offer_deleted",
            "checkpoint_line",
            "heartbeat_at",
        ]
    )


def _delete_leftovers(run: ImportRun) -> None:
    offer_import = run.offer_import
    if offer_import.lines_in_success == 0:
        raise ImportFailed("replace-no-valid-line")
    while leftovers := run.stage.offers_not_carried(run.context.shop.id, LEFTOVERS_BATCH):
        with transaction.atomic():
            deleted = delete_offers(leftovers, run.context.now)
            OfferImport.objects.filter(id=offer_import.id).update(
                offer_deleted=F("offer_deleted") + deleted, heartbeat_at=timezone.now()
            )
        offer_import.offer_deleted += deleted


def _summary(offer_import: OfferImport) -> Reason:
    if offer_import.lines_in_error:
        return Reason(
            "lines-in-error",
            {"errors": offer_import.lines_in_error, "read": offer_import.lines_read},
        )
    return Reason("lines-integrated", {"read": offer_import.lines_read})
