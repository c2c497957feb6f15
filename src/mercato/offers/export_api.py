"""The shop's offers as a file in the import format, to edit and import again.

mercato's own operation (the seller contract has none for it): hidden from the contract's
documentation, which lists Mirakl's operations only.
"""

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import Query, Router

from mercato.api.context import shop_context
from mercato.offers.export import export_offers_file

router = Router(tags=["Offers"])


@router.get("/offers/export/import-format", include_in_schema=False)
def export_import_format(
    request: HttpRequest,
    format: str | None = Query(None, description="csv (default) or xlsx."),
) -> FileResponse:
    context = shop_context(request)
    with transaction.atomic():
        exported = export_offers_file(context.shop, format)
    return FileResponse(
        exported.file,
        as_attachment=True,
        filename=exported.filename,
        content_type=exported.content_type,
    )
