"""The column road and the rule book give the same offers, errors and counters.

Each file is imported twice into two shops of the same channels: once as the pipeline runs,
once with the column checks recognising nothing, so that every line goes through
validate_line. Everything stored must be equal.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from offer_files import csv_file, ean13

from mercato.imports import offer_lines, pipeline
from mercato.offers.bulk import VALUE_FIELDS
from mercato.offers.columnar import plain_offers
from mercato.offers.models import DeletedOffer, Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "key_ranges")

HEADER = (
    "sku;product-id;product-id-type;price;quantity;state;discount-price;discount-start-date;"
    "discount-end-date;leadtime-to-ship;logistic-class;warranty;warehouse-location;"
    "description;price[channel=ES_B2C];discount-price[channel=ES_B2C]"
)
FIRST = csv_file(
    HEADER,
    f"A;{ean13(0)};EAN;19.99;5;11;;;;2;S;24;France;Un produit;21;",
    f"B;{ean13(1)};ean;12,5;;10;9.99;2026-12-01;2026-12-31;;M;;;;;",
    f"C;{ean13(2)};EAN;12,50 €;1;11;;;;;;;;;;",  # price with a currency
    f"D;{ean13(3)};EAN;10;1;Neuf;;;;;;;;;;",  # a label in a CSV file
    f"E;{ean13(4)};EAN;10;1;11;;;;;;;;;;9",  # discount on ES from the default price
    f"F;{ean13(5)};EAN;10;1;11;;;;;;;;;;11",  # ES discount above the default price
    f"G;{ean13(6)};EAN;10;1;11;;;;;HUGE;;;;;",  # unknown logistic class
    f"G;{ean13(7)};EAN;10;1;11;;;;;;;;;;",  # G twice
    "H;0000000000000;EAN;10;1;11;;;;;;;;;;",  # unknown product
    f"I;{ean13(8)};EAN; 10 ;1; 11 ;;;;;;;;  texte  ;;",  # spaces around values
    f"J;{ean13(9)};EAN;10;1;11;;;;;;;;;;;surplus",  # more values than the header
    f"K;{ean13(10)};EAN;10;1;11;;;;;;;;;;",  # sku deleted lately from another product
    f"L;{ean13(11)};EAN;10;1;11;;;;;;;;;;",
)
SECOND = csv_file(
    HEADER,
    f"A;{ean13(0)};EAN;19.99;5;11;;;;2;S;24;France;Un produit;21;",  # unchanged
    f"B;{ean13(1)};EAN;11;;10;9.99;2026-12-01;2026-12-31;;M;;;;;",  # new price
    f"L;{ean13(12)};EAN;10;1;11;;;;;;;;;;",  # another product for an existing offer
    f"M;{ean13(13)};EAN;10;1;11;;;;;;;;;;",  # new
    f"A;{ean13(0)};EAN;19.99;5;11;;;;2;S;24;France;Un produit;21;",  # A twice now
    f"I;{ean13(8)};EAN;10.00;1;11;;;;;;;;texte;;",  # I's values, written otherwise
)
# Another header: the columns it lacks keep their values, and the merged discounts are
# checked against them.
THIRD = csv_file(
    "sku;product-id;product-id-type;price;state",
    f"A;{ean13(0)};EAN;18;11",  # new price, the rest kept
    f"B;{ean13(1)};EAN;9;10",  # below B's kept discount (9.99)
    f"E;{ean13(4)};EAN;5;11",  # below E's kept ES discount (9)
    "M;;;12;11",  # no product reference: the offer's own product
    f"L;{ean13(11)};EAN;10;11",  # L's values: only its digest changes
)
_STORED = ("product_id", *VALUE_FIELDS, "row_hash")


def _state(shop) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        o.sku: tuple(getattr(o, name) for name in _STORED) for o in Offer.objects.filter(shop=shop)
    }


def _outcome(offer_import) -> tuple[Any, ...]:  # type: ignore[no-untyped-def]
    return (
        offer_import.status,
        offer_import.lines_read,
        offer_import.lines_in_success,
        offer_import.lines_in_error,
        offer_import.offer_inserted,
        offer_import.offer_updated,
        [(e.line, e.values, e.issues) for e in offer_import.errors.order_by("line")],
    )


def _shops(make_seller):  # type: ignore[no-untyped-def]
    shops = [
        make_seller(name, channels=["FR_B2C", "ES_B2C"]).shop
        for name in ("Route des colonnes", "Route du livre")
    ]
    for shop in shops:
        DeletedOffer.objects.create(
            shop=shop,
            sku="K",
            product=Offer._meta.get_field("product").related_model.objects.get(  # type: ignore[union-attr]
                identifiers__value=ean13(20)
            ),
            deleted_at=timezone.now() - timedelta(days=3),
        )
    return shops


@pytest.mark.parametrize("batch_lines", [3, 1000])
def test_the_column_road_stores_what_the_rule_book_stores(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch, batch_lines
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", batch_lines)
    fast, slow = _shops(make_seller)
    taken: list[str] = []

    def counted(frame, header, rules, keep=()):  # type: ignore[no-untyped-def]
        plain = plain_offers(frame, header, rules, keep)
        taken.extend(plain["sku"].to_list())
        return plain

    def nothing_plain(frame, header, rules, keep=()):  # type: ignore[no-untyped-def]
        return plain_offers(frame.clear(), header, rules, keep)

    outcomes = {}
    for shop, road in ((fast, counted), (slow, nothing_plain)):
        monkeypatch.setattr(offer_lines, "plain_offers", road)
        outcomes[shop.id] = [
            _outcome(run_import(shop, content)) for content in (FIRST, SECOND, THIRD)
        ]
    assert outcomes[fast.id] == outcomes[slow.id]
    assert _state(fast) == _state(slow)
    first, second, third = outcomes[fast.id]
    # read, succeeded, in error, inserted, updated
    assert first[1:6] == (13, 5, 8, 5, 0)
    assert second[1:6] == (6, 3, 3, 1, 1)
    assert third[1:6] == (5, 3, 2, 0, 2)
    assert [(line, [i["code"] for i in issues]) for line, _, issues in third[6]] == [
        (3, ["discount-price-invalid"]),
        (4, ["discount-price-invalid"]),
    ]
    # The plainly right lines took the column road: new offers, then changes of existing
    # ones naming their own product (B, E in the third file, whose merged discounts are
    # wrong, went on to the rule book). I (spaces around its values) in the first file, the
    # duplicated A, L naming another product and M without a product reference did not.
    assert sorted(taken) == ["A", "A", "B", "B", "B", "E", "E", "I", "L", "L", "M"]
