"""The offer settings' seller API: OF61 (offer conditions), SH31 (logistic classes)."""

from django.http import HttpRequest
from ninja import Query, Router

from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.offers import schemas, selectors

router = Router(tags=["Platform Settings"])


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
