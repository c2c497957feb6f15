"""Writes on imports: receiving a file, and running the import. Callers own the transaction,
except `run_offer_import` and `run_product_import`, jobs that commit batch by batch (see
`pipeline` and `product_pipeline`)."""

import hashlib
import io
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from mercato.errors import InvalidInput
from mercato.imports import combined, pipeline, product_pipeline
from mercato.imports.models import (
    ImportMode,
    ImportOrigin,
    ImportStatus,
    OfferImport,
    ProductImport,
    ProductImportStatus,
)
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


def _check_mode(mode: str) -> None:
    if mode not in ImportMode.values:
        raise InvalidInput(f"Unknown import mode '{mode}': use {', '.join(ImportMode.values)}.")


def _pending(
    shop: Shop, stored: tuple[str, str, int], mode: str, **same: object
) -> OfferImport | None:
    """The shop's import of the same file that still waits or runs; the new copy is then
    dropped."""
    relative, sha256, _size = stored
    pending = OfferImport.objects.filter(
        shop=shop,
        file_sha256=sha256,
        mode=mode,
        status__in=(ImportStatus.WAITING, ImportStatus.RUNNING),
        **same,
    ).first()
    if pending is not None:
        (Path(settings.MEDIA_ROOT) / relative).unlink()
    return pending


def _offer_import(
    shop: Shop,
    stored: tuple[str, str, int],
    file_name: str,
    mode: str,
    origin: str,
    product_import: ProductImport | None = None,
) -> OfferImport:
    return OfferImport.objects.create(
        shop=shop,
        mode=mode,
        origin=origin,
        product_import=product_import,
        **_file_fields(stored, file_name),
    )


def _file_fields(stored: tuple[str, str, int], file_name: str) -> dict[str, object]:
    """An import's fields that name its stored file (`stored`: path, sha256, size)."""
    relative, sha256, size = stored
    return {
        "file_name": file_name[:255],
        "file_path": relative,
        "file_sha256": sha256,
        "file_size": size,
    }


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
    _check_mode(mode)
    stored = _store(content, shop, file_name or "offers")
    # The same bytes sent with products are another import.
    pending = _pending(shop, stored, mode, product_import__isnull=True)
    if pending is not None:
        return pending, False
    offer_import = _offer_import(shop, stored, file_name, mode, origin)
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


def enqueue_offer_import(import_id: int, after: timedelta | None = None) -> None:
    from mercato.imports.tasks import offer_import_task

    if after is None:
        offer_import_task.enqueue(import_id)
    else:
        offer_import_task.using(run_after=timezone.now() + after).enqueue(import_id)


def run_offer_import(import_id: int, progress: pipeline.Progress | None = None) -> None:
    """Do the import now (a job, or the command line); safe to call again. While another
    import of the shop runs, it stays WAITING and is queued again, to start after it."""
    try:
        pipeline.run(import_id, progress)
    except pipeline.ShopBusy:
        enqueue_offer_import(import_id, after=pipeline.BUSY_RETRY)


def recover_offer_imports() -> list[int]:
    """Queue again the imports whose worker is gone (killed, restarted): they resume. An
    offer import still waiting on a finished product import (its worker died in between)
    is handed over now."""
    for product_import_id in combined.stranded():
        _release_offers(product_import_id)
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


# --- product imports -----------------------------------------------------------------------


def create_product_import(
    shop: Shop,
    *,
    content: File | BinaryIO,
    file_name: str,
    operator_format: bool = False,
    origin: str = ImportOrigin.API,
    enqueue: bool = True,
) -> ProductImport:
    """Store a product file and queue its transformation once the caller's transaction commits."""
    relative, sha256, size = _store(content, shop, file_name or "products")
    product_import = _product_import(
        shop, (relative, sha256, size), file_name or "products", operator_format, origin
    )
    if enqueue:
        transaction.on_commit(lambda: enqueue_product_import(product_import.id))
    return product_import


def _product_import(
    shop: Shop, stored: tuple[str, str, int], file_name: str, operator_format: bool, origin: str
) -> ProductImport:
    return ProductImport.objects.create(
        shop=shop,
        origin=origin,
        operator_format=operator_format,
        **_file_fields(stored, file_name),
    )


def create_combined_import(
    shop: Shop,
    *,
    content: File | BinaryIO,
    file_name: str,
    mode: str = ImportMode.NORMAL,
    operator_format: bool = False,
    origin: str = ImportOrigin.API,
    enqueue: bool = True,
) -> tuple[OfferImport, bool]:
    """OF01 with products: the file stored once, a product import queued, and an offer import
    linked to it that waits until the products are integrated (see `combined`). The same file
    sent again while its first import waits or runs gets that first import back."""
    _check_mode(mode)
    name = file_name or "offers-products"
    stored = _store(content, shop, name)
    pending = _pending(shop, stored, mode, product_import__operator_format=operator_format)
    if pending is not None:
        return pending, False
    product_import = _product_import(shop, stored, name, operator_format, origin)
    offer_import = _offer_import(shop, stored, name, mode, origin, product_import)
    if enqueue:
        transaction.on_commit(lambda: enqueue_product_import(product_import.id))
    return offer_import, True


def enqueue_product_import(import_id: int) -> None:
    from mercato.imports.tasks import product_import_task

    product_import_task.enqueue(import_id)


def run_product_import(import_id: int, progress: product_pipeline.Progress | None = None) -> None:
    """Transform and integrate now (a job, or the command line); safe to call again. The
    offer imports of a combined file that waited on it are queued once it is final."""
    product_pipeline.run(import_id, progress)
    _release_offers(import_id)


def _release_offers(product_import_id: int) -> None:
    for offer_import_id in combined.release(product_import_id):
        transaction.on_commit(partial(enqueue_offer_import, offer_import_id))


def recover_product_imports() -> list[int]:
    """Queue again the product imports whose worker is gone: they resume where they were."""
    stale = timezone.now() - product_pipeline.stale_after()
    # SENT too: the job that transformed the file goes on to integrate it, unless it died.
    running = ProductImport.objects.filter(
        status__in=(
            ProductImportStatus.TRANSFORMATION_RUNNING,
            ProductImportStatus.SENT,
            ProductImportStatus.RUNNING,
        )
    ).exclude(heartbeat_at__gt=stale)
    ids = list(running.values_list("id", flat=True))
    # Back to a waiting status (checkpoint kept), the heartbeat set to now: the next sweep
    # does not queue them again before they could be taken up.
    now = timezone.now()
    waiting = {
        ProductImportStatus.TRANSFORMATION_RUNNING: ProductImportStatus.TRANSFORMATION_WAITING,
        ProductImportStatus.SENT: ProductImportStatus.SENT,
        ProductImportStatus.RUNNING: ProductImportStatus.SENT,
    }
    for status, back_to in waiting.items():
        ProductImport.objects.filter(id__in=ids, status=status).update(
            status=back_to, heartbeat_at=now
        )
    for import_id in ids:
        enqueue_product_import(import_id)
    return ids
