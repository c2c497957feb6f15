"""The catalog's seller API: H11, PM11, VL11, P31."""

from django.http import HttpRequest
from ninja import Query, Router

from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.api.params import product_references_param
from mercato.catalog import schemas, selectors

router = Router(tags=["Products"])

# A number of levels: negative makes no sense, 0 keeps only the requested level.
MAX_LEVEL = "Number of child category levels to retrieve (0 or more)."


@router.get(
    "/hierarchies",
    response=schemas.HierarchiesOut,
    operation_id="H11",
    summary="H11 - List Catalog categories (parents and children) related to a Catalog category",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def hierarchies(
    request: HttpRequest,
    hierarchy: str | None = Query(None, description="Catalog category code"),
    max_level: int | None = Query(None, ge=0, description=MAX_LEVEL),
) -> schemas.HierarchiesOut:
    context = shop_context(request)
    nodes = selectors.category_tree(hierarchy, max_level)
    return schemas.hierarchies_out(nodes, context.language)


@router.get(
    "/products/attributes",
    response=schemas.AttributesOut,
    operation_id="PM11",
    summary="PM11 - Get the product attribute configuration",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def product_attributes(
    request: HttpRequest,
    hierarchy: str | None = Query(None, description="Category whose attributes to retrieve."),
    max_level: int | None = Query(None, ge=0, description=MAX_LEVEL),
    # Every attribute is visible to sellers here, so "all operator attributes" is all of them.
    all_operator_attributes: bool = False,
    with_roles: bool = Query(False, description="Only the attributes that have roles."),
) -> schemas.AttributesOut:
    context = shop_context(request)
    attachments = selectors.product_attributes(hierarchy, max_level, with_roles)
    return schemas.attributes_out(attachments, context.language)


@router.get(
    "/values_lists",
    response=schemas.ValuesListsOut,
    operation_id="VL11",
    summary="VL11 - Get information about operator's value lists",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def values_lists(
    request: HttpRequest,
    code: str | None = Query(None, description="The operator's values list code."),
) -> schemas.ValuesListsOut:
    context = shop_context(request)
    return schemas.values_lists_out(selectors.values_lists(code), context.language)


@router.get(
    "/products",
    response=schemas.ProductsOut,
    operation_id="P31",
    summary="P31 - Get products for a list of product references",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def products_by_reference(
    request: HttpRequest,
    product_references: str | None = Query(
        None,
        description="`<type>|<id>` items separated by commas, e.g. EAN|3000000000007 "
        "(at most 100; types EAN, UPC, ISBN). Required unless `products` is given.",
    ),
    products: str | None = Query(
        None, deprecated=True, description="`<id>|<type>` items separated by commas."
    ),
) -> schemas.ProductsOut:
    context = shop_context(request)
    references = product_references_param(product_references, products)
    identifiers = selectors.live_products_by_reference(references)
    return schemas.products_out(identifiers, context.locale, context.language)
