"""The orders' seller API: OR11 (list orders) and OR21 (accept or refuse order lines)."""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from mercato.api import params
from mercato.api.context import SHOP_QUERY_PARAMETERS, shop_context
from mercato.errors import InvalidInput
from mercato.orders import schemas, selectors, services
from mercato.orders.models import OrderState

router = Router(tags=["Orders"])

PaymentWorkflowParam = Literal[
    "PAY_ON_ACCEPTANCE",
    "PAY_ON_DELIVERY",
    "PAY_ON_DUE_DATE",
    "PAY_ON_SHIPMENT",
    "NO_CUSTOMER_PAYMENT_CONFIRMATION",
]
MAX_ORDER_IDS = 100
MAX_OFFSET = 10**9


def _codes(raw: str | None) -> list[str]:
    return [code.strip() for code in (raw or "").split(",") if code.strip()]


class OrdersQuery(Schema):
    order_ids: str | None = Field(None, description="A comma-separated list of order ids.")
    order_state_codes: str | None = Field(
        None, description=f"A comma-separated list of order states: {', '.join(OrderState)}."
    )
    channel_codes: str | None = Field(None, description="A comma-separated list of channels.")
    only_null_channel: bool = False
    start_date: datetime | None = Field(None, description="Created at or after.")
    end_date: datetime | None = Field(None, description="Created at or before.")
    start_update_date: datetime | None = Field(None, description="Updated at or after.")
    end_update_date: datetime | None = Field(None, description="Updated at or before.")
    order_references_for_customer: str | None = Field(
        None, description="Comma-separated; mercato's orders carry none yet."
    )
    order_references_for_seller: str | None = Field(
        None, description="Comma-separated; mercato's orders carry none yet."
    )
    customer_debited: bool | None = Field(None, description="No order is debited yet.")
    payment_workflow: PaymentWorkflowParam | None = None
    has_incident: bool | None = Field(None, description="No order has an incident yet.")
    fulfillment_center_code: list[str] | None = Field(
        None, description="Repeat for several; every order ships from DEFAULT."
    )
    order_tax_mode: Literal["TAX_INCLUDED", "TAX_EXCLUDED"] | None = Field(
        None, description="Orders carry no taxes: both modes show the same amounts."
    )
    paginate: bool = Field(True, description="false: every order, max and offset ignored.")
    max: int = Field(10, ge=1, le=100, description="Orders per page (1 to 100).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Orders to skip.")
    sort: Literal["dateCreated"] = "dateCreated"
    order: Literal["asc", "desc"] = "asc"

    def filters(self) -> selectors.OrderFilters:
        order_ids = _codes(self.order_ids)
        states = _codes(self.order_state_codes)
        errors = []
        if len(order_ids) > MAX_ORDER_IDS:
            errors.append(f"Parameter 'order_ids': at most {MAX_ORDER_IDS} ids.")
        unknown = [code for code in states if code not in OrderState.values]
        if unknown:
            errors.append(
                f"Parameter 'order_state_codes': unknown {', '.join(unknown)}; "
                f"use {', '.join(OrderState.values)}."
            )
        if errors:
            raise InvalidInput(" ".join(errors))
        return selectors.OrderFilters(
            order_ids=order_ids,
            state_codes=states,
            channel_codes=_codes(self.channel_codes),
            only_null_channel=self.only_null_channel,
            start_date=params.aware(self.start_date),
            end_date=params.aware(self.end_date),
            start_update_date=params.aware(self.start_update_date),
            end_update_date=params.aware(self.end_update_date),
            references_for_customer=_codes(self.order_references_for_customer),
            references_for_seller=_codes(self.order_references_for_seller),
            customer_debited=self.customer_debited,
            payment_workflow=self.payment_workflow,
            has_incident=self.has_incident,
            fulfillment_center_codes=list(self.fulfillment_center_code or []),
        )


@router.get(
    "/orders",
    response=schemas.OrdersOut,
    operation_id="OR11",
    summary="OR11 - List orders with pagination",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def orders(request: HttpRequest, query: Query[OrdersQuery]) -> schemas.OrdersOut:
    context = shop_context(request)
    page = selectors.order_page(
        context.shop,
        query.filters(),
        offset=query.offset if query.paginate else 0,
        limit=query.max if query.paginate else None,
        newest_first=query.order == "desc",
    )
    return schemas.orders_out(page, context.language, query.order_tax_mode)


@router.put(
    "/orders/{order_id}/accept",
    response={204: None},
    operation_id="OR21",
    summary="OR21 - Accept or refuse order lines",
    openapi_extra=SHOP_QUERY_PARAMETERS,
)
def accept_order(request: HttpRequest, order_id: str, body: schemas.AcceptIn) -> Status[None]:
    context = shop_context(request)
    decisions = [None if d is None else (d.id, d.accepted) for d in body.order_lines]
    with transaction.atomic():
        services.accept_order(context.shop, order_id, decisions)
    return Status(204, None)
