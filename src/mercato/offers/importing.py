"""Applying validated offer lines to a shop's offers, one batch at a time, set-based.

`validation` has checked what each line says by itself; here is what needs the database:
does the product exist, does the offer exist, was the sku given to another product, and
then the writes. Every query works on a whole batch. Callers own the transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from mercato.catalog.configuration_types import parse_validations
from mercato.catalog.models import Product, ProductIdentifier, Value
from mercato.offers.bulk import VALUE_FIELDS, insert_offers, update_offers
from mercato.offers.models import DeletedOffer, LogisticClass, Offer, OfferField, OfferState
from mercato.offers.pricing import PriceSet, origin_price, stored_channel_prices
from mercato.offers.validation import (
    CENT,
    CHANNEL_FIELDS,
    ChannelPrice,
    FieldRule,
    Mode,
    OfferIssue,
    OfferLine,
    OfferRules,
)
from mercato.shops.models import Channel, Shop

SKU_REUSE_DELAY = timedelta(days=30)
IDENTIFIER_TYPES = ("EAN", "UPC", "ISBN")
# Offer columns (model fields) that an import line sets, each fed by one import column.
_SCALARS = {
    "state": "state",
    "quantity": "quantity",
    "logistic_class": "logistic-class",
    "leadtime_to_ship": "leadtime-to-ship",
    "description": "description",
    "internal_description": "internal-description",
    "price_additional_info": "price-additional-info",
}
_DEFAULT_PRICE = {
    "price": "price",
    "discount_price": "discount-price",
    "discount_start": "discount-start-date",
    "discount_end": "discount-end-date",
}


def offer_rules(shop: Shop, *, accept_labels: bool) -> OfferRules:
    """What the shop's lines are checked against; labels too for spreadsheets (the guide)."""
    states: dict[str, str] = {}
    for state in OfferState.objects.filter(active=True):
        states[state.code] = state.code
        if accept_labels:
            for label in (state.label, *state.labels.values()):
                states[label.casefold()] = state.code
    classes: dict[str, str] = {}
    max_leadtime: dict[str, int | None] = {}
    for logistic in LogisticClass.objects.all():
        classes[logistic.code] = logistic.code
        max_leadtime[logistic.code] = logistic.max_leadtime_to_ship
        if accept_labels:
            for label in (logistic.label, *logistic.labels.values()):
                classes[label.casefold()] = logistic.code
    channels = list(Channel.objects.all())
    default = next((c.code for c in channels if c.is_default), "")
    return OfferRules(
        states=states,
        logistic_classes=classes,
        max_leadtime=max_leadtime,
        default_channel=default,
        channels=frozenset(c.code for c in channels),
        shop_channels=frozenset(shop.channels.values_list("code", flat=True)) | {default},
        fields=tuple(_field_rule(f, accept_labels) for f in OfferField.objects.all()),
    )


def _field_rule(offer_field: OfferField, accept_labels: bool) -> FieldRule:
    # The configuration loader refused malformed validations: nothing to report here.
    validations, _ = parse_validations(offer_field.validations)
    allowed: dict[str, str] | None = None
    if offer_field.type in ("LIST", "LIST_MULTIPLE_VALUES"):
        allowed = {}
        for value in Value.objects.filter(value_list__code=offer_field.type_parameter):
            allowed[value.code] = value.code
            allowed[value.code.casefold()] = value.code
            if accept_labels:
                for label in (value.label, *value.labels.values()):
                    allowed[label.casefold()] = value.code
    return FieldRule(
        offer_field.code, offer_field.type, validations.minimum, validations.maximum, allowed
    )


@dataclass(frozen=True)
class BatchContext:
    shop: Shop
    mode: str
    columns: frozenset[str]  # the file's header
    rules: OfferRules
    import_id: int
    now: datetime


@dataclass
class BatchOutcome:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    issues: dict[int, list[OfferIssue]] = field(default_factory=dict)  # line -> its errors

    @property
    def succeeded(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.deleted

    def fail(self, line: OfferLine, column: str, code: str) -> None:
        self.issues.setdefault(line.line, []).append(OfferIssue(line.line, column, code))


class KnownOffer(NamedTuple):
    """What a batch needs of an existing offer to tell whether a line changes it."""

    id: int
    product_id: int
    row_hash: int | None


def known_offers(shop: Shop, skus: Iterable[str]) -> dict[str, KnownOffer]:
    rows = Offer.objects.filter(shop=shop, sku__in=list(skus)).values_list(
        "sku", "id", "product_id", "row_hash"
    )
    return {sku: KnownOffer(pk, product_id, row_hash) for sku, pk, product_id, row_hash in rows}


def apply_offer_batch(
    lines: Sequence[OfferLine],
    context: BatchContext,
    known: dict[str, KnownOffer],
    digests: dict[int, int | None],
) -> BatchOutcome:
    """Apply valid lines; the lines that the database refuses are returned as issues.

    `known` holds the batch's existing offers, `digests` each line's digest (by line number)
    that becomes its offer's row_hash.
    """
    outcome = BatchOutcome()
    skus = [x.sku for x in lines]
    products = _products(lines, context.shop)
    recently_deleted = _recently_deleted(context.shop, skus, context.now)
    changes: list[tuple[OfferLine, int]] = []  # line, product id
    to_delete: list[int] = []
    for line in lines:
        offer = known.get(line.sku)
        if line.delete:
            if offer is None:
                outcome.fail(line, "sku", "offer-delete-not-found")
            else:
                to_delete.append(offer.id)
            continue
        if offer is None and context.mode == Mode.PARTIAL_UPDATE:
            outcome.fail(line, "sku", "offer-not-found")
            continue
        product_id = _product_for(line, offer, products, recently_deleted, outcome)
        if product_id is not None:
            changes.append((line, product_id))
    to_create, to_update, rehashed = _stage(changes, known, digests, context, outcome)
    _write(context, to_create, to_update, to_delete, outcome)
    if rehashed:
        Offer.objects.bulk_update(rehashed, ["row_hash"])
    return outcome


def _product_for(
    line: OfferLine,
    offer: KnownOffer | None,
    products: dict[tuple[str, str], int],
    recently_deleted: dict[str, set[int]],
    outcome: BatchOutcome,
) -> int | None:
    if not line.product_id:
        if offer is None:
            outcome.fail(line, "product-id", "product-id-missing")
            return None
        return offer.product_id
    product_id = products.get((line.product_id_type, line.product_id))
    if product_id is None:
        outcome.fail(line, "product-id", "product-unknown")
        return None
    previous = {offer.product_id} if offer else recently_deleted.get(line.sku, set())
    if previous and product_id not in previous:
        outcome.fail(line, "product-id", "product-differs")
        return None
    return product_id


def _stage(
    changes: list[tuple[OfferLine, int]],
    known: dict[str, KnownOffer],
    digests: dict[int, int | None],
    context: BatchContext,
    outcome: BatchOutcome,
) -> tuple[list[dict[str, Any]], list[Offer], list[Offer]]:
    """The offers to create (their values), to update, and those that only take the
    line's digest."""
    changed_ids = [known[line.sku].id for line, _ in changes if line.sku in known]
    current = {o.sku: o for o in Offer.objects.filter(id__in=changed_ids)} if changed_ids else {}
    to_create: list[dict[str, Any]] = []
    to_update: list[Offer] = []
    rehashed: list[Offer] = []
    for line, product_id in changes:
        offer = current.get(line.sku)
        base = {name: getattr(offer, name) for name in VALUE_FIELDS} if offer else _BLANK
        values = merged_values(line, base, context)
        columns = _discount_errors(values)
        for column in columns:
            outcome.fail(line, column, "discount-price-invalid")
        if columns:
            continue
        digest = digests.get(line.line)
        if offer is None:
            to_create.append(
                {
                    **values,
                    "shop_id": context.shop.id,
                    "sku": line.sku,
                    "product_id": product_id,
                    "row_hash": digest,
                }
            )
        elif values == base:
            # Same values written differently (19.9 for 19.90): nothing to change.
            outcome.unchanged += 1
            if offer.row_hash != digest:
                offer.row_hash = digest
                rehashed.append(offer)
        else:
            for name, value in values.items():
                setattr(offer, name, value)
            offer.row_hash = digest
            offer.updated_at = context.now
            to_update.append(offer)
    return to_create, to_update, rehashed


# A new offer's values before its line is merged in.
_BLANK: dict[str, Any] = {
    **dict.fromkeys(VALUE_FIELDS),
    "quantity": 0,
    "logistic_class": "",
    "description": "",
    "internal_description": "",
    "price_additional_info": "",
    "channel_prices": {},
    "additional_fields": {},
}


def merged_values(
    line: OfferLine, current: dict[str, Any], context: BatchContext
) -> dict[str, Any]:
    """The offer's values after the line: the columns it carries replace the current ones.

    NORMAL and REPLACE take every column of the header (an empty cell empties the value);
    PARTIAL_UPDATE only the cells that are filled. Columns absent from the file keep their
    value, so a stock-only file never wipes descriptions or prices it does not mention.
    """
    carried = line.filled if context.mode == Mode.PARTIAL_UPDATE else context.columns
    values = dict(current)
    parsed = {
        "state": line.state,
        "quantity": line.quantity if line.quantity is not None else 0,
        "logistic_class": line.logistic_class or "",
        "leadtime_to_ship": line.leadtime_to_ship,
        "description": line.description,
        "internal_description": line.internal_description,
        "price_additional_info": line.price_additional_info,
    }
    for name, column in _SCALARS.items():
        if column in carried:
            values[name] = parsed[name]
    default = line.prices.get(context.rules.default_channel) or ChannelPrice(None, None, None, None)
    for name, column in _DEFAULT_PRICE.items():
        if column in carried:
            values[name] = getattr(default, _PRICE_ATTR[name])
    values["channel_prices"] = _channel_prices(line, current["channel_prices"], carried, context)
    fields = dict(current["additional_fields"])
    for rule in context.rules.fields:
        if rule.code in carried:
            fields.pop(rule.code, None)
            if rule.code in line.fields:
                fields[rule.code] = line.fields[rule.code]
    values["additional_fields"] = fields
    return values


_PRICE_ATTR = {
    "price": "price",
    "discount_price": "discount_price",
    "discount_start": "discount_start",
    "discount_end": "discount_end",
}


def _channel_prices(
    line: OfferLine, current: dict[str, Any], carried: Iterable[str], context: BatchContext
) -> dict[str, Any]:
    prices = dict(current)
    carried = set(carried)
    for channel in sorted(context.rules.channels - {context.rules.default_channel}):
        columns = [f"{name}[channel={channel}]" for name in CHANNEL_FIELDS]
        if not carried.intersection(columns):
            continue
        entry = dict(prices.get(channel) or {})
        parsed = line.prices.get(channel) or ChannelPrice(None, None, None, None)
        for name, column in zip(_PRICE_ATTR, columns, strict=True):
            if column in carried:
                entry[name] = _json_value(getattr(parsed, name))
        # Only the values a channel has: a million offers store and load the fewer bytes.
        entry = {name: value for name, value in entry.items() if value is not None}
        if entry:
            prices[channel] = entry
        else:
            prices.pop(channel, None)
    return prices


def _json_value(value: object) -> str | None:
    """A channel price or date as stored in JSON: prices always with two decimals."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return str(value)


def _discount_errors(values: dict[str, Any]) -> list[str]:
    """Columns whose discount is not below its price once the line is merged in."""
    default = PriceSet(values["price"], values["discount_price"])
    prices = {"": default, **stored_channel_prices(values["channel_prices"])}
    errors = []
    for channel, own in prices.items():
        origin = origin_price(own, default)
        if origin is not None and own.discount_price is not None and own.discount_price >= origin:
            errors.append(f"discount-price[channel={channel}]" if channel else "discount-price")
    return errors


def _products(lines: Sequence[OfferLine], shop: Shop) -> dict[tuple[str, str], int]:
    """(product-id-type, product-id) -> product id, for the products the lines name."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.product_id and not line.delete:
            wanted[line.product_id_type].add(line.product_id)
    found: dict[tuple[str, str], int] = {}
    usable = Product.objects.exclude(status=Product.Status.REJECTED)
    for id_type in IDENTIFIER_TYPES:
        if wanted.get(id_type):
            rows = (
                ProductIdentifier.objects.filter(type=id_type, value__in=wanted[id_type])
                .exclude(product__status=Product.Status.REJECTED)
                .values_list("value", "product_id")
            )
            found.update(((id_type, value), pk) for value, pk in rows)
    if wanted.get("SKU"):
        by_sku = usable.filter(product_sku__in=wanted["SKU"]).values_list("product_sku", "id")
        found.update((("SKU", sku), pk) for sku, pk in by_sku)
    if wanted.get("SHOP_SKU"):
        by_shop_sku = usable.filter(shop=shop, shop_sku__in=wanted["SHOP_SKU"]).values_list(
            "shop_sku", "id"
        )
        found.update((("SHOP_SKU", sku), pk) for sku, pk in by_shop_sku)
    return found


def _recently_deleted(shop: Shop, skus: list[str], now: datetime) -> dict[str, set[int]]:
    rows = DeletedOffer.objects.filter(
        shop=shop, sku__in=skus, deleted_at__gt=now - SKU_REUSE_DELAY
    ).values_list("sku", "product_id")
    deleted: dict[str, set[int]] = defaultdict(set)
    for sku, product_id in rows:
        deleted[sku].add(product_id)
    return deleted


def _write(
    context: BatchContext,
    to_create: list[dict[str, Any]],
    to_update: list[Offer],
    to_delete: list[int],
    outcome: BatchOutcome,
) -> None:
    insert_offers(to_create)
    update_offers(to_update)
    if to_delete:
        delete_offers(Offer.objects.filter(id__in=to_delete), context.now)
    outcome.inserted += len(to_create)
    outcome.updated += len(to_update)
    outcome.deleted += len(to_delete)


def delete_offers(offers: Iterable[Offer], now: datetime) -> int:
    """Delete offers, keeping each sku's product for the 30-day reuse rule."""
    rows = [(o.id, o.shop_id, o.sku, o.product_id) for o in offers]
    DeletedOffer.objects.bulk_create(
        DeletedOffer(shop_id=shop_id, sku=sku, product_id=product_id, deleted_at=now)
        for _, shop_id, sku, product_id in rows
    )
    deleted, _ = Offer.objects.filter(id__in=[pk for pk, *_ in rows]).delete()
    return deleted
