"""Inserting many offers at once: COPY on PostgreSQL, bulk INSERT elsewhere.

A first import writes up to millions of offers; on PostgreSQL, COPY sends them as one
stream instead of statements whose parameters are bound row by row, several times faster.
"""

import json
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from mercato.offers.models import Offer

_COLUMNS = (
    "shop_id",
    "sku",
    "product_id",
    "state",
    "quantity",
    "price",
    "discount_price",
    "discount_start",
    "discount_end",
    "channel_prices",
    "logistic_class",
    "leadtime_to_ship",
    "description",
    "internal_description",
    "price_additional_info",
    "additional_fields",
    "row_hash",
    "seen_import",
    "created_at",
    "updated_at",
)
_JSON = frozenset({"channel_prices", "additional_fields"})


def insert_offers(offers: Sequence[Offer]) -> None:
    if not offers:
        return
    if connection.vendor != "postgresql":
        Offer.objects.bulk_create(offers)
        return
    now = timezone.now()
    for offer in offers:
        offer.created_at = offer.updated_at = now
    statement = f"COPY {Offer._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for offer in offers:
            copy.write_row(
                [
                    json.dumps(getattr(offer, name)) if name in _JSON else getattr(offer, name)
                    for name in _COLUMNS
                ]
            )


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see how many offers there are now.

    A table that grew by hundreds of thousands of rows since its last ANALYZE looks small to
    the planner, which then scans all of it for each batch instead of using the sku index.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Offer._meta.db_table}")
