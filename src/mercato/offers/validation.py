"""Offer line validation: pure functions over one file line, no database.

What needs the database (does the product exist, does the offer exist, was the sku used for
another product) is checked set-based by the import pipeline; everything a line can tell by
itself is checked here, every error of the line collected.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from mercato.imports.reasons import Reason
from mercato.offers.offer_errors import render

PRODUCT_ID_TYPES = frozenset({"EAN", "UPC", "ISBN", "SHOP_SKU", "SKU"})
CHANNEL_FIELDS = ("price", "discount-price", "discount-start-date", "discount-end-date")
SKU_MAX_LENGTH = 100
CENT = Decimal("0.01")
# The columns an offer import reads, besides channel prices and additional fields, in the
# order of the import-format export (which leaves out update-delete).
OFFER_COLUMNS = (
    "sku",
    "product-id",
    "product-id-type",
    "price",
    "quantity",
    "state",
    "discount-price",
    "discount-start-date",
    "discount-end-date",
    "leadtime-to-ship",
    "logistic-class",
    "description",
    "internal-description",
    "price-additional-info",
    "update-delete",
)
_CHANNEL_COLUMN = re.compile(
    r"^(price|discount-price|discount-start-date|discount-end-date)\[channel=([^\]]*)\]$"
)
_NOT_A_NUMBER = re.compile(r"[^0-9.,\-+\s]")


class Mode:
    NORMAL = "NORMAL"
    PARTIAL_UPDATE = "PARTIAL_UPDATE"
    REPLACE = "REPLACE"
    ALL = ("NORMAL", "PARTIAL_UPDATE", "REPLACE")


@dataclass(frozen=True)
class OfferIssue:
    line: int
    column: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, locale: str = "fr_FR") -> str:
        return render(self.code, locale, **self.params)


@dataclass(frozen=True)
class FieldRule:
    """An additional offer field (warranty, warehouse-location) as the operator defined it."""

    code: str
    type: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    allowed: Mapping[str, str] | None = None  # accepted spelling -> stored value code


@dataclass(frozen=True)
class OfferRules:
    """Everything a line is checked against, read once per import."""

    states: Mapping[str, str]  # accepted spelling (code, or label where allowed) -> code
    logistic_classes: Mapping[str, str]  # accepted spelling -> code
    max_leadtime: Mapping[str, int | None]  # logistic class code -> its maximum
    default_channel: str
    channels: frozenset[str]  # every channel of the marketplace
    shop_channels: frozenset[str]  # the channels this shop sells on
    fields: tuple[FieldRule, ...] = ()


def rules_signature(rules: OfferRules) -> tuple[object, ...]:
    """The rules as plain sorted values: equal across processes whenever the rules are."""
    return (
        sorted(rules.states.items()),
        sorted(rules.logistic_classes.items()),
        sorted(rules.max_leadtime.items()),
        rules.default_channel,
        sorted(rules.channels),
        sorted(rules.shop_channels),
        [
            (f.code, f.type, str(f.minimum), str(f.maximum), sorted((f.allowed or {}).items()))
            for f in rules.fields
        ],
    )


@dataclass(frozen=True)
class ChannelPrice:
    price: Decimal | None
    discount_price: Decimal | None
    discount_start: date | None
    discount_end: date | None


@dataclass
class OfferLine:
    """A line that passed validation, with its values parsed."""

    line: int
    sku: str
    delete: bool
    product_id: str
    product_id_type: str
    filled: frozenset[str]  # columns with a value: what PARTIAL_UPDATE changes
    state: str | None = None
    quantity: int | None = None
    description: str = ""
    internal_description: str = ""
    price_additional_info: str = ""
    logistic_class: str | None = None
    leadtime_to_ship: int | None = None
    prices: dict[str, ChannelPrice] = field(default_factory=dict)  # by channel code
    fields: dict[str, str] = field(default_factory=dict)


def channel_of(column: str) -> tuple[str, str] | None:
    """`price[channel=ES_B2C]` -> ("price", "ES_B2C"); None for any other column."""
    match = _CHANNEL_COLUMN.match(column)
    return (match.group(1), match.group(2)) if match else None


def check_header(columns: Iterable[str], rules: OfferRules) -> list[Reason]:
    """Reasons the whole file must fail: a duplicated column, an unknown channel, no sku."""
    reasons: list[Reason] = []
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            reasons.append(Reason("column-twice", {"column": column}))
        seen.add(column)
        channel = channel_of(column)
        if channel and channel[1] == rules.default_channel:
            reasons.append(
                Reason(
                    "default-channel-column",
                    {"column": column, "channel": channel[1], "base": channel[0]},
                )
            )
        elif channel and channel[1] not in rules.channels:
            known = ", ".join(sorted(rules.channels))
            reasons.append(
                Reason("unknown-channel", {"column": column, "channel": channel[1], "known": known})
            )
    if "sku" not in seen:
        reasons.append(Reason("no-sku-column"))
    return reasons


def parse_decimal(raw: str) -> Decimal | None:
    """`19.99` or `19,99`; None when it is not a plain number."""
    text = raw.strip().replace(",", ".")
    if not text or _NOT_A_NUMBER.search(text) or text.count(".") > 1 or " " in text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_int(raw: str) -> int | None:
    text = raw.strip()
    if text.startswith("+"):
        text = text[1:]
    body = text[1:] if text.startswith("-") else text
    return int(text) if body.isdigit() else None


def parse_date(raw: str) -> date | None:
    """`aaaa-mm-jj` as the guide asks; a full ISO date-time is accepted too (its date is kept)."""
    text = raw.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


class _Line:
    """One line's raw cells and the issues found so far."""

    def __init__(self, line: int, row: Mapping[str, str | None]) -> None:
        self.line = line
        self.row = row
        self.issues: list[OfferIssue] = []

    def get(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def fail(self, column: str, code: str, **params: object) -> None:
        self.issues.append(OfferIssue(self.line, column, code, params))


def validate_line(
    line: int, row: Mapping[str, str | None], rules: OfferRules, mode: str = Mode.NORMAL
) -> tuple[OfferLine | None, list[OfferIssue]]:
    """Check one line; the parsed line when it has no error, and every issue found."""
    cells = _Line(line, row)
    sku = cells.get("sku")
    if not sku:
        cells.fail("sku", "sku-missing")
    elif len(sku) > SKU_MAX_LENGTH:
        cells.fail("sku", "sku-too-long", max=SKU_MAX_LENGTH)
    action = cells.get("update-delete").lower()
    if action not in ("", "update", "delete"):
        cells.fail("update-delete", "update-delete-invalid", value=cells.get("update-delete"))
    offer = OfferLine(
        line=line,
        sku=sku,
        delete=action == "delete",
        product_id=cells.get("product-id"),
        product_id_type=cells.get("product-id-type").upper(),
        filled=frozenset(c for c, v in row.items() if v and v.strip()),
        description=cells.get("description"),
        internal_description=cells.get("internal-description"),
        price_additional_info=cells.get("price-additional-info"),
    )
    if not offer.delete:
        partial = mode == Mode.PARTIAL_UPDATE
        _check_product(cells, offer)
        _check_state(cells, offer, rules, partial)
        _check_logistics(cells, offer, rules)
        _check_prices(cells, offer, rules, partial)
        _check_fields(cells, offer, rules)
    return (None if cells.issues else offer), cells.issues


def _check_product(cells: _Line, offer: OfferLine) -> None:
    # A missing product-id is only wrong for a new offer: the pipeline knows which lines are.
    if offer.product_id and offer.product_id_type not in PRODUCT_ID_TYPES:
        cells.fail("product-id-type", "product-id-type-unknown", value=offer.product_id_type)


def _check_state(cells: _Line, offer: OfferLine, rules: OfferRules, partial: bool) -> None:
    raw = cells.get("state")
    if raw:
        offer.state = rules.states.get(raw) or rules.states.get(raw.casefold())
        if offer.state is None:
            cells.fail("state", "state-unknown")
    elif not partial:
        cells.fail("state", "state-missing")
    raw = cells.get("quantity")
    if raw:
        offer.quantity = parse_int(raw)
        if offer.quantity is None or offer.quantity < 0:
            cells.fail("quantity", "quantity-invalid", value=raw)


def _check_logistics(cells: _Line, offer: OfferLine, rules: OfferRules) -> None:
    raw = cells.get("logistic-class")
    if raw:
        offer.logistic_class = rules.logistic_classes.get(raw) or rules.logistic_classes.get(
            raw.casefold()
        )
        if offer.logistic_class is None:
            cells.fail("logistic-class", "logistic-class-unknown")
    raw = cells.get("leadtime-to-ship")
    if raw:
        offer.leadtime_to_ship = parse_int(raw)
        maximum = rules.max_leadtime.get(offer.logistic_class or "")
        if (
            offer.leadtime_to_ship is None
            or offer.leadtime_to_ship < 0
            or (maximum is not None and offer.leadtime_to_ship > maximum)
        ):
            cells.fail("leadtime-to-ship", "leadtime-invalid")


def _check_prices(cells: _Line, offer: OfferLine, rules: OfferRules, partial: bool) -> None:
    default = _channel_price(cells, "", None, required=not partial)
    if default is not None:
        offer.prices[rules.default_channel] = default
    base = default.price if default else None
    for channel in sorted(rules.channels - {rules.default_channel}):
        suffix = f"[channel={channel}]"
        if not any(cells.get(name + suffix) for name in CHANNEL_FIELDS):
            continue
        if channel not in rules.shop_channels:
            column = next(name + suffix for name in CHANNEL_FIELDS if cells.get(name + suffix))
            cells.fail(column, "channel-not-sold", channel=channel, header=column)
            continue
        price = _channel_price(cells, suffix, base, required=False)
        if price is not None:
            offer.prices[channel] = price


def _channel_price(
    cells: _Line, suffix: str, fallback: Decimal | None, *, required: bool
) -> ChannelPrice | None:
    """The prices of one channel (`suffix` "" is the default one); None when it has an error."""
    failures = len(cells.issues)
    price_column = "price" + suffix
    raw = cells.get(price_column)
    price = parse_decimal(raw) if raw else None
    if raw and price is None:
        cells.fail(price_column, "price-invalid", value=raw)
    elif price is not None and price <= 0:
        cells.fail(price_column, "price-not-positive", value=raw)
    elif price is not None and price != price.quantize(CENT):
        cells.fail(price_column, "price-precision", value=raw)
    elif not raw and required:
        cells.fail(price_column, "price-mandatory")
    if price is not None:
        price = price.quantize(CENT)
    start = _date(cells, "discount-start-date" + suffix)
    end = _date(cells, "discount-end-date" + suffix)
    if start and end and start > end:
        cells.fail("discount-start-date" + suffix, "discount-dates-invalid")
    discount = _discount(cells, suffix, price or fallback, dated=bool(start or end))
    if len(cells.issues) > failures or not (raw or start or end or discount):
        return None
    return ChannelPrice(price, discount, start, end)


def _date(cells: _Line, column: str) -> date | None:
    raw = cells.get(column)
    if not raw:
        return None
    parsed = parse_date(raw)
    if parsed is None:
        cells.fail(column, "discount-dates-invalid")
    return parsed


def _discount(cells: _Line, suffix: str, price: Decimal | None, *, dated: bool) -> Decimal | None:
    column = "discount-price" + suffix
    raw = cells.get(column)
    if not raw:
        if dated:
            cells.fail(column, "discount-price-invalid")
        return None
    discount = parse_decimal(raw)
    if discount is not None and discount != discount.quantize(CENT):
        cells.fail(column, "price-precision", value=raw)
    elif discount is None or discount <= 0 or (price is not None and discount >= price):
        cells.fail(column, "discount-price-invalid")
    return None if discount is None else discount.quantize(CENT)


def _check_fields(cells: _Line, offer: OfferLine, rules: OfferRules) -> None:
    for rule in rules.fields:
        raw = cells.get(rule.code)
        if not raw:
            continue
        if rule.allowed is not None:
            value = rule.allowed.get(raw) or rule.allowed.get(raw.casefold())
            if value is None:
                allowed = ", ".join(sorted(set(rule.allowed.values())))
                cells.fail(
                    rule.code, "field-not-in-list", field=rule.code, value=raw, allowed=allowed
                )
                continue
            offer.fields[rule.code] = value
        elif rule.type == "INTEGER":
            number = parse_int(raw)
            if number is None:
                cells.fail(rule.code, "field-not-integer", field=rule.code)
            elif (rule.minimum is not None and number < rule.minimum) or (
                rule.maximum is not None and number > rule.maximum
            ):
                cells.fail(
                    rule.code,
                    "field-out-of-range",
                    field=rule.code,
                    min=rule.minimum,
                    max=rule.maximum,
                )
            else:
                offer.fields[rule.code] = str(number)
        else:
            offer.fields[rule.code] = raw


def duplicated_skus(skus: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """sku -> its line numbers, for every sku that stands on more than one line."""
    lines: dict[str, list[int]] = {}
    for line, sku in skus:
        if sku:
            lines.setdefault(sku, []).append(line)
    return {sku: found for sku, found in lines.items() if len(found) > 1}
