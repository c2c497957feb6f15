"""Reading uploads within `MERCATO_MAX_UPLOAD_BYTES`, before anything is stored.

A body that declares a size over the limit is refused before it is read. A body that does
not declare one (or lies) is stopped by an upload handler as soon as it goes over.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from mercato.errors import DomainError, InvalidInput
from mercato.imports.models import ImportMode

# The multipart envelope (boundaries, part headers, the small form fields) around the file:
# a file just under the limit must not be refused because of it.
MULTIPART_OVERHEAD = 64 * 1024
_MB = 1024 * 1024


class UploadTooLarge(DomainError):
    status = 413
    code = "upload_too_large"


def _size(n: int) -> str:
    return f"{n / _MB:g} MB" if n >= _MB else f"{n} bytes"


def too_large(limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"The upload is larger than the {_size(limit)} allowed: split it into several files."
    )


def check_declared_length(request: HttpRequest, limit: int, overhead: int = 0) -> None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        declared = int(raw) if raw else None
    except ValueError:
        raise InvalidInput(f"Invalid Content-Length header '{raw}'.") from None
    if declared is not None and declared > limit + overhead:
        raise too_large(limit)


class SizeLimitHandler(FileUploadHandler):
    """First of the upload handlers: stops the upload once its files exceed `limit` bytes,
    before the handlers after it keep any more of it."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            # connection_reset: do not read the rest of an oversized body only to drop it.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def read_body(request: HttpRequest) -> bytes:
    """A raw request body (OF24's JSON) of at most the upload limit."""
    limit = settings.MERCATO_MAX_UPLOAD_BYTES
    check_declared_length(request, limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    return body


@dataclass(frozen=True)
class OfferUpload:
    """OF01's multipart form."""

    file: UploadedFile
    file_name: str
    mode: str


def _form_text(raw: str) -> str:
    """A form value; a JSON string (`"NORMAL"`, as the contract's curl sample sends) too."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            decoded = json.loads(text)
        except ValueError:
            return text
        return decoded if isinstance(decoded, str) else text
    return text


def form_bool(form: dict[str, str], name: str) -> bool:
    text = _form_text(form.get(name, "")).lower()
    if text in ("", "false"):
        return False
    if text == "true":
        return True
    raise InvalidInput(f"Parameter '{name}' must be true or false, got '{form[name]}'.")


def _parse_offer_form(form: dict[str, str], file: UploadedFile | None) -> OfferUpload:
    mode = _form_text(form.get("import_mode", "")) or ImportMode.NORMAL
    errors = []
    if mode not in ImportMode.values:
        errors.append(
            f"Parameter 'import_mode' must be NORMAL, REPLACE or PARTIAL_UPDATE, got '{mode}'."
        )
    form_bool(form, "operator_format")  # checked; mercato has a single offer format
    if form_bool(form, "with_products"):
        errors.append(
            "Parameter 'with_products': importing products with offers is not supported yet; "
            "send the offers alone."
        )
    errors += file_errors(file)
    if errors or file is None:
        raise InvalidInput(" ".join(errors))
    return OfferUpload(file=file, file_name=file.name or "offers", mode=mode)


def file_errors(file: UploadedFile | None) -> list[str]:
    """What is wrong with an upload's `file` part: missing or empty."""
    if file is None:
        return ["The request has no file: send it as the multipart/form-data part 'file'."]
    if file.size == 0:
        return [f"The file '{file.name}' is empty."]
    return []


def guarded_form(request: HttpRequest) -> tuple[UploadedFile | None, dict[str, str]]:
    """A multipart request's `file` part and its other fields, read only once the size
    limit (MERCATO_MAX_UPLOAD_MB) is known to hold."""
    limit = settings.MERCATO_MAX_UPLOAD_BYTES
    check_declared_length(request, limit, MULTIPART_OVERHEAD)
    guard = SizeLimitHandler(request, limit)
    request.upload_handlers.insert(0, guard)
    files, form = request.FILES, request.POST
    if guard.exceeded:
        raise too_large(limit)
    return files.get("file"), form.dict()


def offer_upload(request: HttpRequest) -> OfferUpload:
    """OF01's form, read only once the size limit is known to hold."""
    file, form = guarded_form(request)
    return _parse_offer_form(form, file)


def multipart_body(file_description: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of an upload: the `file` part and the form `fields`."""
    file_part = {"type": "string", "format": "binary", "description": file_description}
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": file_part, **fields},
                }
            }
        },
    }
