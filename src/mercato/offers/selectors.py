"""Reads on offers, their imports and the operator's offer settings, always within one shop.

Lists are ordered here rather than by the database, whose collations differ between
SQLite and PostgreSQL when positions tie.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mercato.catalog.models import Product, ProductIdentifier, Value
from mercato.errors import InvalidInput, NotFound
from mercato.imports.models import ImportStatus, OfferImport
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


# --- the seller back office ----------------------------------------------------------------

# How the back office's offer list may be ordered: a whitelist, never a raw column name.
OFFER_SORTS: dict[str, tuple[str, ...]] = {
    "sku": ("sku",),
    "-sku": ("-sku",),
    "price": ("price", "sku"),
    "-price": ("-price", "sku"),
    "quantity": ("quantity", "sku"),
    "-quantity": ("-quantity", "sku"),
    "updated": ("-updated_at", "-id"),
}
ACTIVE = "active"
INACTIVE = "inactive"


@dataclass(frozen=True)
class OfferListQuery:
    search: str = ""
    state: str = ""
    availability: str = ""  # ACTIVE, INACTIVE or "" for both
    sort: str = "sku"


def _sellable_filter() -> Q:
    """Offers that `availability` calls active on the default channel (the shop open aside).

    The product's status is read through a subquery on the products that are not live, not a
    join: a large shop's offers are then filtered without reading each one's product.
    """
    not_live = Product.objects.exclude(status=Product.Status.LIVE).values("id")
    return Q(quantity__gt=0, price__isnull=False) & ~Q(product_id__in=not_live)


def _matching_products(search: str) -> QuerySet[Product]:
    """Products found by a reference (identifier or marketplace sku, whole and indexed) or by
    any part of their title or brand. No join: no duplicates to remove."""
    # Looked up first: an IN over a subquery would keep PostgreSQL from using the indexes.
    identified = list(
        ProductIdentifier.objects.filter(value=search).values_list("product_id", flat=True)[:100]
    )
    wanted = Q(product_sku=search) | Q(id__in=identified)
    if not search.isdigit():
        # An EAN is not looked for inside titles: the whole-value lookups above find it.
        wanted |= Q(title__icontains=search) | Q(brand__icontains=search)
    return Product.objects.filter(wanted)


# A search's products are looked up once, then the offers by the (shop, product) index; a
# search broader than this stays a subquery, slower but complete.
_LISTED_PRODUCTS_MAX = 2000


def _product_ids(search: str) -> list[int] | QuerySet[Product, int]:
    matching = _matching_products(search).values_list("id", flat=True)
    ids = list(matching[: _LISTED_PRODUCTS_MAX + 1])
    return ids if len(ids) <= _LISTED_PRODUCTS_MAX else matching


def shop_offer_list(shop: Shop, query: OfferListQuery) -> QuerySet[Offer]:
    """The shop's offers filtered, searched and ordered in the database, for paging."""
    offers = Offer.objects.filter(shop=shop)
    if query.state:
        offers = offers.filter(state=query.state)
    if query.availability == ACTIVE:
        offers = offers.filter(_sellable_filter())
    elif query.availability == INACTIVE:
        offers = offers.exclude(_sellable_filter())
    search = query.search.strip()
    if search:
        offers = offers.filter(Q(sku=search) | Q(product_id__in=_product_ids(search)))
    return offers.order_by(*OFFER_SORTS.get(query.sort, OFFER_SORTS["sku"]))


def offer_views(shop: Shop, ids: list[int]) -> list[OfferView]:
    """A page of offers, by id in that order, with their prices and availability."""
    settings = offer_settings(shop)
    full = _shop_offers(shop).filter(id__in=ids).in_bulk()
    return [offer_view(full[pk], settings) for pk in ids if pk in full]


def sellable_products(search: str, limit: int) -> list[Product]:
    """Catalog products a shop may offer, found by title, brand, EAN (or any identifier) or
    marketplace sku; rejected products cannot carry offers."""
    search = search.strip()
    if not search:
        return []
    products = (
        _matching_products(search)
        .exclude(status=Product.Status.REJECTED)
        .select_related("category")
        .prefetch_related("identifiers")
        .order_by("title", "id")
    )
    return list(products[:limit])


def sellable_product(product_id: int) -> Product:
    product = (
        Product.objects.exclude(status=Product.Status.REJECTED)
        .select_related("category")
        .prefetch_related("identifiers")
        .filter(id=product_id)
        .first()
    )
    if product is None:
        raise NotFound(f"Product {product_id} not found.")
    return product


def shop_offer_on(shop: Shop, product: Product) -> Offer | None:
    """The shop's first offer on `product`, if it sells it already."""
    return Offer.objects.filter(shop=shop, product=product).order_by("id").first()


@dataclass(frozen=True)
class CompetingOffer:
    price: Decimal | None
    state: str
    quantity: int
    leadtime_to_ship: int | None


def competing_offers(shop: Shop, product_id: int, limit: int = 20) -> list[CompetingOffer]:
    """Other shops' offers on the product, cheapest first: prices, states and lead times,
    never which shop makes them."""
    rows = (
        Offer.objects.filter(product_id=product_id, price__isnull=False)
        .exclude(shop=shop)
        .order_by("price", "id")
        .values_list("price", "state", "quantity", "leadtime_to_ship", "shop__lead_time_to_ship")
    )[:limit]
    return [
        CompetingOffer(price, state, quantity, leadtime if leadtime is not None else default)
        for price, state, quantity, leadtime, default in rows
    ]


@dataclass(frozen=True)
class OfferCounts:
    """The shop's offers online and offline on the default channel, and why offline."""

    total: int
    active: int
    product_pending: int
    product_rejected: int
    zero_quantity: int
    no_price: int
    shop_closed: bool

    @property
    def inactive(self) -> int:
        return self.total - self.active


def offer_counts(shop: Shop) -> OfferCounts:
    """Two aggregates; an offer may be offline for several reasons at once.

    The product's status is read only for the offers whose product is not live: the join
    then stays small, where a join over every offer of a large shop would not.
    """
    stocked_priced = Q(quantity__gt=0, price__isnull=False)
    own = Offer.objects.filter(shop=shop).aggregate(
        total=Count("id"),
        sellable=Count("id", filter=stocked_priced),
        zero_quantity=Count("id", filter=Q(quantity=0)),
        no_price=Count("id", filter=Q(price__isnull=True)),
    )
    not_live = (
        Offer.objects.filter(shop=shop)
        .exclude(product__status=Product.Status.LIVE)
        .aggregate(
            sellable=Count("id", filter=stocked_priced),
            pending=Count("id", filter=Q(product__status=Product.Status.PENDING)),
            rejected=Count("id", filter=Q(product__status=Product.Status.REJECTED)),
        )
    )
    shop_closed = shop.state != Shop.State.OPEN
    return OfferCounts(
        total=own["total"],
        active=0 if shop_closed else own["sellable"] - not_live["sellable"],
        product_pending=not_live["pending"],
        product_rejected=not_live["rejected"],
        zero_quantity=own["zero_quantity"],
        no_price=own["no_price"],
        shop_closed=shop_closed,
    )


def pending_products_count(shop: Shop) -> int:
    """The shop's own products waiting for the operator's review."""
    return Product.objects.filter(shop=shop, status=Product.Status.PENDING).count()


_SKU_CHUNK = 500


def offers_absent_from(shop: Shop, skus: set[str]) -> int:
    """How many of the shop's offers a file carrying `skus` leaves out: what REPLACE deletes."""
    ordered = sorted(skus)
    carried = sum(
        Offer.objects.filter(shop=shop, sku__in=ordered[i : i + _SKU_CHUNK]).count()
        for i in range(0, len(ordered), _SKU_CHUNK)
    )
    return Offer.objects.filter(shop=shop).count() - carried


def offer_field_choices(offer_field: OfferField) -> list[tuple[str, str, dict[str, str]]]:
    """A LIST offer field's values: (code, label, translated labels) in the operator's order."""
    values = Value.objects.filter(value_list__code=offer_field.type_parameter)
    return [
        (v.code, v.label, dict(v.labels))
        for v in sorted(values, key=lambda v: (v.position, v.code))
    ]


@dataclass(frozen=True)
class OfferListPage:
    offers: list[OfferView]
    number: int
    pages: int
    total_count: int


def offer_list_page(shop: Shop, query: OfferListQuery, number: int, per_page: int) -> OfferListPage:
    """One page of the back office's offer list; an out-of-range page gives the last one."""
    offers = shop_offer_list(shop, query)
    total = offers.count()
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    # Ids only: sorting narrow rows, then reading the page's offers in full, is cheaper than
    # sorting whole offers (their JSON prices and fields) on a large shop.
    ids = list(offers.values_list("id", flat=True)[start : start + per_page])
    return OfferListPage(offer_views(shop, ids), number, pages, total)


def imports_in_progress(shop: Shop, limit: int) -> list[OfferImport]:
    return list(
        offer_imports(shop).filter(status__in=(ImportStatus.WAITING, ImportStatus.RUNNING))[:limit]
    )


def imports_with_errors(shop: Shop, limit: int) -> list[OfferImport]:
    """The shop's latest imports that refused lines, or failed."""
    return list(
        offer_imports(shop).filter(Q(lines_in_error__gt=0) | Q(status=ImportStatus.FAILED))[:limit]
    )
