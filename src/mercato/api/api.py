"""The seller API, mounted at /api: Mirakl's seller contract where it covers an operation."""

from django.http import HttpRequest
from ninja import NinjaAPI

import mercato
from mercato.api import errors
from mercato.api.auth import ShopApiKey

api = NinjaAPI(
    title="mercato seller API",
    version=mercato.__version__,
    description="Mirakl-compatible seller API. Authenticate with your raw API key in the "
    "`Authorization` header; `shop_id` selects one of your shops, `locale` "
    "(fr_FR, en_US, es_ES) the language of labels.",
    auth=ShopApiKey(),
    urls_namespace="api",
)
errors.install(api)


@api.get("/version", auth=None, operation_id="V01", summary="V01 - Health Check endpoint")
def version(request: HttpRequest) -> dict[str, str]:
    return {"version": mercato.__version__}
