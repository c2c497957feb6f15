"""Product imports in Suivi des imports: their status and counters, updated live while they
are transformed and integrated; their files (P47, P46, P44, P45) written by the same report
writers as the API's, in the seller's language; each line's errors with the guide's cause
and fix. And the product file template to download (Importer par fichier)."""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation

from mercato.backoffice.forms import TEMPLATE_CSV, TemplateForm
from mercato.backoffice.language import localized_label, message_locale
from mercato.backoffice.seller import seller_page
from mercato.catalog.product_errors import (
    CATEGORY_NOT_MAPPED,
    FIELD_COUNT,
    NO_CATEGORY_COLUMN,
    NOT_IN_LIST,
    NOT_INTEGER,
    NOT_NUMERIC,
    REQUIRED,
    UNKNOWN_CATEGORY,
    explain,
)
from mercato.catalog.product_errors import render as render_error
from mercato.catalog.product_template import write_csv_template, write_product_template
from mercato.catalog.selectors import category_tree
from mercato.imports import product_reports as reports
from mercato.imports.models import ProductImport, ProductImportStatus
from mercato.imports.product_pipeline import stored
from mercato.imports.selectors import (
    has_error_report,
    has_new_product_report,
    has_transformation_error_report,
    has_transformed_file,
    non_integrated,
    product_import_of,
    product_imports,
)
from mercato.imports.selectors import transformation_lines as lines_of
from mercato.shops.models import Shop

ERRORS_SHOWN = 100
_SPOOL_BYTES = 8 << 20
# The guide's product error codes (chapter 3-A), shown with their cause and fix.
COMMON_CODES = (
    REQUIRED,
    UNKNOWN_CATEGORY,
    FIELD_COUNT,
    NO_CATEGORY_COLUMN,
    CATEGORY_NOT_MAPPED,
    NOT_IN_LIST,
    NOT_INTEGER,
    NOT_NUMERIC,
)
# While an import is in one of these, its row polls for its progress.
IN_PROGRESS = (
    ProductImportStatus.TRANSFORMATION_WAITING,
    ProductImportStatus.TRANSFORMATION_RUNNING,
    ProductImportStatus.WAITING,
    ProductImportStatus.RUNNING,
    ProductImportStatus.SENT,
)


@dataclass(frozen=True)
class ProductImportRow:
    """A product import and which of its files exist now."""

    imp: ProductImport
    in_progress: bool
    transformation_report: bool
    transformed_file: bool
    error_report: bool
    added_report: bool


def _row(product_import: ProductImport) -> ProductImportRow:
    return ProductImportRow(
        product_import,
        product_import.status in IN_PROGRESS,
        has_transformation_error_report(product_import),
        has_transformed_file(product_import),
        has_error_report(product_import),
        has_new_product_report(product_import),
    )


def product_import_rows(shop: Shop, offset: int, limit: int) -> tuple[list[ProductImportRow], bool]:
    """A page of the shop's product imports, newest first; and whether more follow."""
    found = list(product_imports(shop, newest_first=True)[offset : offset + limit + 1])
    return [_row(imp) for imp in found[:limit]], len(found) > limit


def common_product_errors() -> list[tuple[int, str, str]]:
    """The guide's common product errors: code, message (its blanks as …), cause and fix."""
    locale = message_locale()
    return [
        (code, render_error(code, locale, "…", "…"), explain(code, locale)) for code in COMMON_CODES
    ]


@seller_page
def product_import_row(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponse:
    """One product import's row, polled by htmx while it is transformed or integrated."""
    return render(
        request,
        "backoffice/_product_import_row.html",
        {"row": _row(product_import_of(shop, import_id))},
    )


def _issues(issues: list[dict[str, object]], locale: str) -> list[tuple[str, str, str]]:
    return [
        (
            str(issue.get("column", "")),
            render_error(int(str(issue["code"])), locale, *list(issue.get("args") or [])),  # type: ignore[call-overload]
            explain(int(str(issue["code"])), locale),
        )
        for issue in issues
    ]


LineErrors = tuple[int, list[tuple[str, str, str]]]


def _line_errors(product_import: ProductImport, locale: str) -> Iterator[LineErrors]:
    """The lines with issues: transformation errors and warnings, then integration refusals."""
    for line in lines_of(product_import):
        yield line.line, _issues([*line.errors, *line.warnings], locale)
    for integration in non_integrated(product_import):
        if integration.issues:
            yield integration.line, _issues(integration.issues, locale)


@seller_page
def product_import_detail(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponse:
    product_import = product_import_of(shop, import_id)
    errors = list(islice(_line_errors(product_import, message_locale()), ERRORS_SHOWN + 1))
    return render(
        request,
        "backoffice/product_import_detail.html",
        {
            "row": _row(product_import),
            "errors": errors[:ERRORS_SHOWN],
            "more": len(errors) > ERRORS_SHOWN,
            "shown": ERRORS_SHOWN,
        },
    )


def _report(write: Callable[[IO[bytes]], str], filename: str) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (handed on)
    content_type = write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=content_type)


def _available(shop: Shop, import_id: int, check: Callable[[ProductImport], bool]) -> ProductImport:
    product_import = product_import_of(shop, import_id)
    if not check(product_import):
        raise Http404("This import has no such file now.")
    return product_import


@seller_page
def transformation_report(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponseBase:
    """P47: the lines with errors or warnings, as sent, with their issues."""
    found = _available(shop, import_id, has_transformation_error_report)
    locale = message_locale()
    return _report(
        lambda out: reports.write_transformation_report(found, out, locale),
        reports.transformation_report_filename(found),
    )


@seller_page
def transformed_file(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponseBase:
    """P46: the lines that passed, in the operator's format."""
    found = _available(shop, import_id, has_transformed_file)
    return FileResponse(
        stored(found.transformed_path).open("rb"),
        as_attachment=True,
        filename=reports.report_filename(found, "transformed"),
        content_type="text/csv; charset=utf-8",
    )


@seller_page
def non_integrated_report(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponseBase:
    """P44: products refused at integration or rejected by the operator since."""
    found = _available(shop, import_id, has_error_report)
    locale = message_locale()
    return _report(
        lambda out: reports.write_non_integrated_report(found, out, locale),
        reports.report_filename(found, "errors"),
    )


@seller_page
def added_report(request: HttpRequest, shop: Shop, import_id: int) -> HttpResponseBase:
    """P45: products created, matched or updated, with their review status and quality."""
    found = _available(shop, import_id, has_new_product_report)
    return _report(
        lambda out: reports.write_added_report(found, out, message_locale()),
        reports.report_filename(found, "new-products"),
    )


def _category_choices() -> list[tuple[str, str]]:
    return [
        (
            node.category.code,
            "\u2003" * (node.level - 1)
            + localized_label(node.category.label, node.category.labels),
        )
        for node in category_tree()
    ]


@seller_page
def product_template(request: HttpRequest, shop: Shop) -> HttpResponseBase:
    """The template of the chosen category (every attribute without one), as a workbook or
    a CSV file, with the offer columns for an "Offres et produits" file if asked."""
    form = TemplateForm(request.GET or None, categories=_category_choices())
    if not form.is_valid():
        return render(request, "backoffice/product_template.html", {"form": form})
    category = form.cleaned_data["category"] or None
    csv = form.cleaned_data["file_format"] == TEMPLATE_CSV
    with_offers = form.cleaned_data["with_offers"]
    language = translation.get_language() or "fr"
    name = f"product-template-{category or 'all'}{'-offers' if with_offers else ''}"
    if csv:
        return _report(lambda out: _write_csv(out, category, with_offers), f"{name}.csv")
    return _report(
        lambda out: _write_template(out, category, language, with_offers),
        f"{name}.xlsx",
    )


def _write_template(out: IO[bytes], category: str | None, language: str, with_offers: bool) -> str:
    write_product_template(out, category, language, with_offers=with_offers)
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write_csv(out: IO[bytes], category: str | None, with_offers: bool) -> str:
    write_csv_template(out, category, with_offers=with_offers)
    return "text/csv; charset=utf-8"
