"""The id sequences of the tables imports write in bulk are cached (PostgreSQL)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no sequences"),
]

BULK_WRITTEN = [
    "catalog_product",
    "catalog_productidentifier",
    "imports_offerimporterror",
    "imports_productintegration",
    "imports_producttransformationline",
    "offers_deletedoffer",
    "offers_offer",
]


def test_the_bulk_written_tables_draw_their_ids_a_thousand_at_a_time() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, s.seqcache FROM pg_sequence s "
            "JOIN pg_class c ON c.oid = s.seqrelid WHERE s.seqcache > 1 ORDER BY c.relname"
        )
        cached = cursor.fetchall()
    assert cached == [(f"{table}_id_seq", 1000) for table in BULK_WRITTEN]
