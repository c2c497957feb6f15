"""The product imports' seller API: P41 (import), P42 and P51 (track), P44 P45 P46 P47
(the import's files)."""

import tempfile
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any, Literal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from mercato.api import params, uploads
from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.errors import InvalidInput, NotFound
from mercato.imports import product_reports as reports
from mercato.imports.models import ImportOrigin, ProductImport
from mercato.imports.product_pipeline import stored
from mercato.imports.reasons import DEFAULT_LOCALE, reason_text
from mercato.imports.selectors import (
    has_error_report,
    has_new_product_report,
    has_transformation_error_report,
    has_transformed_file,
    integrated_count,
    product_import_of,
    product_imports,
    rejected_count,
)
from mercato.imports.services import create_product_import

router = Router(tags=["Products"])

REPORT_MEMORY_BYTES = 8 * 1024 * 1024
StatusParam = Literal[
    "TRANSFORMATION_WAITING",
    "TRANSFORMATION_RUNNING",
    "TRANSFORMATION_FAILED",
    "WAITING",
    "RUNNING",
    "SENT",
    "COMPLETE",
    "CANCELLED",
    "FAILED",
]

P41_BODY = uploads.multipart_body(
    "The product file (CSV, XLSX or XML).",
    {
        "conversion_type": {
            "type": "string",
            "enum": ["STANDARD"],
            "description": "Only the standard conversion (the shop's mapping).",
        },
        "operator_format": {
            "type": "boolean",
            "default": False,
            "description": "true: the file is in the operator's format, the "
            "shop's mapping is not applied.",
        },
    },
)


class ImportCreatedOut(Schema):
    import_id: int


class IntegrationDetailsOut(Schema):
    # The three counters left at 0 count products against an operator system's
    # synchronisation and a review deadline, which mercato has neither of.
    invalid_products: int
    products_not_accepted_in_time: int = 0
    products_not_synchronized_in_time: int = 0
    products_reimported: int
    products_successfully_synchronized: int
    products_with_synchronization_issues: int = 0
    products_with_wrong_identifiers: int
    rejected_products: int


class ProductImportOut(Schema):
    date_created: datetime
    has_error_report: bool
    has_new_product_report: bool
    has_transformation_error_report: bool
    has_transformed_file: bool
    import_id: int
    import_status: str
    integration_details: IntegrationDetailsOut
    reason_status: str | None
    shop_id: int
    transform_lines_in_error: int
    transform_lines_in_success: int
    transform_lines_read: int
    transform_lines_with_warning: int


class ProductImportsOut(Schema):
    product_import_trackings: list[ProductImportOut]
    total_count: int


def product_import_out(
    product_import: ProductImport, locale: str = DEFAULT_LOCALE
) -> ProductImportOut:
    return ProductImportOut(
        date_created=product_import.date_created,
        has_error_report=has_error_report(product_import),
        has_new_product_report=has_new_product_report(product_import),
        has_transformation_error_report=has_transformation_error_report(product_import),
        has_transformed_file=has_transformed_file(product_import),
        import_id=product_import.id,
        import_status=product_import.status,
        integration_details=IntegrationDetailsOut(
            invalid_products=product_import.products_invalid,
            # Their EAN was in the catalog already: matched, or the shop's own sent again.
            products_reimported=product_import.products_matched + product_import.products_updated,
            products_successfully_synchronized=integrated_count(product_import),
            products_with_wrong_identifiers=product_import.products_wrong_identifiers,
            rejected_products=rejected_count(product_import),
        ),
        reason_status=reason_text(product_import, locale) or None,
        shop_id=product_import.shop_id,
        transform_lines_in_error=product_import.transform_lines_in_error,
        transform_lines_in_success=product_import.transform_lines_in_success,
        transform_lines_read=product_import.transform_lines_read,
        transform_lines_with_warning=product_import.transform_lines_with_warning,
    )


def _product_upload(request: HttpRequest) -> tuple[UploadedFile, bool]:
    file, form = uploads.guarded_form(request)
    operator_format = uploads.form_bool(form, "operator_format")
    conversion = form.get("conversion_type", "").strip().strip('"')
    if conversion not in ("", "STANDARD"):
        raise InvalidInput(
            f"Parameter 'conversion_type': {conversion} is not supported; send STANDARD or "
            "leave it out."
        )
    if errors := uploads.file_errors(file):
        raise InvalidInput(" ".join(errors))
    assert file is not None
    return file, operator_format


@router.post(
    "/products/imports",
    response={201: ImportCreatedOut},
    operation_id="P41",
    summary="P41 - Import products to the operator information system",
    openapi_extra={**SHOP_QUERY_PARAMETERS, "requestBody": P41_BODY},
)
def import_products(request: HttpRequest, response: HttpResponse) -> Status[ImportCreatedOut]:
    context = shop_context(request)
    file, operator_format = _product_upload(request)
    with transaction.atomic():
        product_import = create_product_import(
            context.shop,
            content=file,
            file_name=file.name or "products",
            operator_format=operator_format,
            origin=ImportOrigin.API,
        )
    response["Location"] = f"/api/products/imports/{product_import.id}"
    return Status(201, ImportCreatedOut(import_id=product_import.id))


class ImportsQuery(Schema):
    last_request_date: datetime | None = Field(None, description="Changed at or after.")
    status: StatusParam | None = None
    has_transformed_file: bool | None = None
    max: int = Field(10, ge=1, le=100, description="Imports per page (1 to 100).")
    offset: int = Field(0, ge=0, description="Imports to skip.")
    sort: Literal["dateCreated"] = "dateCreated"
    order: Literal["asc", "desc"] = "asc"


@router.get(
    "/products/imports",
    response=ProductImportsOut,
    operation_id="P51",
    summary="P51 - Get information about product import statuses",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def list_product_imports(request: HttpRequest, query: Query[ImportsQuery]) -> ProductImportsOut:
    context = shop_context(request)
    imports = product_imports(
        context.shop,
        status=query.status,
        changed_since=params.aware(query.last_request_date),
        has_transformed_file=query.has_transformed_file,
        newest_first=query.order == "desc",
    )
    page = imports[query.offset : query.offset + query.max]
    return ProductImportsOut(
        product_import_trackings=[product_import_out(i, context.locale) for i in page],
        total_count=imports.count(),
    )


@router.get(
    "/products/imports/{int:import}",
    response=ProductImportOut,
    operation_id="P42",
    summary="P42 - Get the import status for a product import",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def product_import(request: HttpRequest, import_id: int = Path(..., alias="import")) -> Any:
    context = shop_context(request)
    return product_import_out(product_import_of(context.shop, import_id), context.locale)


def _file_response(write: Callable[[IO[bytes]], str], filename: str) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=REPORT_MEMORY_BYTES)  # noqa: SIM115 (FileResponse closes it)
    content_type = write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=content_type)


def _unavailable(product_import: ProductImport, what: str) -> NotFound:
    return NotFound(
        f"Product import {product_import.id} has no {what} (status {product_import.status}): "
        "see has_error_report, has_new_product_report, has_transformation_error_report and "
        "has_transformed_file in P42."
    )


@router.get(
    "/products/imports/{int:import}/transformation_error_report",
    operation_id="P47",
    summary="P47 - Get the transformation error report file for a product import "
    '("Source file error report")',
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def transformation_error_report(
    request: HttpRequest, import_id: int = Path(..., alias="import")
) -> FileResponse:
    context = shop_context(request)
    found = product_import_of(context.shop, import_id)
    if not has_transformation_error_report(found):
        raise _unavailable(found, "transformation error report")
    return _file_response(
        lambda out: reports.write_transformation_report(found, out, context.locale),
        reports.transformation_report_filename(found),
    )


@router.get(
    "/products/imports/{int:import}/transformed_file",
    operation_id="P46",
    summary='P46 - Get the transformed file for a product import ("File in operator format")',
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def transformed_file(
    request: HttpRequest, import_id: int = Path(..., alias="import")
) -> FileResponse:
    context = shop_context(request)
    found = product_import_of(context.shop, import_id)
    if not has_transformed_file(found):
        raise _unavailable(found, "transformed file")
    return FileResponse(
        stored(found.transformed_path).open("rb"),
        as_attachment=True,
        filename=reports.report_filename(found, "transformed"),
        content_type="text/csv; charset=utf-8",
    )


@router.get(
    "/products/imports/{int:import}/error_report",
    operation_id="P44",
    summary="P44 - Get the error report file for a product import "
    '("Non-integrated products report")',
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def error_report(request: HttpRequest, import_id: int = Path(..., alias="import")) -> FileResponse:
    context = shop_context(request)
    found = product_import_of(context.shop, import_id)
    if not has_error_report(found):
        raise _unavailable(found, "error report")
    return _file_response(
        lambda out: reports.write_non_integrated_report(found, out, context.locale),
        reports.report_filename(found, "errors"),
    )


@router.get(
    "/products/imports/{int:import}/new_product_report",
    operation_id="P45",
    summary="P45 - Get the product integration report file for a product import "
    '("Added products report")',
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def new_product_report(
    request: HttpRequest, import_id: int = Path(..., alias="import")
) -> FileResponse:
    context = shop_context(request)
    found = product_import_of(context.shop, import_id)
    if not has_new_product_report(found):
        raise _unavailable(found, "new product report")
    return _file_response(
        lambda out: reports.write_added_report(found, out, context.locale),
        reports.report_filename(found, "new-products"),
    )
