"""The seller API, mounted at /api: Mirakl's seller contract where it covers an operation."""

from typing import NoReturn

from django.http import HttpRequest
from ninja import NinjaAPI, Router

import mercato
from mercato.api import errors
from mercato.api.auth import ShopApiKey
from mercato.catalog.api import router as catalog_router
from mercato.errors import NotFound
from mercato.imports.product_api import router as product_imports_router
from mercato.offers.api import router as offers_router
from mercato.offers.export_api import router as export_router
from mercato.orders.api import router as orders_router
from mercato.shops.api import router as shops_router

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
api.add_router("", shops_router)
api.add_router("", catalog_router)
api.add_router("", product_imports_router)
api.add_router("", offers_router)
api.add_router("", export_router)
api.add_router("", orders_router)

# Registered last, so that it only answers paths that no operation claimed: an unknown
# path gets the API's error body rather than Django's HTML page.
unknown_paths = Router()
api.add_router("", unknown_paths)


@unknown_paths.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:path}", auth=None, include_in_schema=False
)
def unknown_path(request: HttpRequest, path: str) -> NoReturn:
    raise NotFound(f"No API operation at /api/{path}.")


@api.get(
    "/version",
    auth=None,
    operation_id="V01",
    summary="V01 - Health Check endpoint",
    tags=["Platform Settings"],
)
def version(request: HttpRequest) -> dict[str, str]:
    return {"version": mercato.__version__}
