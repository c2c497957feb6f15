"""The offers' seller API: imports (OF01 OF02 OF03 OF04 OF24), reads (OF21 OF22 OF26) and
the offer settings (OF61 offer conditions, SH31 logistic classes)."""

import tempfile
from datetime import datetime
from functools import partial
from typing import Any, Literal

from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from mercato.api import params, uploads
from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.errors import InvalidInput
from mercato.imports.models import ImportOrigin
from mercato.imports.reports import error_report_filename, write_error_report
from mercato.imports.selectors import offer_import_of
from mercato.imports.services import (
    create_combined_import,
    create_offer_import,
    create_offer_import_from_json,
)
from mercato.offers import json_offers, schemas, selectors

router = Router(tags=["Platform Settings"])

ImportStatusParam = Literal[
    "WAITING_SYNCHRONIZATION_PRODUCT", "WAITING", "RUNNING", "COMPLETE", "FAILED"
]
# PARTIAL_UPDATE is deprecated by the contract, and still imported: it can be filtered on.
ImportModeParam = Literal["NORMAL", "REPLACE", "PARTIAL_UPDATE"]
ImportOriginParam = Literal["API", "FTP", "SFTP", "HTTP", "HTTPS", "FRONT", "PENDING_OFFERS"]
# A report is spooled to disk past this size rather than held in memory while it streams.
REPORT_MEMORY_BYTES = 8 * 1024 * 1024


def _with_body(body: dict[str, Any]) -> dict[str, Any]:
    return {**SHOP_QUERY_PARAMETERS, "requestBody": body}


OF01_BODY = uploads.multipart_body(
    "The offer file (CSV, XLSX or XML).",
    {
        "import_mode": {
            "type": "string",
            "enum": ["NORMAL", "REPLACE", "PARTIAL_UPDATE"],
            "default": "NORMAL",
        },
        "operator_format": {"type": "boolean", "default": False},
        "with_products": {
            "type": "boolean",
            "default": False,
            "description": "true: the file also carries the products of its "
            "offers (the guide's 'Offres et Produits' file). They are imported "
            "first (product_import_id, followed by P42); the offer import waits "
            "until they are integrated, then imports the offers on them.",
        },
    },
)
OF24_BODY = {
    "required": True,
    "content": {"application/json": {"schema": json_offers.request_schema()}},
}


class OfferImportCreatedOut(Schema):
    import_id: int
    # With products only: the product import of the same file (P42 follows it).
    product_import_id: int | None = None


def _import_created(response: HttpResponse, import_id: int) -> Status[schemas.ImportCreatedOut]:
    # The contract's Location: where to follow the import (OF02).
    response["Location"] = f"/api/offers/imports/{import_id}"
    return Status(201, schemas.ImportCreatedOut(import_id=import_id))


def _offer_form(request: HttpRequest) -> tuple[uploads.OfferUpload, bool, bool]:
    """OF01's form, and its operator_format and with_products flags.

    `uploads.offer_upload` refuses with_products=true (written before products could come
    with offers): the form is read here behind the same size guard, and with_products taken
    out before the rest of it is checked there.
    """
    file, form = uploads.guarded_form(request)
    try:
        with_products = uploads.form_bool(form, "with_products")
    except InvalidInput:
        with_products = False  # reported with the form's other errors below
    else:
        form.pop("with_products", None)
    upload = uploads._parse_offer_form(form, file)
    return upload, uploads.form_bool(form, "operator_format"), with_products


@router.post(
    "/offers/imports",
    response={201: OfferImportCreatedOut},
    operation_id="OF01",
    summary="OF01 - Import a file to create, update or delete offers",
    tags=["Offers"],
    openapi_extra=_with_body(OF01_BODY),
    exclude_none=True,
)
def import_offers(request: HttpRequest, response: HttpResponse) -> Status[OfferImportCreatedOut]:
    context = shop_context(request)
    upload, operator_format, with_products = _offer_form(request)
    create = partial(create_combined_import, operator_format=operator_format)
    with transaction.atomic():
        offer_import, _created = (create if with_products else create_offer_import)(
            context.shop,
            content=upload.file,
            file_name=upload.file_name,
            mode=upload.mode,
            origin=ImportOrigin.API,
        )
    response["Location"] = f"/api/offers/imports/{offer_import.id}"
    return Status(
        201,
        OfferImportCreatedOut(
            import_id=offer_import.id, product_import_id=offer_import.product_import_id
        ),
    )


@router.post(
    "/offers",
    response={201: schemas.ImportCreatedOut},
    operation_id="OF24",
    summary="OF24 - Create, update, or delete offers",
    tags=["Offers"],
    openapi_extra=_with_body(OF24_BODY),
)
def upsert_offers(request: HttpRequest, response: HttpResponse) -> Status[schemas.ImportCreatedOut]:
    context = shop_context(request)
    raw = uploads.read_body(request)
    with transaction.atomic():
        offer_import = create_offer_import_from_json(context.shop, raw)
    return _import_created(response, offer_import.id)


class ImportsQuery(Schema):
    start_date: datetime | None = Field(None, description="Created at or after.")
    end_date: datetime | None = Field(None, description="Created at or before.")
    status: ImportStatusParam | None = None
    mode: ImportModeParam | None = None
    origins: list[ImportOriginParam] | None = Field(None, description="Repeat for several.")
    limit: int = Field(10, ge=1, le=100, description="Imports per page (1 to 100).")
    page_token: str | None = Field(None, description="next_page_token or previous_page_token.")


@router.get(
    "/offers/imports",
    response=schemas.OfferImportsOut,
    operation_id="OF04",
    summary="OF04 - Get information and statistics about offer imports",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer_imports(request: HttpRequest, query: Query[ImportsQuery]) -> schemas.OfferImportsOut:
    context = shop_context(request)
    filters = selectors.ImportFilters(
        status=query.status,
        mode=query.mode,
        origins=list(query.origins) if query.origins else None,
        start_date=params.aware(query.start_date),
        end_date=params.aware(query.end_date),
    )
    page = selectors.offer_import_page(
        context.shop,
        filters,
        offset=schemas.decode_page_token(query.page_token),
        limit=query.limit,
    )
    return schemas.offer_imports_out(page, context.locale)


@router.get(
    "/offers/imports/{int:import}",
    response=schemas.OfferImportOut,
    operation_id="OF02",
    summary="OF02 - Get information and statistics about an offer import",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer_import(
    request: HttpRequest, import_id: int = Path(..., alias="import")
) -> schemas.OfferImportOut:
    context = shop_context(request)
    return schemas.offer_import_out(offer_import_of(context.shop, import_id), context.locale)


@router.get(
    "/offers/imports/{int:import}/error_report",
    operation_id="OF03",
    summary="OF03 - Get the error report file for an offer import",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer_import_error_report(
    request: HttpRequest, import_id: int = Path(..., alias="import")
) -> FileResponse:
    context = shop_context(request)
    offer_import = selectors.offer_import_with_error_report(context.shop, import_id)
    out = tempfile.SpooledTemporaryFile(max_size=REPORT_MEMORY_BYTES)  # noqa: SIM115 (FileResponse closes it)
    content_type = write_error_report(offer_import, out, context.locale)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=error_report_filename(offer_import),
        content_type=content_type,
    )


@router.get(
    "/offers",
    response=schemas.OffersOut,
    operation_id="OF21",
    summary="OF21 - List offers of a shop",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offers(
    request: HttpRequest,
    offer_state_codes: str | None = Query(None, description="Comma-separated state codes."),
    sku: str | None = Query(None, description="Offer's sku"),
    product_id: str | None = Query(None, description="Product's sku"),
    favorite: bool = Query(False, description="Only favorite offers (mercato has none)."),
    pricing_channel_code: str | None = Query(None, description="The channel to price on."),
    pricing_customer_organization_id: str | None = Query(
        None, description="Customer pricing is not offered: ignored, as for an unknown value."
    ),
    max: int = Query(10, ge=1, le=100, description="Offers per page (1 to 100)."),
    offset: int = Query(0, ge=0, le=schemas.MAX_OFFSET, description="Offers to skip."),
) -> schemas.OffersOut:
    context = shop_context(request)
    filters = selectors.OfferFilters(
        state_codes=[c.strip() for c in (offer_state_codes or "").split(",") if c.strip()],
        sku=sku or None,
        product_sku=product_id or None,
        favorite=favorite,
    )
    page = selectors.offer_page(
        context.shop,
        filters,
        offset=offset,
        limit=max,
        pricing_channel_code=pricing_channel_code or None,
    )
    return schemas.offers_out(page, context.locale, context.language)


@router.get(
    "/offers/{int:offer}",
    response=schemas.OfferOut,
    operation_id="OF22",
    summary="OF22 - Get information about an offer",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer(
    request: HttpRequest,
    offer_id: int = Path(..., alias="offer"),
    pricing_channel_code: str | None = Query(None, description="The channel to price on."),
    pricing_customer_organization_id: str | None = Query(
        None, description="Customer pricing is not offered: ignored, as for an unknown value."
    ),
) -> schemas.OfferOut:
    context = shop_context(request)
    view = selectors.offer_of(context.shop, offer_id, pricing_channel_code or None)
    return schemas.offer_out(view, context.locale, context.language)


@router.get(
    "/offers/{int:offer}/quantity",
    response=schemas.OfferQuantityOut,
    operation_id="OF26",
    summary="OF26 - Get the quantity of stock available for an offer.",
    tags=["Offers"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer_quantity(
    request: HttpRequest, offer_id: int = Path(..., alias="offer")
) -> schemas.OfferQuantityOut:
    context = shop_context(request)
    found_id, quantity = selectors.available_quantity(context.shop, offer_id)
    return schemas.OfferQuantityOut(offer_id=found_id, quantity=quantity)


@router.get(
    "/offers/states",
    response=schemas.OfferStatesOut,
    operation_id="OF61",
    summary="OF61 - List offer conditions",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def offer_states(
    request: HttpRequest,
    active: bool | None = Query(
        None, description="true: only active conditions; false: only inactive ones."
    ),
) -> schemas.OfferStatesOut:
    context = shop_context(request)
    return schemas.offer_states_out(selectors.offer_states(active), context.language)


@router.get(
    "/shipping/logistic_classes",
    response=schemas.LogisticClassesOut,
    operation_id="SH31",
    summary="SH31 - List all logistic classes",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def logistic_classes(request: HttpRequest) -> schemas.LogisticClassesOut:
    context = shop_context(request)
    return schemas.logistic_classes_out(selectors.logistic_classes(), context.language)
