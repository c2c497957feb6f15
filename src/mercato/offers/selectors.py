"""Reads on offers, their imports and the operator's offer settings, always within one shop.

Lists are ordered here rather than by the database, whose collations differ between
SQLite and PostgreSQL when positions tie.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from mercato.catalog.models import Product, ProductIdentifier
from mercato.errors import InvalidInput, NotFound
from mercato.imports.models import OfferImport
from mercato.imports.selectors import offer_import_of, offer_imports
from mercato.offers.availability import Availability, availability
from mercato.offers.models import LogisticClass, Offer, OfferField, OfferState
from mercato.offers.pricing import (
    ChannelPricing,
    PriceSet,
    offer_pricings,
    stored_channel_prices,
)
from mercato.shops.models import Channel, Shop


def offer_states(active: bool | None = None) -> list[OfferState]:
    """Offer conditions in the operator's order; `active` keeps only (in)active ones."""
    states = OfferState.objects.all()
    if active is not None:
        states = states.filter(active=active)
    return sorted(states, key=lambda state: (state.position, state.code))


def logistic_classes() -> list[LogisticClass]:
    return sorted(LogisticClass.objects.all(), key=lambda c: (c.position, c.code))


def active_offers_count(shop: Shop) -> int:
    """The shop's offers that are sellable on the default channel (see `availability`)."""
    return Offer.objects.filter(
        shop=shop,
        shop__state=Shop.State.OPEN,
        product__status=Product.Status.LIVE,
        quantity__gt=0,
        price__isnull=False,
    ).count()


# --- offer imports -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportFilters:
    status: str | None = None
    mode: str | None = None
    origins: list[str] | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None


@dataclass(frozen=True)
class ImportPage:
    imports: list[OfferImport]
    offset: int
    limit: int
    has_next: bool


def offer_import_page(shop: Shop, filters: ImportFilters, *, offset: int, limit: int) -> ImportPage:
    """One page of the shop's imports, newest first; one row more tells whether more follow."""
    rows = list(
        offer_imports(
            shop,
            status=filters.status,
            mode=filters.mode,
            origins=filters.origins,
            start_date=filters.start_date,
            end_date=filters.end_date,
        )[offset : offset + limit + 1]
    )
    return ImportPage(rows[:limit], offset, limit, has_next=len(rows) > limit)


def offer_import_with_error_report(shop: Shop, import_id: int) -> OfferImport:
    offer_import = offer_import_of(shop, import_id)
    if not offer_import.has_error_report:
        raise NotFound(
            f"Offer import {import_id} has no error report: none of its lines is in error."
        )
    return offer_import


# --- offers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferFilters:
    state_codes: list[str] | None = None
    sku: str | None = None
    product_sku: str | None = None
    favorite: bool = False


@dataclass(frozen=True)
class OfferSettings:
    """What describing the shop's offers needs, read once per call."""

    shop: Shop
    default_channel: str
    channels: list[str]  # the channels the shop sells on, the default one first
    pricing_channel: str  # the channel whose price, and sellability, the caller asks for
    logistic_classes: dict[str, LogisticClass]
    fields: list[OfferField]
    today: date


@dataclass(frozen=True)
class OfferView:
    offer: Offer
    references: list[ProductIdentifier]
    pricings: list[ChannelPricing]  # one per channel with a price, the default one first
    applicable: ChannelPricing | None
    availability: Availability
    logistic_class: LogisticClass | None
    fields: list[tuple[OfferField, str]]
    leadtime_to_ship: int | None


@dataclass(frozen=True)
class OfferPage:
    offers: list[OfferView]
    total_count: int


def offer_settings(shop: Shop, pricing_channel_code: str | None = None) -> OfferSettings:
    channels = sorted(Channel.objects.all(), key=lambda c: (not c.is_default, c.position, c.code))
    default = channels[0].code if channels and channels[0].is_default else ""
    if pricing_channel_code and pricing_channel_code not in {c.code for c in channels}:
        known = ", ".join(sorted(c.code for c in channels)) or "none"
        raise InvalidInput(
            f"Unknown pricing_channel_code '{pricing_channel_code}': known channels are {known}."
        )
    # The import lets every shop price the default channel: it is always one of its channels.
    sold = set(shop.channels.values_list("code", flat=True)) | {default}
    return OfferSettings(
        shop=shop,
        default_channel=default,
        channels=[c.code for c in channels if c.code in sold],
        pricing_channel=pricing_channel_code or default,
        logistic_classes={c.code: c for c in LogisticClass.objects.all()},
        fields=sorted(OfferField.objects.all(), key=lambda f: (f.position, f.code)),
        today=timezone.localdate(),
    )


def offer_view(offer: Offer, settings: OfferSettings) -> OfferView:
    default = PriceSet(offer.price, offer.discount_price, offer.discount_start, offer.discount_end)
    pricings = offer_pricings(
        default,
        stored_channel_prices(offer.channel_prices),
        default_channel=settings.default_channel,
        channels=settings.channels,
        today=settings.today,
    )
    by_channel = {p.channel_code: p for p in pricings}
    shop = settings.shop
    return OfferView(
        offer=offer,
        references=list(offer.product.identifiers.all()),
        pricings=pricings,
        # The contract: without a price on the channel asked for, the default prices apply.
        applicable=by_channel.get(settings.pricing_channel)
        or by_channel.get(settings.default_channel),
        availability=availability(
            product_status=offer.product.status,
            shop_state=shop.state,
            quantity=offer.quantity,
            shop_sells_on_channel=settings.pricing_channel in settings.channels,
            has_price_on_channel=settings.pricing_channel in by_channel,
        ),
        logistic_class=settings.logistic_classes.get(offer.logistic_class),
        fields=[
            (f, offer.additional_fields[f.code])
            for f in settings.fields
            if offer.additional_fields.get(f.code) not in (None, "")
        ],
        leadtime_to_ship=(
            offer.leadtime_to_ship if offer.leadtime_to_ship is not None else shop.lead_time_to_ship
        ),
    )


def _shop_offers(shop: Shop) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(shop=shop)
        .select_related("shop", "product", "product__category")
        .prefetch_related("product__identifiers")
        .order_by("id")
    )


def offer_page(
    shop: Shop,
    filters: OfferFilters,
    *,
    offset: int,
    limit: int,
    pricing_channel_code: str | None = None,
) -> OfferPage:
    settings = offer_settings(shop, pricing_channel_code)
    offers = _shop_offers(shop)
    if filters.favorite:
        # mercato has no favorite offers: asking for favorites only finds none.
        offers = offers.none()
    if filters.state_codes:
        offers = offers.filter(state__in=filters.state_codes)
    if filters.sku:
        offers = offers.filter(sku=filters.sku)
    if filters.product_sku:
        offers = offers.filter(product__product_sku=filters.product_sku)
    total = offers.count()
    page = [offer_view(offer, settings) for offer in offers[offset : offset + limit]]
    return OfferPage(offers=page, total_count=total)


def offer_of(shop: Shop, offer_id: int, pricing_channel_code: str | None = None) -> OfferView:
    """One of the shop's offers; another shop's offer is not found, like a missing one."""
    offer = _shop_offers(shop).filter(id=offer_id).first()
    if offer is None:
        raise NotFound(f"Offer {offer_id} not found.")
    return offer_view(offer, offer_settings(shop, pricing_channel_code))


def available_quantity(shop: Shop, offer_id: int) -> tuple[int, int]:
    """(offer id, quantity), the quantity 0 when the offer cannot be sold (OF26's rule)."""
    view = offer_of(shop, offer_id)
    return view.offer.id, view.offer.quantity if view.availability.active else 0
