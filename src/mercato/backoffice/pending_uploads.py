"""A REPLACE upload kept aside until the seller confirms it.

REPLACE deletes the shop's offers that the file leaves out: the seller is told how many before
anything is queued. The file waits under MEDIA_ROOT/backoffice-pending/<shop>/ under a random
token, so that the confirmation sends no file again; it is removed once imported or cancelled,
or after a day without an answer.
"""

import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from mercato.errors import NotFound
from mercato.imports.readers import open_source
from mercato.shops.models import Shop

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_SEPARATOR = "--"
ABANDONED_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PendingUpload:
    token: str
    path: Path
    file_name: str


def _folder(shop: Shop) -> Path:
    return Path(settings.MEDIA_ROOT) / "backoffice-pending" / str(shop.id)


def keep_upload(shop: Shop, upload: UploadedFile) -> PendingUpload:
    token = uuid.uuid4().hex
    file_name = get_valid_filename(upload.name or "offers.csv")
    path = _folder(shop) / f"{token}{_SEPARATOR}{file_name}"
    path.parent.mkdir(parents=True, exist_ok=True)
    _forget_abandoned(path.parent)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return PendingUpload(token, path, file_name)


def pending_upload(shop: Shop, token: str) -> PendingUpload:
    """The shop's upload kept under `token`; another shop's token is not found."""
    if _TOKEN.match(token):
        for path in _folder(shop).glob(f"{token}{_SEPARATOR}*"):
            return PendingUpload(token, path, path.name.split(_SEPARATOR, 1)[1])
    raise NotFound("This file is no longer waiting for confirmation: send it again.")


def file_skus(upload: PendingUpload) -> set[str]:
    """The skus the file carries (UnreadableFile when it cannot be read)."""
    source = open_source(upload.path, upload.file_name)
    return {line.cells.get("sku", "").strip() for line in source.lines()} - {""}


def discard(upload: PendingUpload) -> None:
    upload.path.unlink(missing_ok=True)


def _forget_abandoned(folder: Path) -> None:
    """Files left unconfirmed for a day: the seller went away; nobody will confirm them."""
    too_old = time.time() - ABANDONED_AFTER_SECONDS
    for path in folder.glob(f"*{_SEPARATOR}*"):
        if path.stat().st_mtime < too_old:
            path.unlink(missing_ok=True)
