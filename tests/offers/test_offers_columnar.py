"""The column checks agree with the rule book: what they accept, validate_line accepts too,
with the very values a new offer would get."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from mercato.imports.frames import column_names
from mercato.offers.columnar import plain_offers
from mercato.offers.importing import _BLANK, BatchContext, merged_values
from mercato.offers.validation import (
    CHANNEL_FIELDS,
    OFFER_COLUMNS,
    FieldRule,
    Mode,
    OfferRules,
    validate_line,
)

RULES = OfferRules(
    states={"11": "11", "10": "10", "neuf": "11"},
    logistic_classes={"S": "S", "M": "M", "XL": "XL"},
    max_leadtime={"S": 10, "M": None, "XL": 20},
    default_channel="FR_B2C",
    channels=frozenset({"FR_B2C", "ES_B2C", "IT_B2C"}),
    shop_channels=frozenset({"FR_B2C", "ES_B2C"}),
    fields=(
        FieldRule("warranty", "INTEGER", minimum=Decimal(6), maximum=Decimal(120)),
        FieldRule("warehouse-location", "LIST", allowed={"France": "France", "france": "France"}),
        FieldRule("note", "STRING"),
    ),
)
HEADER = [
    *OFFER_COLUMNS,
    "warranty",
    "warehouse-location",
    "note",
    *(f"{name}[channel=ES_B2C]" for name in CHANNEL_FIELDS),
    "price[channel=IT_B2C]",
    "unknown-column",
]
GOOD = {
    "sku": "SKU-1",
    "product-id": "3000000000007",
    "product-id-type": "EAN",
    "price": "19.99",
    "quantity": "5",
    "state": "11",
}
# Each case changes the good line; the plainly right ones must take the fast road.
PLAIN = [
    {},
    {"price": "19,9"},
    {"price": "007"},
    {"quantity": ""},
    {"quantity": "0"},
    {"sku": "  SKU-2 ", "product-id-type": "ean"},
    {"product-id-type": "UPC"},
    {"update-delete": "UPDATE"},
    {
        "discount-price": "9.99",
        "discount-start-date": "2026-12-01",
        "discount-end-date": "2026-12-31",
    },
    {"discount-price": "9.99"},
    {"discount-price": "9.99", "discount-end-date": "2026-12-31"},
    {"logistic-class": "S", "leadtime-to-ship": "10"},
    {"logistic-class": "M", "leadtime-to-ship": "400"},
    {"leadtime-to-ship": "3"},
    {"description": ' Un "beau" produit\\ ', "internal-description": "x", "note": 'é"\n'},
    {"price-additional-info": "TTC"},
    {"note": "   ", "description": "  "},
    {"warranty": "024", "warehouse-location": "France"},
    {"warehouse-location": "france"},
    {"price[channel=ES_B2C]": "21,5"},
    {"discount-price[channel=ES_B2C]": "15"},
    {"price[channel=ES_B2C]": "21", "discount-price[channel=ES_B2C]": "20.99"},
    {
        "discount-price[channel=ES_B2C]": "15",
        "discount-start-date[channel=ES_B2C]": "2026-01-01",
        "discount-end-date[channel=ES_B2C]": "2026-01-01",
    },
    {"unknown-column": "anything"},
]
NOT_PLAIN = [
    {"sku": ""},
    {"sku": "x" * 101},
    {"price": ""},
    {"price": "0"},
    {"price": "0,00"},
    {"price": "19.999"},
    {"price": "19.990"},
    {"price": "1."},
    {"price": "+5"},
    {"price": "19,99 €"},
    {"price": "1 299"},
    {"state": ""},
    {"state": "Neuf"},
    {"state": "NEUF"},
    {"quantity": "-3"},
    {"quantity": "+3"},
    {"quantity": "2.5"},
    {"quantity": "9999999999"},
    {"product-id": ""},
    {"product-id-type": "SKU"},
    {"product-id-type": "SHOP_SKU"},
    {"update-delete": "delete"},
    {"update-delete": "maybe"},
    {"discount-price": "19.99"},
    {"discount-price": "25"},
    {"discount-price": "0"},
    {"discount-start-date": "2026-12-01"},
    {"discount-price": "9", "discount-start-date": "2026-12-31", "discount-end-date": "2026-12-01"},
    {"discount-price": "9", "discount-start-date": "2026-02-30"},
    {"discount-price": "9", "discount-start-date": "01/12/2026"},
    {"discount-price": "9", "discount-start-date": "2026-12-01T10:00:00"},
    {"logistic-class": "HUGE"},
    {"logistic-class": "s"},
    {"logistic-class": "S", "leadtime-to-ship": "11"},
    {"leadtime-to-ship": "-1"},
    {"leadtime-to-ship": "x"},
    {"warranty": "3"},
    {"warranty": "121"},
    {"warranty": "12 mois"},
    {"warehouse-location": "Mars"},
    {"warehouse-location": "FRANCE"},
    {"price[channel=ES_B2C]": "21 €"},
    {"discount-price[channel=ES_B2C]": "25"},
    {"price[channel=ES_B2C]": "21", "discount-price[channel=ES_B2C]": "21"},
    {"discount-start-date[channel=ES_B2C]": "2026-01-01"},
    {"price[channel=IT_B2C]": "20"},
    {"price-additional-info": "x" * 501},
]


def _frame(rows: list[dict[str, str]], extra: list[str] | None = None) -> pl.DataFrame:
    data: dict[str, Any] = {"line": list(range(2, len(rows) + 2))}
    for name, column in zip(column_names(len(HEADER)), HEADER, strict=True):
        data[name] = [row.get(column, "") for row in rows]
    data["extra"] = extra or [""] * len(rows)
    return pl.DataFrame(data)


def _rule_book(row: dict[str, str]) -> dict[str, Any] | None:
    """What validate_line and merged_values make of a line for a new offer."""
    offer, _issues = validate_line(2, row, RULES, Mode.NORMAL)
    if offer is None:
        return None
    context = BatchContext(
        shop=None,  # type: ignore[arg-type]
        mode=Mode.NORMAL,
        columns=frozenset(HEADER),
        rules=RULES,
        import_id=1,
        now=datetime.now(UTC),
    )
    values = merged_values(offer, _BLANK, context)
    return {
        **values,
        "sku": offer.sku,
        "product_id_type": offer.product_id_type,
        "product_id": offer.product_id,
    }


def _fast(row: dict[str, str]) -> dict[str, Any] | None:
    found = plain_offers(_frame([row]), HEADER, RULES)
    if found.is_empty():
        return None
    values = found.row(0, named=True)
    del values["line"]
    for name in ("price", "discount_price"):
        if values[name] is not None:
            values[name] = Decimal(values[name])
    for name in ("discount_start", "discount_end"):
        if values[name] is not None:
            values[name] = datetime.strptime(values[name], "%Y-%m-%d").date()
    values["channel_prices"] = json.loads(values["channel_prices"])
    values["additional_fields"] = json.loads(values["additional_fields"])
    return values


@pytest.mark.parametrize("changes", PLAIN)
def test_plain_lines_get_the_rule_books_values(changes: dict[str, str]) -> None:
    row = {**GOOD, **changes}
    expected = _rule_book(row)
    assert expected is not None
    assert _fast(row) == expected


@pytest.mark.parametrize("changes", NOT_PLAIN)
def test_other_lines_are_left_to_the_rule_book(changes: dict[str, str]) -> None:
    assert _fast({**GOOD, **changes}) is None


def test_a_line_with_values_beyond_the_header_is_left_to_the_rule_book() -> None:
    frame = _frame([GOOD, GOOD], extra=["", "surplus"])
    assert plain_offers(frame, HEADER, RULES)["line"].to_list() == [2]


def test_a_header_without_prices_leaves_every_line_to_the_rule_book() -> None:
    header = ["sku", "product-id", "product-id-type", "state"]
    frame = pl.DataFrame(
        {"line": [2], "c0": ["A"], "c1": ["3000000000007"], "c2": ["EAN"], "c3": ["11"]}
    ).with_columns(extra=pl.lit(""))
    assert plain_offers(frame, header, RULES).is_empty()
