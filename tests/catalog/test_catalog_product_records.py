"""Product records: a valid line as the import keeps it between its two steps."""

import json

import polars as pl

from mercato.catalog.product_records import RECORD_SCHEMA, product_record, records_frame
from mercato.catalog.validation import ProductData

PRODUCT = ProductData(
    category_code="smartphones",
    ean="4000000000012",
    shop_sku="S-0012",
    titles={"fr_FR": 'Écran "OLED"\u2028\t6,7 pouces', "es_ES": "Pantalla"},
    descriptions={},
    brand="samsung",
    media=["https://images.example.com/1.jpg"],
    variant_group_code="G",
    attributes={"color": "noir", "network-5g": True, "ram": 8, "colors": ["noir", "blanc"]},
)


def test_a_record_holds_the_json_columns_as_their_text_and_reads_back_as_a_frame() -> None:
    record = product_record(7, PRODUCT)
    assert json.loads(record) == {
        "line": 7,
        "category": "smartphones",
        "ean": "4000000000012",
        "sku": "S-0012",
        "brand": "samsung",
        "group": "G",
        "title": 'Écran "OLED"\u2028\t6,7 pouces',
        "titles": '{"fr_FR": "Écran \\"OLED\\"\u2028\\t6,7 pouces", "es_ES": "Pantalla"}',
        "descriptions": "{}",
        "media": '["https://images.example.com/1.jpg"]',
        "attributes": (
            '{"color": "noir", "network-5g": true, "ram": 8, "colors": ["noir", "blanc"]}'
        ),
    }
    frame = records_frame([(record + "\n").encode(), (product_record(8, PRODUCT) + "\n").encode()])
    assert frame.schema == pl.Schema(RECORD_SCHEMA)
    assert frame["line"].to_list() == [7, 8]
    assert frame.row(0, named=True) == json.loads(record)


def test_records_of_the_earlier_layout_read_as_today_s() -> None:
    # An import transformed before the upgrade: [line, category, ean, sku, titles, ...].
    fields = [
        PRODUCT.category_code, PRODUCT.ean, PRODUCT.shop_sku, PRODUCT.titles,
        PRODUCT.descriptions, PRODUCT.brand, PRODUCT.media, PRODUCT.variant_group_code,
        PRODUCT.attributes,
    ]  # fmt: skip
    earlier = [(json.dumps([n, *fields]) + "\n").encode() for n in (7, 8)]
    today = [(product_record(n, PRODUCT) + "\n").encode() for n in (7, 8)]
    assert records_frame(earlier).equals(records_frame(today))


def test_no_record_is_an_empty_frame() -> None:
    assert records_frame([]).schema == pl.Schema(RECORD_SCHEMA)
