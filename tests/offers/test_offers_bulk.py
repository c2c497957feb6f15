from mercato.offers import bulk
from mercato.offers.bulk import VALUE_FIELDS


def test_bulk_update_writes_every_column_an_import_sets() -> None:
    assert set(bulk._UPDATED) == {*VALUE_FIELDS, "row_hash", "updated_at"}
