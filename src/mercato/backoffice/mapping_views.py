"""The assistant de configuration: the shop's mapping of its own product files (columns ->
attributes, categories -> leaf categories, values -> value-list codes), the proposals for
what an import left unmapped, confirmed or corrected by the seller, and the mapping file to
download and send back. Every save goes through the mapping services: a new version."""

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercato.backoffice.forms import MappingFileForm, ProposalsForm, UnmappedItem
from mercato.backoffice.language import error_text
from mercato.backoffice.seller import seller_page
from mercato.catalog.mapping_assistant import current_mapping, merge_mapping
from mercato.catalog.mapping_files import import_mapping, write_mapping
from mercato.catalog.mapping_proposals import CATEGORY, COLUMN, VALUE
from mercato.errors import DomainError
from mercato.imports.selectors import mapping_proposals, product_import_of
from mercato.shops.models import Shop

_SPOOL_BYTES = 8 << 20


def _unmapped_items(shop: Shop, import_id: int) -> list[UnmappedItem]:
    """Each thing the import left unmapped, with the assistant's proposal when it has one."""
    unmapped = product_import_of(shop, import_id).unmapped or {}
    proposals = {(p.kind, p.attribute, p.source): p for p in mapping_proposals(shop, import_id)}
    keys = [(COLUMN, "", str(c)) for c in unmapped.get("columns", [])]
    keys += [(CATEGORY, "", str(c)) for c in unmapped.get("categories", [])]
    keys += [
        (VALUE, str(attribute), str(raw))
        for attribute, raws in (unmapped.get("values") or {}).items()
        for raw in raws
    ]
    return [UnmappedItem(kind, attribute, source, proposals.get((kind, attribute, source)))
            for kind, attribute, source in keys]  # fmt: skip


def _import_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("import", "")
    return int(raw) if raw.isdigit() else None


@seller_page
def mapping(request: HttpRequest, shop: Shop) -> HttpResponse:
    import_id = _import_id(request)
    items = _unmapped_items(shop, import_id) if import_id else []
    form = ProposalsForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = merge_mapping(shop, **form.entries())
        except DomainError as error:
            form.add_error(None, error_text(error))
        else:
            return _saved(request, saved.version)
    rows = list(zip(items, form.target_fields(), strict=True))
    return _mapping_page(request, shop, import_id, form, rows, MappingFileForm())


@seller_page
def mapping_file(request: HttpRequest, shop: Shop) -> HttpResponseBase:
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (handed on)
    write_mapping(current_mapping(shop), out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"mapping-{shop.id}.csv",
        content_type="text/csv; charset=utf-8",
    )


@require_POST
@seller_page
def upload_mapping(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = MappingFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "mapping.csv"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                with transaction.atomic():
                    saved = import_mapping(shop, path)
            except DomainError as error:
                form.add_error("file", error_text(error))
            else:
                return _saved(request, saved.version)
    return _mapping_page(request, shop, None, ProposalsForm(items=[]), [], form)


def _saved(request: HttpRequest, version: int) -> HttpResponse:
    messages.success(request, _("Mapping enregistré (version %(v)s).") % {"v": version})
    return redirect("backoffice:mapping")


def _mapping_page(
    request: HttpRequest,
    shop: Shop,
    import_id: int | None,
    form: ProposalsForm,
    rows: list[Any],
    file_form: MappingFileForm,
) -> HttpResponse:
    context = {
        "rules": current_mapping(shop),
        "import_id": import_id,
        "form": form,
        "rows": rows,
        "file_form": file_form,
    }
    return render(request, "backoffice/mapping.html", context)
