"""OF24's JSON offers, turned into an offer file in the import format.

A JSON call goes through the same import pipeline as a file: same checks, same tracking
(OF02), same error report (OF03). Offer `i` of the `offers` array (0-based) is line `i + 2`
of the generated file, line 1 being the header.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mercato.errors import InvalidInput
from mercato.offers.validation import CHANNEL_FIELDS, OFFER_COLUMNS, channel_of

BASE_COLUMNS = OFFER_COLUMNS
MAX_REPORTED_ERRORS = 10
# The file reader numbers physical lines: a line break inside a value would shift the line
# of every later offer away from its position in the array.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _In(BaseModel):
    # Fields of the contract that mercato does not handle yet are accepted and ignored.
    model_config = ConfigDict(extra="ignore")


class DiscountRangeIn(_In):
    price: Decimal
    quantity_threshold: int


class DiscountIn(_In):
    price: Decimal | None = None
    start_date: str | None = None
    end_date: str | None = None
    ranges: list[DiscountRangeIn] | None = None


class VolumePriceIn(_In):
    quantity_threshold: int
    unit_origin_price: Decimal
    unit_discount_price: Decimal | None = None


class ChannelPriceIn(_In):
    channel_code: str | None = None
    unit_origin_price: Decimal | None = None
    unit_discount_price: Decimal | None = None
    discount_start_date: str | None = None
    discount_end_date: str | None = None
    volume_prices: list[VolumePriceIn] | None = None


class AdditionalFieldIn(_In):
    code: str
    type: str | None = None
    value: str | list[str] | bool | int | Decimal | None = None


class OfferIn(_In):
    """One offer of OF24; the contract's required keys must be present, possibly null."""

    shop_sku: str
    product_id: str | None
    product_id_type: str | None
    price: Decimal | None
    state_code: str | None
    update_delete: str | None
    quantity: int | None = None
    discount: DiscountIn | None = None
    all_prices: list[ChannelPriceIn] | None = None
    leadtime_to_ship: int | None = None
    logistic_class: str | None = None
    description: str | None = None
    internal_description: str | None = None
    price_additional_info: str | None = None
    offer_additional_fields: list[AdditionalFieldIn] | None = None


class OffersIn(_In):
    offers: list[OfferIn]


def _path(location: Iterable[int | str]) -> str:
    """("offers", 0, "price") -> "offers[0].price"."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _refuse(errors: list[str]) -> InvalidInput:
    shown = errors[:MAX_REPORTED_ERRORS]
    more = len(errors) - len(shown)
    tail = f" (and {more} more)" if more else ""
    return InvalidInput("Invalid offers body: " + "; ".join(shown) + tail + ".")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_offers(raw: bytes) -> list[OfferIn]:
    """The body's offers; InvalidInput naming each faulty field by its path."""
    try:
        data = json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"The body is not valid JSON: {error}.") from None
    try:
        offers = OffersIn.model_validate(data).offers
    except ValidationError as error:
        raise _refuse(
            [f"{_path(e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)]
        ) from None
    if not offers:
        raise InvalidInput("Invalid offers body: offers: send at least one offer.")
    unsupported = [problem for i, offer in enumerate(offers) for problem in _unsupported(i, offer)]
    if unsupported:
        raise _refuse(unsupported)
    return offers


def _unsupported(index: int, offer: OfferIn) -> list[str]:
    """What an offer asks for that the import format cannot carry: refused, not dropped."""
    where = f"offers[{index}]"
    problems = []
    if offer.discount and offer.discount.ranges:
        problems.append(f"{where}.discount.ranges: discount ranges are not supported yet")
    return problems + _price_problems(where, offer) + _field_problems(where, offer)


def _price_problems(where: str, offer: OfferIn) -> list[str]:
    problems = []
    seen: set[str | None] = set()
    for position, entry in enumerate(offer.all_prices or ()):
        if entry.channel_code in seen:
            channel = entry.channel_code or "the default channel (null)"
            problems.append(f"{where}.all_prices[{position}].channel_code: {channel} appears twice")
        seen.add(entry.channel_code)
        if any(volume.quantity_threshold != 1 for volume in entry.volume_prices or ()):
            problems.append(
                f"{where}.all_prices[{position}].volume_prices: prices above a quantity "
                "threshold of 1 are not supported yet"
            )
    return problems


def _field_problems(where: str, offer: OfferIn) -> list[str]:
    problems = []
    seen: set[str] = set()
    for position, field in enumerate(offer.offer_additional_fields or ()):
        at = f"{where}.offer_additional_fields[{position}].code"
        if not field.code.strip() or field.code in BASE_COLUMNS or channel_of(field.code):
            problems.append(f"{at}: '{field.code}' is not an additional field code")
        elif field.code in seen:
            problems.append(f"{at}: '{field.code}' appears twice")
        seen.add(field.code)
    return problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return "|".join(_text(item) for item in value)
    return _LINE_BREAK.sub(" ", str(value)).replace("\x00", "")


def _unit_prices(entry: ChannelPriceIn) -> tuple[Decimal | None, Decimal | None]:
    """An entry's unit prices; its quantity-1 volume price stands in for missing ones."""
    unit = next((v for v in entry.volume_prices or () if v.quantity_threshold == 1), None)
    origin = entry.unit_origin_price
    discount = entry.unit_discount_price
    if unit is not None:
        origin = origin if origin is not None else unit.unit_origin_price
        discount = discount if discount is not None else unit.unit_discount_price
    return origin, discount


def _price_cells(entry: ChannelPriceIn, suffix: str) -> dict[str, object]:
    origin, discount = _unit_prices(entry)
    values = (origin, discount, entry.discount_start_date, entry.discount_end_date)
    return {name + suffix: value for name, value in zip(CHANNEL_FIELDS, values, strict=True)}


def offer_row(offer: OfferIn) -> dict[str, str]:
    """The offer's cells by import column."""
    discount = offer.discount or DiscountIn()
    cells: dict[str, object] = {
        "sku": offer.shop_sku,
        "product-id": offer.product_id,
        "product-id-type": offer.product_id_type,
        "description": offer.description,
        "internal-description": offer.internal_description,
        "price": offer.price,
        "price-additional-info": offer.price_additional_info,
        "quantity": offer.quantity,
        "state": offer.state_code,
        "logistic-class": offer.logistic_class,
        "discount-price": discount.price,
        "discount-start-date": discount.start_date,
        "discount-end-date": discount.end_date,
        "leadtime-to-ship": offer.leadtime_to_ship,
        "update-delete": offer.update_delete,
    }
    for entry in offer.all_prices or ():
        # A null channel is the default prices: they take over `price` and `discount`.
        suffix = f"[channel={entry.channel_code}]" if entry.channel_code else ""
        cells.update(_price_cells(entry, suffix))
    for field in offer.offer_additional_fields or ():
        cells[field.code] = field.value
    return {column: _text(value) for column, value in cells.items()}


def header_of(offers: list[OfferIn], every_column: Sequence[str] = ()) -> list[str]:
    """The base columns, each channel's price columns, then each additional field's.

    `every_column` adds the columns the offers leave out, empty: OF24 resets what an offer
    does not send, and an empty cell is what empties a value in a NORMAL import.
    """
    channels = sorted(
        {e.channel_code for o in offers for e in o.all_prices or () if e.channel_code}
    )
    fields: dict[str, None] = {}
    for offer in offers:
        fields.update(dict.fromkeys(f.code for f in offer.offer_additional_fields or ()))
    channel_columns = [f"{name}[channel={c}]" for c in channels for name in CHANNEL_FIELDS]
    header = [*BASE_COLUMNS, *channel_columns, *fields]
    return header + [c for c in every_column if c not in header]


def offers_csv(offers: list[OfferIn], every_column: Sequence[str] = ()) -> bytes:
    """The offers as a `;`-separated UTF-8 file, one line per offer, in the array's order."""
    header = header_of(offers, every_column)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for offer in offers:
        row = offer_row(offer)
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def offers_file(raw: bytes, every_column: Sequence[str] = ()) -> bytes:
    """OF24's body as the offer file that the import pipeline reads."""
    return offers_csv(parse_offers(raw), every_column)


def _inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inlined(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {k: _inlined(v, definitions) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inlined(item, definitions) for item in schema]
    return schema


def request_schema() -> dict[str, Any]:
    """OF24's body as a self-contained JSON schema, for the API documentation."""
    schema = OffersIn.model_json_schema()
    inlined: dict[str, Any] = _inlined(schema, schema.get("$defs", {}))
    return inlined
