"""OF24's JSON offers turned into an import-format file (pure functions)."""

import json
from pathlib import Path

import pytest

from mercato.errors import InvalidInput
from mercato.imports.readers import read_csv
from mercato.offers.json_offers import BASE_COLUMNS, offers_file, parse_offers

MINIMAL = {
    "shop_sku": "A",
    "product_id": "3000000000007",
    "product_id_type": "EAN",
    "price": 19.99,
    "state_code": "11",
    "update_delete": None,
}
EMPTY_ROW = dict.fromkeys(BASE_COLUMNS, "")


def body(*offers: dict[str, object]) -> bytes:
    return json.dumps({"offers": list(offers)}).encode()


def rows(content: bytes) -> list[dict[str, str]]:
    lines = content.decode().splitlines()
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]


@pytest.mark.parametrize(
    ("offer", "expected"),
    [
        (
            MINIMAL,
            {"sku": "A", "product-id": "3000000000007", "product-id-type": "EAN", "price": "19.99",
             "state": "11"},
        ),
        (
            {**MINIMAL, "price": 1e2, "quantity": 5, "leadtime_to_ship": 2, "logistic_class": "S",
             "update_delete": "update", "description": "Neuf", "internal_description": "Lot 4",
             "price_additional_info": "Éco-part incluse"},
            {"sku": "A", "product-id": "3000000000007", "product-id-type": "EAN", "price": "100.0",
             "state": "11", "quantity": "5", "leadtime-to-ship": "2", "logistic-class": "S",
             "update-delete": "update", "description": "Neuf", "internal-description": "Lot 4",
             "price-additional-info": "Éco-part incluse"},
        ),
        (
            {**MINIMAL, "discount": {"price": 15.5, "start_date": "2024-06-01",
                                     "end_date": "2024-06-30"}},
            {"sku": "A", "product-id": "3000000000007", "product-id-type": "EAN", "price": "19.99",
             "state": "11", "discount-price": "15.5", "discount-start-date": "2024-06-01",
             "discount-end-date": "2024-06-30"},
        ),
        (
            # The default channel's all_prices entry (channel_code null) takes over the prices.
            {**MINIMAL, "discount": {"price": 15.5},
             "all_prices": [{"channel_code": None, "unit_origin_price": 18,
                             "unit_discount_price": 17, "discount_end_date": "2024-07-01"}]},
            {"sku": "A", "product-id": "3000000000007", "product-id-type": "EAN", "price": "18",
             "state": "11", "discount-price": "17", "discount-end-date": "2024-07-01"},
        ),
        (
            {**MINIMAL, "delete": "ignored", "update_delete": "delete", "price": None,
             "state_code": None, "product_id": None, "product_id_type": None},
            {"sku": "A", "update-delete": "delete"},
        ),
        (
            # Line breaks would shift the line numbers of the following offers.
            {**MINIMAL, "description": "Ligne 1\nLigne 2\r\nLigne 3\rfin"},
            {"sku": "A", "product-id": "3000000000007", "product-id-type": "EAN", "price": "19.99",
             "state": "11", "description": "Ligne 1 Ligne 2 Ligne 3 fin"},
        ),
    ],
)  # fmt: skip
def test_an_offer_becomes_one_line_of_import_columns(
    offer: dict[str, object], expected: dict[str, str]
) -> None:
    content = offers_file(body(offer))
    assert content.decode().splitlines()[0] == ";".join(BASE_COLUMNS)
    assert rows(content) == [{**EMPTY_ROW, **expected}]


def test_numbers_are_written_as_sent_without_exponent() -> None:
    raw = (
        b'{"offers": [{"shop_sku": "A", "product_id": null, "product_id_type": null, '
        b'"price": 1E2, "state_code": null, "update_delete": null, "quantity": 3, '
        b'"discount": {"price": 99.990}}]}'
    )
    [row] = rows(offers_file(raw))
    assert (row["price"], row["quantity"], row["discount-price"]) == ("100", "3", "99.990")


def test_channel_prices_and_additional_fields_get_their_own_columns() -> None:
    first = {
        **MINIMAL,
        "all_prices": [
            {"channel_code": "ES_B2C", "unit_origin_price": 21, "unit_discount_price": 19.5,
             "discount_start_date": "2024-06-01", "discount_end_date": "2024-06-30"},
        ],
        "offer_additional_fields": [{"code": "warranty", "value": "24"}],
    }  # fmt: skip
    second = {
        **MINIMAL,
        "shop_sku": "B",
        "all_prices": [
            {"channel_code": "DE_B2C", "volume_prices": [
                {"quantity_threshold": 1, "unit_origin_price": 30, "unit_discount_price": 25}]},
        ],
        "offer_additional_fields": [
            {"code": "warehouse-location", "type": "LIST", "value": "France"},
            {"code": "tags", "type": "MULTIPLE_VALUES_LIST", "value": ["a", "b"]},
            {"code": "warranty", "value": 12},
        ],
    }  # fmt: skip
    content = offers_file(body(first, second))
    channel_columns = [
        f"{name}[channel={channel}]"
        for channel in ("DE_B2C", "ES_B2C")
        for name in ("price", "discount-price", "discount-start-date", "discount-end-date")
    ]
    header = [*BASE_COLUMNS, *channel_columns, "warranty", "warehouse-location", "tags"]
    assert content.decode().splitlines()[0].split(";") == header
    blank = dict.fromkeys(header, "")
    common = {"product-id": "3000000000007", "product-id-type": "EAN", "price": "19.99",
              "state": "11"}  # fmt: skip
    assert rows(content) == [
        {**blank, **common, "sku": "A", "price[channel=ES_B2C]": "21",
         "discount-price[channel=ES_B2C]": "19.5",
         "discount-start-date[channel=ES_B2C]": "2024-06-01",
         "discount-end-date[channel=ES_B2C]": "2024-06-30", "warranty": "24"},
        {**blank, **common, "sku": "B", "price[channel=DE_B2C]": "30",
         "discount-price[channel=DE_B2C]": "25", "warehouse-location": "France",
         "tags": "a|b", "warranty": "12"},
    ]  # fmt: skip


def test_offer_i_is_line_i_plus_2_of_the_file(tmp_path: Path) -> None:
    offers = [
        {**MINIMAL, "shop_sku": "A", "description": "sur\ndeux lignes"},
        {**MINIMAL, "shop_sku": "B;C", "internal_description": 'avec "guillemets"'},
        {**MINIMAL, "shop_sku": "D"},
    ]
    path = tmp_path / "offers.json.csv"
    path.write_bytes(offers_file(body(*offers)))
    source = read_csv(path)
    assert [(line.line, line.cells["sku"]) for line in source.lines()] == [
        (2, "A"),
        (3, "B;C"),
        (4, "D"),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "The body is not valid JSON: Expecting property name enclosed in double "
                       "quotes: line 1 column 2 (char 1)."),
        (b'{"a": "\xff"}', "The body is not valid JSON: 'utf-8' codec can't decode byte 0xff "
                           "in position 7: invalid start byte."),
        (b'{"offers": [{"shop_sku": "A", "price": NaN}]}',
         "The body is not valid JSON: NaN is not a number JSON allows."),
        (b"[]", "Invalid offers body: body: Input should be a valid dictionary or instance of "
                "OffersIn."),
        (b"{}", "Invalid offers body: offers: Field required."),
        (b'{"offers": {}}', "Invalid offers body: offers: Input should be a valid list."),
        (b'{"offers": []}', "Invalid offers body: offers: send at least one offer."),
        (body({"shop_sku": "A"}),
         "Invalid offers body: offers[0].product_id: Field required; offers[0].product_id_type: "
         "Field required; offers[0].price: Field required; offers[0].state_code: Field "
         "required; offers[0].update_delete: Field required."),
        (body(MINIMAL, {**MINIMAL, "price": "abc", "quantity": 1.5}),
         "Invalid offers body: offers[1].price: Input should be a valid decimal; "
         "offers[1].quantity: Input should be a valid integer, got a "
         "number with a fractional part."),
        (body({**MINIMAL, "product_id": 3000000000007}),
         "Invalid offers body: offers[0].product_id: Input should be a valid string."),
        (body({**MINIMAL, "all_prices": [{"channel_code": "ES_B2C", "volume_prices": [
            {"quantity_threshold": 1, "unit_origin_price": 20},
            {"quantity_threshold": 10, "unit_origin_price": 18}]}]}),
         "Invalid offers body: offers[0].all_prices[0].volume_prices: prices above a quantity "
         "threshold of 1 are not supported yet."),
        (body({**MINIMAL, "discount": {"ranges": [{"price": 10, "quantity_threshold": 5}]}}),
         "Invalid offers body: offers[0].discount.ranges: discount ranges are not supported "
         "yet."),
        (body({**MINIMAL, "all_prices": [{"channel_code": None}, {"channel_code": None},
                                         {"channel_code": "ES"}, {"channel_code": "ES"}]}),
         "Invalid offers body: offers[0].all_prices[1].channel_code: the default channel (null) "
         "appears twice; offers[0].all_prices[3].channel_code: ES appears twice."),
        (body({**MINIMAL, "offer_additional_fields": [
            {"code": "price", "value": "1"}, {"code": "price[channel=ES]", "value": "1"},
            {"code": " ", "value": "1"}, {"code": "warranty", "value": "1"},
            {"code": "warranty", "value": "2"}]}),
         "Invalid offers body: offers[0].offer_additional_fields[0].code: 'price' is not an "
         "additional field code; offers[0].offer_additional_fields[1].code: 'price[channel=ES]' "
         "is not an additional field code; offers[0].offer_additional_fields[2].code: ' ' is "
         "not an additional field code; offers[0].offer_additional_fields[4].code: 'warranty' "
         "appears twice."),
    ],
)  # fmt: skip
def test_a_body_of_the_wrong_shape_is_refused_with_the_field_path(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_offers(raw)
    assert refused.value.message == message


def test_at_most_ten_errors_are_listed() -> None:
    offers = [{"shop_sku": f"S{i}", **{k: v for k, v in MINIMAL.items() if k != "price"}}
              for i in range(12)]  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        parse_offers(body(*offers))
    listed = "; ".join(f"offers[{i}].price: Field required" for i in range(10))
    assert refused.value.message == f"Invalid offers body: {listed} (and 2 more)."
