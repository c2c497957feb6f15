"""Running an offer import: file checks, then the lines in bounded, checkpointed batches.

The job owns its transactions, one per batch: each batch's offers, its line errors, the
counters and the checkpoint commit together, so a worker killed in the middle leaves no
half-applied batch, and the import resumes after the last committed line. Everything that
can fail the whole file (encoding, format, header) is checked before the first batch, so a
FAILED import has applied nothing.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mercato.imports.models import ImportMode, ImportStatus, OfferImport, OfferImportError
from mercato.imports.readers import FileFormat, SourceFile, SourceLine, UnreadableFile, open_source
from mercato.offers.bulk import refresh_statistics
from mercato.offers.importing import (
    BatchContext,
    BatchOutcome,
    apply_offer_batch,
    delete_offers,
    known_offers,
    mark_seen,
    offer_rules,
    replace_leftovers,
)
from mercato.offers.validation import (
    OfferIssue,
    OfferLine,
    OfferRules,
    check_header,
    rules_signature,
    validate_line,
)

logger = logging.getLogger(__name__)

BATCH_LINES = 2000
# New offers between two refreshes of the database's statistics on the offers table.
ANALYZE_EVERY = 50_000
MAX_ATTEMPTS = 3

Progress = Callable[[OfferImport], None]


class ImportFailed(Exception):
    """The file as a whole is refused; the reason is for the seller."""


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
        _finish(offer_import, ImportStatus.FAILED, getattr(error, "message", str(error)))
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
        if offer_import.attempts >= MAX_ATTEMPTS:
            _mark(
                offer_import,
                ImportStatus.FAILED,
                f"The import stopped {offer_import.attempts} times before its end; the lines "
                f"up to line {offer_import.checkpoint_line} are applied. Send the file again.",
            )
            return None
        offer_import.status = ImportStatus.RUNNING
        offer_import.attempts += 1
        offer_import.started_at = offer_import.started_at or now
        offer_import.heartbeat_at = now
        offer_import.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    return offer_import


def _release(offer_import: OfferImport) -> None:
    """Let the next worker take the import up at once rather than once stale."""
    OfferImport.objects.filter(id=offer_import.id, status=ImportStatus.RUNNING).update(
        heartbeat_at=None
    )


def _mark(offer_import: OfferImport, status: str, reason: str) -> None:
    offer_import.status = status
    offer_import.reason_status = reason
    offer_import.finished_at = timezone.now()
    offer_import.save(update_fields=["status", "reason_status", "finished_at"])


def _finish(offer_import: OfferImport, status: str, reason: str) -> None:
    with transaction.atomic():
        _mark(offer_import, status, reason)


@dataclass
class _Run:
    offer_import: OfferImport
    source: SourceFile
    rules: OfferRules
    context: BatchContext
    duplicates: set[bytes]
    fingerprint: bytes  # the header and the rules: a line hashes alike only under both
    sku_index: int

    def sku(self, line: SourceLine) -> str:
        index = self.sku_index
        return line.values[index].strip() if index < len(line.values) else ""


def _run(offer_import: OfferImport, progress: Progress | None) -> None:
    run = _prepare(offer_import)
    analyzed_at = offer_import.offer_inserted
    for batch in _batches(run.source.lines(), offer_import.checkpoint_line):
        with transaction.atomic():
            outcome = _apply(run, batch)
            _record(offer_import, batch, outcome)
        if offer_import.offer_inserted - analyzed_at >= ANALYZE_EVERY:
            refresh_statistics()
            analyzed_at = offer_import.offer_inserted
        if progress:
            progress(offer_import)
    if offer_import.offer_inserted > analyzed_at:
        refresh_statistics()
    if offer_import.mode == ImportMode.REPLACE:
        _delete_leftovers(run)
    _finish(offer_import, ImportStatus.COMPLETE, _summary(offer_import))


def _prepare(offer_import: OfferImport) -> _Run:
    path = import_path(offer_import)
    if not path.exists():
        raise ImportFailed("The imported file is no longer stored: send it again.")
    source = open_source(path, offer_import.file_name)
    shop = offer_import.shop
    rules = offer_rules(shop, accept_labels=source.format is FileFormat.XLSX)
    reasons = check_header(source.header, rules)
    if reasons:
        raise ImportFailed(" ".join(reasons))
    sku_index = source.header.index("sku")
    duplicates = _duplicated_skus(source.lines(), sku_index)
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
        repr((source.header, rules_signature(rules))).encode(), digest_size=32
    ).digest()
    return _Run(offer_import, source, rules, context, duplicates, fingerprint, sku_index)


def _sku_key(sku: str) -> bytes:
    # 8-byte digests keep a million skus in a few tens of MB; a collision would only make
    # two distinct skus look duplicated, with odds far below one in a billion per file.
    return hashlib.blake2b(sku.encode(), digest_size=8).digest()


def _duplicated_skus(lines: Iterable[SourceLine], sku_index: int) -> set[bytes]:
    seen: set[bytes] = set()
    duplicated: set[bytes] = set()
    for line in lines:
        sku = line.values[sku_index].strip() if sku_index < len(line.values) else ""
        if sku:
            key = _sku_key(sku)
            if key in seen:
                duplicated.add(key)
            seen.add(key)
    return duplicated


def _batches(lines: Iterator[SourceLine], checkpoint: int) -> Iterator[list[SourceLine]]:
    pending = (line for line in lines if line.line > checkpoint)
    while batch := list(islice(pending, BATCH_LINES)):
        yield batch


def _apply(run: _Run, batch: list[SourceLine]) -> BatchOutcome:
    """Validate and apply one batch; every refused line with its issues."""
    issues: dict[int, list[OfferIssue]] = {}
    valid: list[OfferLine] = []
    digests: dict[int, str] = {}
    known = known_offers(run.context.shop, (run.sku(x) for x in batch))
    unchanged = 0
    for source_line in batch:
        found = _line_issues(run, source_line)
        digest = _digest(run, source_line)
        offer = known.get(run.sku(source_line))
        if not found and digest and offer is not None and offer.row_hash == digest:
            unchanged += 1  # the very line that last set this offer: nothing to check or do
            continue
        offer_line, line_issues = validate_line(
            source_line.line, source_line.cells, run.rules, run.offer_import.mode
        )
        found.extend(line_issues)
        if found:
            issues[source_line.line] = found
        elif offer_line is not None:
            valid.append(offer_line)
            digests[source_line.line] = digest
    outcome = apply_offer_batch(valid, run.context, known, digests)
    outcome.unchanged += unchanged
    for line, found in outcome.issues.items():
        issues.setdefault(line, []).extend(found)
    if run.offer_import.mode == ImportMode.REPLACE:
        mark_seen(run.context.shop, {run.sku(x) for x in batch} - {""}, run.offer_import.id)
    _store_errors(run.offer_import, batch, issues)
    outcome.issues = issues
    return outcome


def _line_issues(run: _Run, line: SourceLine) -> list[OfferIssue]:
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
    sku = run.sku(line)
    if sku and _sku_key(sku) in run.duplicates:
        found.append(OfferIssue(line.line, "sku", "sku-duplicated"))
    return found


def _digest(run: _Run, line: SourceLine) -> str:
    """The line as sent, under this file's header and today's rules; "" in PARTIAL_UPDATE,
    whose lines only say part of an offer."""
    if run.offer_import.mode == ImportMode.PARTIAL_UPDATE:
        return ""
    raw = "\x1f".join(line.values[: len(run.source.header)]).encode()
    return hashlib.blake2b(raw, digest_size=16, key=run.fingerprint).hexdigest()


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


def _record(offer_import: OfferImport, batch: list[SourceLine], outcome: BatchOutcome) -> None:
    failed = len(outcome.issues)
    offer_import.lines_read += len(batch)
    offer_import.lines_in_error += failed
    offer_import.lines_in_success += len(batch) - failed
    offer_import.offer_inserted += outcome.inserted
    offer_import.offer_updated += outcome.updated
    offer_import.offer_deleted += outcome.deleted
    offer_import.checkpoint_line = batch[-1].line
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


def _delete_leftovers(run: _Run) -> None:
    offer_import = run.offer_import
    if offer_import.lines_in_success == 0:
        raise ImportFailed(
            "REPLACE import with no valid line: no offer was deleted. Fix the lines of the "
            "error report and send the file again."
        )
    while leftovers := replace_leftovers(run.context.shop, offer_import.id, BATCH_LINES):
        with transaction.atomic():
            deleted = delete_offers(leftovers, run.context.now)
            OfferImport.objects.filter(id=offer_import.id).update(
                offer_deleted=F("offer_deleted") + deleted, heartbeat_at=timezone.now()
            )
        offer_import.offer_deleted += deleted


def _summary(offer_import: OfferImport) -> str:
    if offer_import.lines_in_error:
        return (
            f"{offer_import.lines_in_error} of {offer_import.lines_read} lines in error: "
            "download the error report to fix them."
        )
    return f"{offer_import.lines_read} lines integrated."
