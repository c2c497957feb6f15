"""Importer par fichier and Suivi des imports: sending an offer file, following its progress
live (htmx polls a running import's row), its errors with the guide's cause and fix, and the
error report to download."""

import tempfile
from itertools import islice

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercato.backoffice import pending_uploads
from mercato.backoffice.forms import (
    OFFERS_AND_PRODUCTS,
    PRODUCTS,
    OfferImportForm,
    ReplaceConfirmForm,
)
from mercato.backoffice.language import error_text, message_locale
from mercato.backoffice.product_import_views import common_product_errors, product_import_rows
from mercato.backoffice.seller import seller_page
from mercato.errors import DomainError
from mercato.imports.models import ImportMode, ImportOrigin
from mercato.imports.reports import error_report_filename, write_error_report
from mercato.imports.selectors import import_errors, offer_import_of
from mercato.imports.services import (
    create_combined_import,
    create_offer_import,
    create_product_import,
)
from mercato.offers.offer_errors import OFFER_MESSAGES
from mercato.offers.offer_errors import render as render_message
from mercato.offers.selectors import (
    ImportFilters,
    offer_import_page,
    offer_import_with_error_report,
    offers_absent_from,
)
from mercato.shops.models import Shop

PER_PAGE = 20
ERRORS_SHOWN = 100
_SPOOL_BYTES = 8 << 20


@seller_page
def import_offers(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = OfferImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mode = form.cleaned_data["mode"]
        try:
            if form.cleaned_data["content"] == PRODUCTS:
                return _import_products(request, shop, upload, form.operator_format)
            if form.cleaned_data["content"] == OFFERS_AND_PRODUCTS:
                with transaction.atomic():
                    offer_import, created = create_combined_import(
                        shop,
                        content=upload,
                        file_name=upload.name or "offers-products",
                        mode=mode,
                        operator_format=form.operator_format,
                        origin=ImportOrigin.FRONT,
                    )
                _announce(request, offer_import.id, created)
                return redirect("backoffice:imports")
            if mode == ImportMode.REPLACE:
                return _confirm_replace(request, shop, pending_uploads.keep_upload(shop, upload))
            with transaction.atomic():
                offer_import, created = create_offer_import(
                    shop,
                    content=upload,
                    file_name=upload.name or "offers",
                    mode=mode,
                    origin=ImportOrigin.FRONT,
                )
        except DomainError as error:
            form.add_error("file", error_text(error))
        else:
            _announce(request, offer_import.id, created)
            return redirect("backoffice:imports")
    return render(request, "backoffice/import.html", {"form": form})


def _import_products(
    request: HttpRequest, shop: Shop, upload: UploadedFile, operator_format: bool
) -> HttpResponse:
    """A product file: transformed (the shop's mapping, unless in the operator's format),
    then integrated; the import mode is the offers' and does not apply."""
    with transaction.atomic():
        product_import = create_product_import(
            shop,
            content=upload,
            file_name=upload.name or "products",
            operator_format=operator_format,
            origin=ImportOrigin.FRONT,
        )
    messages.success(
        request, _("Import de produits n°%(id)s en cours.") % {"id": product_import.id}
    )
    return redirect("backoffice:imports")


def _announce(request: HttpRequest, import_id: int, created: bool) -> None:
    if created:
        messages.success(request, _("Import n°%(id)s en cours.") % {"id": import_id})
    else:
        messages.info(
            request, _("Ce fichier est déjà en cours d'import (n°%(id)s).") % {"id": import_id}
        )


def _confirm_replace(
    request: HttpRequest, shop: Shop, upload: pending_uploads.PendingUpload
) -> HttpResponse:
    try:
        deleted = offers_absent_from(shop, pending_uploads.file_skus(upload))
    except DomainError:
        pending_uploads.discard(upload)
        raise
    return render(
        request,
        "backoffice/import_replace.html",
        {
            "form": ReplaceConfirmForm(initial={"token": upload.token}),
            "file_name": upload.file_name,
            "deleted": deleted,
        },
    )


@require_POST
@seller_page
def confirm_replace(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = ReplaceConfirmForm(request.POST)
    if not form.is_valid():
        return redirect("backoffice:import")
    upload = pending_uploads.pending_upload(shop, form.cleaned_data["token"])
    if "cancel" in request.POST:
        pending_uploads.discard(upload)
        messages.info(request, _("Import annulé : aucune offre n'a été modifiée."))
        return redirect("backoffice:import")
    with transaction.atomic(), upload.path.open("rb") as content:
        offer_import, created = create_offer_import(
            shop,
            content=content,
            file_name=upload.file_name,
            mode=ImportMode.REPLACE,
            origin=ImportOrigin.FRONT,
        )
    pending_uploads.discard(upload)
    _announce(request, offer_import.id, created)
    return redirect("backoffice:imports")


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@seller_page
def import_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    number = _page_number(request)
    offset = (number - 1) * PER_PAGE
    page = offer_import_page(shop, ImportFilters(), offset=offset, limit=PER_PAGE)
    product_rows, more_products = product_import_rows(shop, offset, PER_PAGE)
    return render(
        request,
        "backoffice/imports.html",
        {
            "page": page,
            "number": number,
            "has_next": page.has_next or more_products,
            "product_rows": product_rows,
            "common_errors": _common_errors(),
            "common_product_errors": common_product_errors(),
        },
    )


def _common_errors() -> list[tuple[str, str]]:
    """The guide's common offer errors (chapter 3-B): the message, its cause and fix."""
    english = message_locale().startswith("en")
    return [
        (m.en if english else m.fr, m.fix_en if english else m.fix_fr)
        for m in OFFER_MESSAGES.values()
        if m.fix_fr
    ]


@seller_page
def import_row(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponse:
    """One import's row, polled by htmx while the import waits or runs."""
    return render(
        request,
        "backoffice/_import_row.html",
        {"imp": offer_import_of(shop, import_id), "compact": request.GET.get("compact") == "1"},
    )


@seller_page
def import_detail(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponse:
    offer_import = offer_import_of(shop, import_id)
    locale = message_locale()
    english = locale.startswith("en")
    errors = [
        (
            error.line,
            [
                (
                    issue["column"],
                    render_message(issue["code"], locale, **issue.get("params", {})),
                    _fix(issue["code"], english),
                )
                for issue in error.issues
            ],
        )
        for error in islice(import_errors(offer_import), ERRORS_SHOWN)
    ]
    return render(
        request,
        "backoffice/import_detail.html",
        {"imp": offer_import, "errors": errors, "shown": ERRORS_SHOWN},
    )


def _fix(code: str, english: bool) -> str:
    message = OFFER_MESSAGES.get(code)
    if message is None:
        return ""
    return message.fix_en if english else message.fix_fr


@seller_page
def error_report(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponseBase:
    offer_import = offer_import_with_error_report(shop, import_id)
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (handed on)
    content_type = write_error_report(offer_import, out, message_locale())
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=error_report_filename(offer_import),
        content_type=content_type,
    )
