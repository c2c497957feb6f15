"""The column checks agree with the rule book: what they accept, validate_line accepts too,
with the very values a new offer would get."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from mercato.imports.frames import column_names
from mercato.offers.columnar import Merged, merged_updates, plain_offers
from mercato.offers.importing import _BLANK, BatchContext, _discount_errors, merged_values
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


# --- changed lines of existing offers: merged as the rule book merges them ---------------

STORED = {
    **_BLANK,
    "state": "10",
    "quantity": 3,
    "logistic_class": "M",
    "leadtime_to_ship": 7,
    "description": "Ancienne",
    "internal_description": "interne",
    "price_additional_info": "HT",
    "price": Decimal("30.00"),
    "discount_price": Decimal("5.00"),
    "discount_start": date(2026, 1, 1),
    "channel_prices": {"ES_B2C": {"price": "31.00", "discount_start": "2026-02-01"}},
    "additional_fields": {"warranty": "12", "retired-field": "x"},
}
BASES = {
    "blank": _BLANK,
    "the good line's": {name: (_rule_book(GOOD) or {})[name] for name in _BLANK},
    "stored": STORED,
    # Above the line's price once the file leaves the discount untouched.
    "high discount": {**STORED, "discount_price": Decimal("25.00")},
    "high ES discount": {**STORED, "channel_prices": {"ES_B2C": {"discount_price": "40.00"}}},
}
# The full header, and one that leaves most columns (whose values are then kept) out.
HEADERS = {
    "full": HEADER,
    "narrow": [
        "sku",
        "product-id",
        "product-id-type",
        "price",
        "state",
        "quantity",
        "price[channel=ES_B2C]",
        "warranty",
    ],
}
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _context(header: list[str]) -> BatchContext:
    return BatchContext(
        shop=None,  # type: ignore[arg-type]
        mode=Mode.NORMAL,
        columns=frozenset(header),
        rules=RULES,
        import_id=1,
        now=NOW,
    )


def _expected_merge(row: dict[str, str], base: dict[str, Any], header: list[str]) -> Merged:
    """What the rule book does with the line of an existing offer (row_hash 1, digest 2)."""
    offer, _issues = validate_line(2, row, RULES, Mode.NORMAL)
    assert offer is not None
    values = merged_values(offer, base, _context(header))
    if _discount_errors(values):
        return Merged(doubtful=[2])
    if values == base:
        return Merged(unchanged=1, rehashed=[(7, {"row_hash": 2})])
    return Merged(updated=[(7, {**values, "row_hash": 2, "updated_at": NOW})])


def _column_merge(row: dict[str, str], base: dict[str, Any], header: list[str]) -> Merged | None:
    data: dict[str, Any] = {"line": [2], "extra": [""]}
    for name, column in zip(column_names(len(header)), header, strict=True):
        data[name] = [row.get(column, "")]
    plain = plain_offers(pl.DataFrame(data), header, RULES)
    if plain.is_empty():
        return None
    rows = plain.with_columns(offer_id=pl.lit(7), digest=pl.lit(2)).to_dicts()
    return merged_updates(rows, {7: (1, base)}, _context(header))


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
@pytest.mark.parametrize("base", BASES.values(), ids=BASES.keys())
@pytest.mark.parametrize("changes", PLAIN)
def test_plain_changes_merge_as_the_rule_book_merges(
    changes: dict[str, str], base: dict[str, Any], header: list[str]
) -> None:
    row = {name: value for name, value in {**GOOD, **changes}.items() if name in header}
    found = _column_merge(row, base, header)
    if found is None:  # a column the narrow header lacks made the line plain
        assert header is not HEADER
        return
    assert found == _expected_merge(row, base, header)


def test_the_merge_cases_reach_every_outcome() -> None:
    outcomes = set()
    for changes in PLAIN:
        for base in BASES.values():
            for header in HEADERS.values():
                row = {k: v for k, v in {**GOOD, **changes}.items() if k in header}
                found = _column_merge(row, base, header)
                if found is not None:
                    outcomes.add((bool(found.updated), found.unchanged, bool(found.doubtful)))
    assert outcomes == {(True, 0, False), (False, 1, False), (False, 0, True)}


def test_a_change_to_the_same_values_only_takes_the_digest() -> None:
    row = {**GOOD, "price": "19,99"}  # the stored 19.99 written otherwise
    stored = BASES["the good line's"]
    assert _column_merge(row, stored, HEADER) == Merged(
        unchanged=1, rehashed=[(7, {"row_hash": 2})]
    )


def test_a_line_whose_offer_is_gone_is_left_to_the_rule_book() -> None:
    data: dict[str, Any] = {"line": [2], "extra": [""]}
    for name, column in zip(column_names(len(HEADER)), HEADER, strict=True):
        data[name] = [GOOD.get(column, "")]
    rows = (
        plain_offers(pl.DataFrame(data), HEADER, RULES)
        .with_columns(offer_id=pl.lit(7), digest=pl.lit(2))
        .to_dicts()
    )
    assert merged_updates(rows, {}, _context(HEADER)) == Merged(doubtful=[2])


def test_the_merge_refuses_a_partial_update() -> None:
    context = BatchContext(
        shop=None,  # type: ignore[arg-type]
        mode=Mode.PARTIAL_UPDATE,
        columns=frozenset(HEADER),
        rules=RULES,
        import_id=1,
        now=NOW,
    )
    with pytest.raises(ValueError, match="partial update"):
        merged_updates([], {}, context)
