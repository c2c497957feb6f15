"""A shop's first import stores what an import into a shop holding offers stores.

The same files go into two shops of the same channels: one with no offer, and one holding a
single unrelated offer (so that its lines are sorted out against offers). Offers, errors and
counters must be equal.
"""

import pytest
from offer_files import csv_file, ean13
from test_imports_fast_path import FIRST, HEADER, _outcome, _shops, _state

from mercato.imports import pipeline

pytestmark = pytest.mark.usefixtures("reference_marketplace", "key_ranges")

REPLACING = csv_file(
    HEADER,
    f"A;{ean13(0)};EAN;18;5;11;;;;;;;;;;",
    f"N;{ean13(14)};EAN;7;1;11;;;;;;;;;;",
)


def _beside_offers(make_seller, run_import, content):  # type: ignore[no-untyped-def]
    """The file imported into a shop with no offer and into one holding an unrelated offer:
    both shops and the first one's outcome, once both outcomes are found equal."""
    first, staged = _shops(make_seller)
    unrelated = csv_file(HEADER, f"ZZ;{ean13(30)};EAN;5;1;11;;;;;;;;;;")
    assert run_import(staged, unrelated).offer_inserted == 1
    outcomes = {shop.id: _outcome(run_import(shop, content)) for shop in (first, staged)}
    assert outcomes[first.id] == outcomes[staged.id]
    return first, staged, outcomes[first.id]


@pytest.mark.parametrize("batch_lines", [3, 1000])
def test_a_first_import_stores_what_an_import_beside_offers_stores(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch, batch_lines
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", batch_lines)
    first, staged, outcome = _beside_offers(make_seller, run_import, FIRST)
    # read, succeeded, in error, inserted, updated
    assert outcome[1:6] == (13, 5, 8, 5, 0)
    state = _state(staged)
    assert state.pop("ZZ")[0] is not None
    assert _state(first) == state


def test_a_first_replace_import_deletes_nothing_and_keeps_its_offers(  # type: ignore[no-untyped-def]
    make_seller, run_import
) -> None:
    shop, _ = _shops(make_seller)
    done = run_import(shop, REPLACING, mode="REPLACE")
    assert (done.status, done.lines_read, done.offer_inserted, done.offer_deleted) == (
        "COMPLETE",
        2,
        2,
        0,
    )
    assert sorted(_state(shop)) == ["A", "N"]


def test_a_first_replace_import_with_no_valid_line_fails(  # type: ignore[no-untyped-def]
    make_seller, run_import
) -> None:
    shop, _ = _shops(make_seller)
    broken = csv_file(HEADER, "A;0000000000000;EAN;18;5;11;;;;;;;;;;")
    done = run_import(shop, broken, mode="REPLACE")
    assert (done.status, done.lines_in_error, done.offer_inserted) == ("FAILED", 1, 0)
    assert done.reason_code == "replace-no-valid-line"
    assert _state(shop) == {}


# Lines that a first import reads by their key columns alone must stay the lines they are.
UNEVEN = csv_file(
    HEADER,
    f"A;{ean13(0)};EAN;18;5;11;;;;;;;;;;",
    ";;;12;1;11;;;;;;;;;;",  # no sku nor product, other values: an error, not a blank line
    ";;;;;;;;;;;;;;;",  # blank: not a line
    "",
    f"B;{ean13(1)};EAN;10;1;11;;;;;;;;;;;surplus",  # more values than the header
    f'C;{ean13(2)};EAN;10;1;11;;;;;;;;"deux\nlignes";;',  # a quoted line break
    f"D;{ean13(3)};EAN;10;1;11;;;;;;;;;;",
)


@pytest.mark.parametrize("batch_lines", [2, 1000])
def test_a_first_import_keeps_every_line_its_key_columns_leave_blank(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch, batch_lines
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", batch_lines)
    first, _, outcome = _beside_offers(make_seller, run_import, UNEVEN)
    assert outcome[:6] == ("COMPLETE", 5, 3, 2, 3, 0)
    assert [(line, values[0]) for line, values, _ in outcome[6]] == [(3, ""), (6, "B")]
    assert sorted(_state(first)) == ["A", "C", "D"]
