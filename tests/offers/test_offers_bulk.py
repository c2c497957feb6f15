import polars as pl
import pytest
from django.db import connection

from mercato.offers import bulk
from mercato.offers.bulk import VALUE_FIELDS


def test_bulk_update_writes_every_column_an_import_sets() -> None:
    assert set(bulk._UPDATED) == {*VALUE_FIELDS, "row_hash", "updated_at"}


TEXTS = {
    "plain": "SKU-1",
    "empty": "",
    "backslash": "a\\b",
    "tab": "a\tb",
    "line break": "one\ntwo",
    "carriage return": "one\r\ntwo",
    "the null marker itself": "\\N",
    "a backslash before n": "C:\\new",
    "quotes and separators": 'say "hi"; a,b',
    "accents and emoji": "Écran 4K ☀",
    "JSON with escapes": '{"note": "a \\"b\\""}',
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_copy_text_escapes_what_the_text_format_reads_as_special(text: str) -> None:
    frame = pl.DataFrame({"n": [1, None], "t": [text, None]})
    data = bulk.copy_text(frame, ["n", "t"])
    fields = data.decode().rstrip("\n").split("\n")
    assert len(fields) == 2  # one line a row: no raw line break left
    assert fields[1] == "\\N\t\\N"
    assert fields[0].split("\t")[0] == "1" and len(fields[0].split("\t")) == 2


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_text_round_trips_through_postgresql() -> None:
    frame = pl.DataFrame(
        {"k": list(range(len(TEXTS) + 1)), "t": [*TEXTS.values(), None]},
        schema={"k": pl.Int64, "t": pl.String},
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied_texts (k bigint, t text)")
        bulk.copy_frame("copied_texts", ["k", "t"], frame)
        cursor.execute("SELECT k, t FROM copied_texts ORDER BY k")
        assert cursor.fetchall() == list(enumerate([*TEXTS.values(), None]))
