"""A valid product line as the import keeps it between transformation and integration: one
JSON object per line (a record), read back thousands at a time as a polars frame.

The record holds what the integration decides on (category, EAN, variant group...) and the
product's JSON columns as their very text, a string each: the integration writes them as
they are, never decoding a line to encode it again. Both roads of the transformation write
the same text: the rule book's lines by `product_record`, the column road's by polars
(`product_columnar`), JSON being written here as polars writes it (UTF-8, `, ` and `: `).
"""

import io
import json
from collections.abc import Sequence

import polars as pl

from mercato.catalog.product_json import json_text
from mercato.catalog.validation import ProductData

TITLE_LOCALE = "fr_FR"  # the title the product's `title` column copies, for searches

RECORD_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.Int64(),  # in the file as sent
    "category": pl.String(),
    "ean": pl.String(),
    "sku": pl.String(),  # the shop's
    "brand": pl.String(),
    "group": pl.String(),  # the variant group code
    "title": pl.String(),
    "titles": pl.String(),  # JSON text, as are the next three
    "descriptions": pl.String(),
    "media": pl.String(),
    "attributes": pl.String(),
}


def record_fields(line: int, product: ProductData) -> dict[str, object]:
    return {
        "line": line,
        "category": product.category_code,
        "ean": product.ean,
        "sku": product.shop_sku,
        "brand": product.brand,
        "group": product.variant_group_code,
        "title": product.titles.get(TITLE_LOCALE, ""),
        "titles": json_text(product.titles),
        "descriptions": json_text(product.descriptions),
        "media": json_text(product.media),
        "attributes": json_text(product.attributes),
    }


def product_record(line: int, product: ProductData) -> str:
    """The line's record: one line of JSON."""
    return json_text(record_fields(line, product))


def records_frame(records: Sequence[bytes]) -> pl.DataFrame:
    """The records (lines of JSON, UTF-8) as a frame of RECORD_SCHEMA."""
    if not records:
        return pl.DataFrame(schema=RECORD_SCHEMA)
    if records[0].startswith(b"["):  # written by an earlier version: see _from_list
        records = [_from_list(record) for record in records]
    return pl.read_ndjson(io.BytesIO(b"".join(records)), schema=RECORD_SCHEMA)


def _from_list(record: bytes) -> bytes:
    """A record of the earlier layout, a list ([line, category, ean, sku, titles,
    descriptions, brand, media, variant group, attributes]), in today's: so that an import
    transformed before an upgrade integrates after it."""
    line, *fields = json.loads(record)
    return (product_record(line, ProductData(*fields)) + "\n").encode()
