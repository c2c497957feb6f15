"""The shops' seller API: A01 (the caller's shop) and CH11 (the marketplace's channels)."""

from django.http import HttpRequest
from ninja import Router

from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.shops import schemas, selectors

router = Router()


@router.get(
    "/account",
    response=schemas.AccountOut,
    operation_id="A01",
    summary="A01 - Get shop information",
    tags=["Stores"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def account(request: HttpRequest) -> schemas.AccountOut:
    context = shop_context(request)
    return schemas.account_out(selectors.shop_account(context.shop))


@router.get(
    "/channels",
    response=schemas.ChannelsOut,
    operation_id="CH11",
    summary="CH11 - List all enabled channels",
    tags=["Platform Settings"],
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def channels(request: HttpRequest) -> schemas.ChannelsOut:
    context = shop_context(request)
    return schemas.channels_out(selectors.all_channels(), context.language)
