from datetime import date
from decimal import Decimal

import pytest

from mercato.offers.offer_errors import OFFER_MESSAGES, render
from mercato.offers.validation import (
    ChannelPrice,
    FieldRule,
    Mode,
    OfferRules,
    channel_of,
    check_header,
    duplicated_skus,
    parse_date,
    parse_decimal,
    validate_line,
)

RULES = OfferRules(
    states={"11": "11", "10": "10", "12": "12", "13": "13"},
    logistic_classes={"S": "S", "M": "M", "L": "L", "XL": "XL"},
    max_leadtime={"S": 10, "M": 10, "L": 15, "XL": 20},
    default_channel="FR_B2C",
    channels=frozenset({"FR_B2C", "ES_B2C"}),
    shop_channels=frozenset({"FR_B2C"}),
    fields=(
        FieldRule("warranty", "INTEGER", minimum=Decimal(0), maximum=Decimal(120)),
        FieldRule(
            "warehouse-location",
            "LIST",
            allowed={c: c for c in ("France", "Espana", "Europe", "Hors_Zone_EU")},
        ),
    ),
)
ES_RULES = OfferRules(**{**RULES.__dict__, "shop_channels": frozenset({"FR_B2C", "ES_B2C"})})

GOOD = {
    "sku": "SKU-1",
    "product-id": "3000000000007",
    "product-id-type": "EAN",
    "price": "19.99",
    "quantity": "5",
    "state": "11",
}


def issues_of(changes: dict[str, str], rules: OfferRules = RULES, mode: str = Mode.NORMAL):
    offer, issues = validate_line(7, {**GOOD, **changes}, rules, mode)
    return offer, [(i.line, i.column, i.code) for i in issues]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"sku": ""}, [("sku", "sku-missing")]),
        ({"sku": "x" * 101}, [("sku", "sku-too-long")]),
        ({"price": ""}, [("price", "price-mandatory")]),
        ({"price": "19,99 €"}, [("price", "price-invalid")]),
        ({"price": "EUR 12"}, [("price", "price-invalid")]),
        ({"price": "1 299,00"}, [("price", "price-invalid")]),
        ({"price": "0"}, [("price", "price-not-positive")]),
        ({"price": "19,99"}, []),
        ({"price": "19.999"}, [("price", "price-precision")]),
        ({"price": "19.990"}, []),
        ({"discount-price": "9.995"}, [("discount-price", "price-precision")]),
        ({"state": "Neuf"}, [("state", "state-unknown")]),
        ({"state": ""}, [("state", "state-missing")]),
        ({"quantity": "-3"}, [("quantity", "quantity-invalid")]),
        ({"quantity": "2.5"}, [("quantity", "quantity-invalid")]),
        ({"quantity": ""}, []),
        ({"logistic-class": "HUGE"}, [("logistic-class", "logistic-class-unknown")]),
        ({"logistic-class": "S", "leadtime-to-ship": "10"}, []),
        (
            {"logistic-class": "S", "leadtime-to-ship": "11"},
            [("leadtime-to-ship", "leadtime-invalid")],
        ),
        ({"logistic-class": "XL", "leadtime-to-ship": "20"}, []),
        ({"leadtime-to-ship": "-1"}, [("leadtime-to-ship", "leadtime-invalid")]),
        ({"leadtime-to-ship": "2 jours"}, [("leadtime-to-ship", "leadtime-invalid")]),
        ({"leadtime-to-ship": "120"}, []),
        ({"discount-price": "15"}, []),
        ({"discount-price": "19.99"}, [("discount-price", "discount-price-invalid")]),
        ({"discount-price": "24.99"}, [("discount-price", "discount-price-invalid")]),
        ({"discount-price": "abc"}, [("discount-price", "discount-price-invalid")]),
        (
            {
                "discount-price": "15",
                "discount-start-date": "2026-12-31",
                "discount-end-date": "2026-12-01",
            },
            [("discount-start-date", "discount-dates-invalid")],
        ),
        (
            {"discount-price": "15", "discount-start-date": "31/12/2026"},
            [("discount-start-date", "discount-dates-invalid")],
        ),
        ({"discount-start-date": "2026-12-01"}, [("discount-price", "discount-price-invalid")]),
        (
            {
                "discount-price": "15",
                "discount-start-date": "2026-12-01",
                "discount-end-date": "2026-12-01",
            },
            [],
        ),
        ({"product-id-type": "GTIN"}, [("product-id-type", "product-id-type-unknown")]),
        ({"product-id-type": "shop_sku"}, []),
        ({"update-delete": "remove"}, [("update-delete", "update-delete-invalid")]),
        ({"warranty": "24"}, []),
        ({"warranty": "24.5"}, [("warranty", "field-not-integer")]),
        ({"warranty": "121"}, [("warranty", "field-out-of-range")]),
        ({"warehouse-location": "Espana"}, []),
        ({"warehouse-location": "Asie"}, [("warehouse-location", "field-not-in-list")]),
        ({"price[channel=ES_B2C]": "20"}, [("price[channel=ES_B2C]", "channel-not-sold")]),
        (
            {"price": "abc", "state": "Neuf", "quantity": "-1", "logistic-class": "?"},
            [
                ("state", "state-unknown"),
                ("quantity", "quantity-invalid"),
                ("logistic-class", "logistic-class-unknown"),
                ("price", "price-invalid"),
            ],
        ),
    ],
)
def test_line_rules(changes: dict[str, str], expected: list[tuple[str, str]]) -> None:
    offer, found = issues_of(changes)
    assert found == [(7, column, code) for column, code in expected]
    assert (offer is None) == bool(expected)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"price[channel=ES_B2C]": "21.50"}, []),
        ({"price[channel=ES_B2C]": "21,50 €"}, [("price[channel=ES_B2C]", "price-invalid")]),
        ({"discount-price[channel=ES_B2C]": "18"}, []),
        (
            {"discount-price[channel=ES_B2C]": "25"},
            [("discount-price[channel=ES_B2C]", "discount-price-invalid")],
        ),
        (
            {"price[channel=ES_B2C]": "30", "discount-price[channel=ES_B2C]": "25"},
            [],
        ),
        (
            {
                "discount-price[channel=ES_B2C]": "15",
                "discount-start-date[channel=ES_B2C]": "2026-02-01",
                "discount-end-date[channel=ES_B2C]": "2026-01-01",
            },
            [("discount-start-date[channel=ES_B2C]", "discount-dates-invalid")],
        ),
    ],
)
def test_channel_prices(changes: dict[str, str], expected: list[tuple[str, str]]) -> None:
    _, found = issues_of(changes, ES_RULES)
    assert found == [(7, column, code) for column, code in expected]


def test_valid_line_is_parsed() -> None:
    offer, issues = validate_line(
        3,
        {
            **GOOD,
            "price": "19,99",
            "discount-price": "15.5",
            "discount-start-date": "2026-12-01",
            "discount-end-date": "2026-12-31",
            "price[channel=ES_B2C]": "21",
            "logistic-class": "M",
            "leadtime-to-ship": "2",
            "warranty": "24",
            "warehouse-location": "France",
            "description": " Garantie constructeur ",
        },
        ES_RULES,
    )
    assert issues == []
    assert offer is not None
    assert (offer.line, offer.sku, offer.delete) == (3, "SKU-1", False)
    assert (offer.product_id, offer.product_id_type) == ("3000000000007", "EAN")
    assert (offer.state, offer.quantity, offer.logistic_class, offer.leadtime_to_ship) == (
        "11",
        5,
        "M",
        2,
    )
    assert offer.prices == {
        "FR_B2C": ChannelPrice(
            Decimal("19.99"), Decimal("15.5"), date(2026, 12, 1), date(2026, 12, 31)
        ),
        "ES_B2C": ChannelPrice(Decimal("21"), None, None, None),
    }
    assert offer.fields == {"warranty": "24", "warehouse-location": "France"}
    assert offer.description == "Garantie constructeur"


def test_delete_needs_only_the_sku() -> None:
    offer, issues = validate_line(
        2, {"sku": "SKU-9", "update-delete": "DELETE", "price": "x"}, RULES
    )
    assert issues == []
    assert offer is not None and offer.delete and offer.sku == "SKU-9"


def test_partial_update_accepts_empty_cells() -> None:
    offer, issues = validate_line(2, {"sku": "SKU-9", "quantity": "4"}, RULES, Mode.PARTIAL_UPDATE)
    assert issues == []
    assert offer is not None
    assert offer.filled == frozenset({"sku", "quantity"})
    assert offer.quantity == 4 and offer.prices == {}


def test_labels_accepted_where_rules_allow_them() -> None:
    rules = OfferRules(
        **{
            **RULES.__dict__,
            "states": {**RULES.states, "neuf": "11"},
            "logistic_classes": {**RULES.logistic_classes, "petit colis": "S"},
        }
    )
    offer, issues = validate_line(
        2, {**GOOD, "state": "Neuf", "logistic-class": "Petit colis"}, rules
    )
    assert issues == []
    assert offer is not None and (offer.state, offer.logistic_class) == ("11", "S")


@pytest.mark.parametrize(
    ("columns", "reasons"),
    [
        (["sku", "price"], []),
        (["sku", "price", "price[channel=ES_B2C]"], []),
        (
            ["sku", "price", "price"],
            ["The column 'price' appears twice in the header: keep one."],
        ),
        (
            ["sku", "price[channel=DE_B2C]"],
            [
                "The column 'price[channel=DE_B2C]' names the unknown channel 'DE_B2C': "
                "known channels are ES_B2C, FR_B2C."
            ],
        ),
        (["price"], ["The header has no 'sku' column: every offer line needs its sku."]),
        (
            ["sku", "price[channel=FR_B2C]"],
            [
                "The column 'price[channel=FR_B2C]' names the default channel FR_B2C: use the "
                "column 'price' for its prices."
            ],
        ),
    ],
)
def test_header(columns: list[str], reasons: list[str]) -> None:
    assert [reason.render("en_US") for reason in check_header(columns, RULES)] == reasons


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("19.99", Decimal("19.99")),
        ("19,99", Decimal("19.99")),
        (" 7 ", Decimal("7")),
        ("19,99 €", None),
        ("$5", None),
        ("1.299,00", None),
        ("NaN", None),
        ("Infinity", None),
        ("", None),
    ],
)
def test_parse_decimal(raw: str, value: Decimal | None) -> None:
    assert parse_decimal(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2022-08-20", date(2022, 8, 20)),
        ("2017-02-22T10:45:53+01:00", date(2017, 2, 22)),
        ("20/08/2022", None),
        ("2022-13-01", None),
    ],
)
def test_parse_date(raw: str, value: date | None) -> None:
    assert parse_date(raw) == value


def test_channel_columns() -> None:
    assert channel_of("discount-end-date[channel=ES_B2C]") == ("discount-end-date", "ES_B2C")
    assert channel_of("price") is None


def test_duplicated_skus_lists_every_line() -> None:
    assert duplicated_skus([(2, "A"), (3, "B"), (4, "A"), (5, ""), (6, ""), (7, "A")]) == {
        "A": [2, 4, 7]
    }


@pytest.mark.parametrize(
    ("code", "fr", "en"),
    [
        ("product-unknown", "Le produit n'existe pas", "The product does not exist"),
        (
            "sku-duplicated",
            "Le champ 'sku' est dupliqué dans le fichier source",
            "The 'sku' field is duplicated in the source file",
        ),
        ("state-unknown", "L'état du produit est inconnu", "The state of the product is unknown"),
        (
            "logistic-class-unknown",
            "La famille logistique est inconnue",
            "The logistic family is unknown",
        ),
        (
            "discount-price-invalid",
            "Le prix de remise est incorrect : il ne doit pas être nul ou doit être inférieur "
            "au prix",
            "The discount price is incorrect : must not be null or must be lower than price",
        ),
    ],
)
def test_guide_messages(code: str, fr: str, en: str) -> None:
    assert render(code) == fr
    assert render(code, "en_US") == en


def test_every_message_renders_in_both_languages() -> None:
    params = {
        "value": "v",
        "max": 1,
        "min": 0,
        "channel": "C",
        "header": "c",
        "field": "f",
        "allowed": "a",
        "count": 3,
        "expected": 2,
    }
    for code in OFFER_MESSAGES:
        assert "{" not in render(code, "fr_FR", **params)
        assert "{" not in render(code, "en_US", **params)
