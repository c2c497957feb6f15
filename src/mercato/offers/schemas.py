"""The offers' `/api` responses, shaped as the seller contract says.

Required keys of the contract that mercato has no data for (shipping rates, shipping
deadline) are present with a null value, never left out.
"""

import base64
import binascii
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from ninja import Schema

from mercato.catalog.localization import localized, localized_text
from mercato.errors import InvalidInput
from mercato.imports.models import OfferImport
from mercato.imports.reasons import DEFAULT_LOCALE, reason_text
from mercato.offers.models import LogisticClass, OfferState
from mercato.offers.pricing import ChannelPricing
from mercato.offers.selectors import ImportPage, OfferPage, OfferView

# OF02's deprecated `type` names the format an import was read in: AUTO (mapped from a
# seller's own columns), AMAZON (an Amazon feed) or MIRAKL (the marketplace's own offer
# columns). mercato reads the marketplace's own columns only: every import is MIRAKL.
IMPORT_TYPE = "MIRAKL"
# Every offer ships from the shop's own stock: one fulfillment center.
FULFILLMENT_CENTER = "DEFAULT"
# The contract's custom field types, by the type the operator gave the field.
FIELD_TYPES = {
    "TEXT": "STRING",
    "LONG_TEXT": "TEXTAREA",
    "INTEGER": "NUMERIC",
    "DECIMAL": "NUMERIC",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "LIST": "LIST",
    "LIST_MULTIPLE_VALUES": "MULTIPLE_VALUES_LIST",
    "MEDIA": "LINK",
}
MULTIPLE_VALUES_SEPARATOR = "|"
_PAGE_PREFIX = "offset:"
MAX_OFFSET = 10**9


# --- offer settings (OF61, SH31) ---------------------------------------------------------


class OfferStateOut(Schema):
    code: str
    label: str


class OfferStatesOut(Schema):
    offer_states: list[OfferStateOut]
    total_count: int


class LogisticClassOut(Schema):
    code: str
    label: str
    description: str


class LogisticClassesOut(Schema):
    logistic_classes: list[LogisticClassOut]


def offer_states_out(states: list[OfferState], language: str) -> OfferStatesOut:
    out = [
        OfferStateOut(code=state.code, label=localized(state.label, state.labels, language))
        for state in states
    ]
    return OfferStatesOut(offer_states=out, total_count=len(out))


def logistic_classes_out(classes: list[LogisticClass], language: str) -> LogisticClassesOut:
    out = []
    for logistic_class in classes:
        label = localized(logistic_class.label, logistic_class.labels, language)
        out.append(LogisticClassOut(code=logistic_class.code, label=label, description=label))
    return LogisticClassesOut(logistic_classes=out)


# --- offer imports (OF01, OF02, OF04, OF24) ----------------------------------------------


class ImportCreatedOut(Schema):
    import_id: int


class _ImportCounters(Schema):
    date_created: datetime
    has_error_report: bool
    import_id: int
    lines_read: int
    lines_in_success: int
    lines_in_error: int
    lines_in_pending: int
    offer_inserted: int
    offer_updated: int
    offer_deleted: int
    mode: str
    status: str
    reason_status: str | None


class OfferImportOut(_ImportCounters):
    type: str


class OfferImportItemOut(_ImportCounters):
    origin: str
    shop_id: int


class OfferImportsOut(Schema):
    data: list[OfferImportItemOut]
    next_page_token: str | None
    previous_page_token: str | None


def _counters(offer_import: OfferImport, locale: str) -> dict[str, Any]:
    return {
        "date_created": offer_import.date_created,
        "has_error_report": offer_import.has_error_report,
        "import_id": offer_import.id,
        "lines_read": offer_import.lines_read,
        "lines_in_success": offer_import.lines_in_success,
        "lines_in_error": offer_import.lines_in_error,
        "lines_in_pending": offer_import.lines_in_pending,
        "offer_inserted": offer_import.offer_inserted,
        "offer_updated": offer_import.offer_updated,
        "offer_deleted": offer_import.offer_deleted,
        "mode": offer_import.mode,
        "status": offer_import.api_status,
        "reason_status": reason_text(offer_import, locale) or None,
    }


def offer_import_out(offer_import: OfferImport, locale: str = DEFAULT_LOCALE) -> OfferImportOut:
    """OF02; the reason in the caller's locale."""
    return OfferImportOut(**_counters(offer_import, locale), type=IMPORT_TYPE)


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PAGE_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_page_token(token: str | None) -> int:
    """The offset a page token stands for (0 without one); a token we did not make is refused."""
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    digits = text.removeprefix(_PAGE_PREFIX)
    if not text.startswith(_PAGE_PREFIX) or not digits.isdigit() or int(digits) > MAX_OFFSET:
        raise InvalidInput(
            f"Parameter 'page_token': '{token}' is not a page token; use the next_page_token "
            "or previous_page_token of a previous answer."
        )
    return int(digits)


def offer_imports_out(page: ImportPage, locale: str = DEFAULT_LOCALE) -> OfferImportsOut:
    previous = None
    if page.offset > 0:
        previous = encode_page_token(max(0, page.offset - page.limit))
    following = encode_page_token(page.offset + page.limit) if page.has_next else None
    return OfferImportsOut(
        data=[
            OfferImportItemOut(**_counters(i, locale), origin=i.origin, shop_id=i.shop_id)
            for i in page.imports
        ],
        next_page_token=following,
        previous_page_token=previous,
    )


# --- offers (OF21, OF22, OF26) -----------------------------------------------------------


class VolumePriceOut(Schema):
    price: float
    quantity_threshold: int
    unit_discount_price: float | None
    unit_origin_price: float


class PricingContextOut(Schema):
    channel_codes: list[str]


class PricingOut(Schema):
    channel_code: str | None
    context: PricingContextOut | None
    discount_start_date: datetime | None
    discount_end_date: datetime | None
    price: float
    unit_discount_price: float | None
    unit_origin_price: float
    volume_prices: list[VolumePriceOut]


class DiscountOut(Schema):
    discount_price: float
    origin_price: float
    start_date: datetime | None
    end_date: datetime | None


class ProductReferenceOut(Schema):
    reference: str
    reference_type: str


class LogisticClassRefOut(Schema):
    code: str
    label: str


class AdditionalFieldOut(Schema):
    code: str
    type: str
    value: str | list[str]


class FulfillmentCenterOut(Schema):
    code: str


class FulfillmentOut(Schema):
    center: FulfillmentCenterOut


class OfferOut(Schema):
    offer_id: int
    shop_sku: str
    product_sku: str
    product_title: str
    product_description: str | None
    product_brand: str | None
    product_references: list[ProductReferenceOut]
    category_code: str
    category_label: str
    state_code: str
    quantity: int
    price: float | None
    currency_iso_code: str
    description: str | None
    internal_description: str | None
    price_additional_info: str | None
    leadtime_to_ship: int | None
    logistic_class: LogisticClassRefOut | None
    channels: list[str]
    all_prices: list[PricingOut]
    applicable_pricing: PricingOut | None
    discount: DiscountOut | None
    active: bool
    inactivity_reasons: list[str]
    offer_additional_fields: list[AdditionalFieldOut]
    allow_quote_requests: bool
    min_order_quantity: int | None
    max_order_quantity: int | None
    package_quantity: int
    min_quantity_alert: int | None
    min_shipping_price: float | None
    min_shipping_price_additional: float | None
    min_shipping_type: str | None
    min_shipping_zone: str | None
    shipping_deadline: datetime | None
    fulfillment: FulfillmentOut


class OffersOut(Schema):
    offers: list[OfferOut]
    total_count: int


class OfferQuantityOut(Schema):
    offer_id: int
    quantity: int


def day_start(day: date | None) -> datetime | None:
    """A discount day as a date-time: its first instant in the marketplace's time zone, so
    that the date part reads back as the day the seller gave."""
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def pricing_out(pricing: ChannelPricing) -> PricingOut:
    discount = float(pricing.discount_price) if pricing.discount_price is not None else None
    unit = VolumePriceOut(
        price=float(pricing.price),
        quantity_threshold=1,
        unit_discount_price=discount,
        unit_origin_price=float(pricing.origin_price),
    )
    return PricingOut(
        # The contract's default prices have no channel code and no context.
        channel_code=None if pricing.is_default else pricing.channel_code,
        context=None
        if pricing.is_default
        else PricingContextOut(channel_codes=[pricing.channel_code]),
        discount_start_date=day_start(pricing.discount_start),
        discount_end_date=day_start(pricing.discount_end),
        price=unit.price,
        unit_discount_price=discount,
        unit_origin_price=unit.unit_origin_price,
        volume_prices=[unit],
    )


def _discount_out(pricing: ChannelPricing | None) -> DiscountOut | None:
    if pricing is None or pricing.discount_price is None:
        return None
    return DiscountOut(
        discount_price=float(pricing.discount_price),
        origin_price=float(pricing.origin_price),
        start_date=day_start(pricing.discount_start),
        end_date=day_start(pricing.discount_end),
    )


def _field_out(code: str, field_type: str, value: str) -> AdditionalFieldOut:
    contract_type = FIELD_TYPES.get(field_type, "STRING")
    if contract_type == "MULTIPLE_VALUES_LIST":
        values = [v for v in value.split(MULTIPLE_VALUES_SEPARATOR) if v]
        return AdditionalFieldOut(code=code, type=contract_type, value=values)
    return AdditionalFieldOut(code=code, type=contract_type, value=value)


def _product_fields(view: OfferView, locale: str, language: str) -> dict[str, Any]:
    product = view.offer.product
    return {
        "product_sku": product.product_sku,
        "product_title": localized_text(product.titles, locale),
        "product_description": localized_text(product.descriptions, locale) or None,
        "product_brand": product.brand or None,
        "product_references": [
            ProductReferenceOut(reference=i.value, reference_type=i.type) for i in view.references
        ],
        "category_code": product.category.code,
        "category_label": localized(product.category.label, product.category.labels, language),
    }


def _logistic_class_out(view: OfferView, language: str) -> LogisticClassRefOut | None:
    logistic_class = view.logistic_class
    if logistic_class is None:
        return None
    label = localized(logistic_class.label, logistic_class.labels, language)
    return LogisticClassRefOut(code=logistic_class.code, label=label)


def offer_out(view: OfferView, locale: str, language: str) -> OfferOut:
    offer = view.offer
    applicable = view.applicable
    return OfferOut(
        offer_id=offer.id,
        shop_sku=offer.sku,
        **_product_fields(view, locale, language),
        state_code=offer.state,
        quantity=offer.quantity,
        price=float(applicable.price) if applicable else None,
        currency_iso_code=offer.shop.currency_iso_code,
        description=offer.description or None,
        internal_description=offer.internal_description or None,
        price_additional_info=offer.price_additional_info or None,
        leadtime_to_ship=view.leadtime_to_ship,
        logistic_class=_logistic_class_out(view, language),
        channels=[p.channel_code for p in view.pricings],
        all_prices=[pricing_out(p) for p in view.pricings],
        applicable_pricing=pricing_out(applicable) if applicable else None,
        discount=_discount_out(applicable),
        active=view.availability.active,
        inactivity_reasons=list(view.availability.inactivity_reasons),
        offer_additional_fields=[_field_out(f.code, f.type, v) for f, v in view.fields],
        # Quotes, order quantity bounds and stock alerts are not offered yet: one unit at a
        # time, no bounds, no alert.
        allow_quote_requests=False,
        min_order_quantity=1,
        max_order_quantity=None,
        package_quantity=1,
        min_quantity_alert=None,
        min_shipping_price=None,
        min_shipping_price_additional=None,
        min_shipping_type=None,
        min_shipping_zone=None,
        shipping_deadline=None,
        fulfillment=FulfillmentOut(center=FulfillmentCenterOut(code=FULFILLMENT_CENTER)),
    )


def offers_out(page: OfferPage, locale: str, language: str) -> OffersOut:
    return OffersOut(
        offers=[offer_out(view, locale, language) for view in page.offers],
        total_count=page.total_count,
    )
