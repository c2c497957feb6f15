"""Writes on imports: receiving a file, and running the import. Callers own the transaction,
except `run_offer_import`, a job that commits batch by batch (see `pipeline`)."""

import hashlib
import io
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from mercato.errors import InvalidInput
from mercato.imports import pipeline
from mercato.imports.models import ImportMode, ImportOrigin, ImportStatus, OfferImport
from mercato.shops.models import Shop

_COPY_CHUNK = 1 << 20


def _store(content: File | BinaryIO, shop: Shop, file_name: str) -> tuple[str, str, int]:
    """Copy the upload under MEDIA_ROOT; its relative path, sha256 and size."""
    relative = (
        Path("imports") / str(shop.id) / f"{uuid.uuid4().hex}-{get_valid_filename(file_name)}"
    )
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    chunks = (
        content.chunks(_COPY_CHUNK)
        if isinstance(content, File)
        else iter(lambda: content.read(_COPY_CHUNK), b"")
    )
    with target.open("wb") as out:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return str(relative), digest.hexdigest(), size


def create_offer_import(
    shop: Shop,
    *,
    content: File | BinaryIO,
    file_name: str,
    mode: str = ImportMode.NORMAL,
    origin: str = ImportOrigin.API,
    enqueue: bool = True,
) -> tuple[OfferImport, bool]:
    """Store a file for import and queue its work once the caller's transaction commits
    (unless `enqueue` is false: the caller runs it itself, as the command line does).

    The same file sent again by the shop while its first import waits or runs gets that
    first import back (created False), as Mirakl answers a duplicate request.
    """
    if mode not in ImportMode.values:
        raise InvalidInput(f"Unknown import mode '{mode}': use {', '.join(ImportMode.values)}.")
    relative, sha256, size = _store(content, shop, file_name or "offers")
    pending = OfferImport.objects.filter(
        shop=shop,
        file_sha256=sha256,
        mode=mode,
        status__in=(ImportStatus.WAITING, ImportStatus.RUNNING),
    ).first()
    if pending is not None:
        (Path(settings.MEDIA_ROOT) / relative).unlink()
        return pending, False
    offer_import = OfferImport.objects.create(
        shop=shop,
        mode=mode,
        origin=origin,
        file_name=file_name[:255],
        file_path=relative,
        file_sha256=sha256,
        file_size=size,
    )
    if enqueue:
        transaction.on_commit(lambda: enqueue_offer_import(offer_import.id))
    return offer_import, True


def create_offer_import_from_json(shop: Shop, raw: bytes) -> OfferImport:
    """OF24: the JSON offers become an offer file with every column of the shop, so that
    what an offer does not send is reset, as the contract says; then the same import."""
    from mercato.offers.export import export_layout
    from mercato.offers.json_offers import offers_file

    content = offers_file(raw, export_layout(shop).columns)
    offer_import, _ = create_offer_import(
        shop, content=io.BytesIO(content), file_name="offers.json.csv", origin=ImportOrigin.API
    )
    return offer_import


def enqueue_offer_import(import_id: int) -> None:
    from mercato.imports.tasks import offer_import_task

    offer_import_task.enqueue(import_id)


def run_offer_import(import_id: int, progress: pipeline.Progress | None = None) -> None:
    """Do the import now (a job, or the command line); safe to call again."""
    pipeline.run(import_id, progress)


def recover_offer_imports() -> list[int]:
    """Queue again the imports whose worker is gone (killed, restarted): they resume."""
    stale = timezone.now() - pipeline.stale_after()
    ids = list(
        OfferImport.objects.filter(status=ImportStatus.RUNNING)
        .exclude(heartbeat_at__gt=stale)
        .values_list("id", flat=True)
    )
    # Back to WAITING (its checkpoint kept) so that the next sweep does not queue it twice.
    OfferImport.objects.filter(id__in=ids).update(status=ImportStatus.WAITING, heartbeat_at=None)
    for import_id in ids:
        enqueue_offer_import(import_id)
    return ids
