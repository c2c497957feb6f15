"""Sorting the lines out before anything is applied: keys read in a thread, joined in this
process."""

import pytest
from offer_files import csv_file, ean13

from mercato.imports import offer_lines, pipeline
from mercato.imports.models import ImportStatus
from mercato.offers.models import Offer
from mercato.offers.staging import Stage

pytestmark = pytest.mark.usefixtures("reference_marketplace", "key_ranges")

HEADER = "sku;product-id;product-id-type;price;quantity;state"


def _lines(count: int, price: int = 1) -> str:
    return csv_file(HEADER, *(f"S{i};{ean13(i)};EAN;{price + i};1;11" for i in range(count)))


def test_an_error_while_reading_stops_the_import_before_anything_is_applied(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", 2)
    shop = make_seller("Boutique Lecture").shop
    real = offer_lines._line_references
    calls = {"n": 0}

    def broken_third_chunk(run, frame, *more):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # the first reading's third chunk
            raise RuntimeError("disk gone")
        return real(run, frame, *more)

    monkeypatch.setattr(offer_lines, "_line_references", broken_third_chunk)
    with pytest.raises(RuntimeError, match="disk gone"):
        run_import(shop, _lines(6))
    assert Offer.objects.filter(shop=shop).count() == 0
    offer_import = shop.offer_imports.get()
    assert (offer_import.status, offer_import.lines_read, offer_import.checkpoint_line) == (
        ImportStatus.RUNNING,
        0,
        0,
    )


@pytest.mark.parametrize("batch_lines", [2, 1000])
def test_a_re_import_applies_only_the_changed_lines(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch, batch_lines
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", batch_lines)
    shop = make_seller("Boutique Reprise").shop
    run_import(shop, _lines(5))
    changed = _lines(5).replace(f"S3;{ean13(3)};EAN;4;", f"S3;{ean13(3)};EAN;40;")
    applied: list[int] = []
    real = offer_lines.update_offer_rows

    def counted(rows, *names):  # type: ignore[no-untyped-def]
        applied.extend(offer_id for offer_id, _ in rows)
        return real(rows, *names)

    monkeypatch.setattr(offer_lines, "update_offer_rows", counted)
    offer_import = run_import(shop, changed)
    counters = (
        offer_import.lines_read,
        offer_import.lines_in_success,
        offer_import.lines_in_error,
        offer_import.offer_inserted,
        offer_import.offer_updated,
    )
    assert counters == (5, 5, 0, 0, 1)
    assert applied == [Offer.objects.get(shop=shop, sku="S3").id]
    prices = dict(Offer.objects.filter(shop=shop).values_list("sku", "price"))
    assert {sku: int(price or 0) for sku, price in prices.items()} == {
        "S0": 1,
        "S1": 2,
        "S2": 3,
        "S3": 40,
        "S4": 5,
    }


def test_skus_with_quotes_and_backslashes_are_found_again(  # type: ignore[no-untyped-def]
    make_seller, run_import
) -> None:
    shop = make_seller("Boutique Guillemets").shop
    skus = ['"Q"1', "B\\2", "É;3", "t\t4"]
    content = csv_file(
        HEADER,
        *(
            f'"{sku.replace(chr(34), chr(34) * 2)}";{ean13(i)};EAN;{i + 1};1;11'
            for i, sku in enumerate(skus)
        ),
    )
    first = run_import(shop, content)
    assert (first.offer_inserted, first.lines_in_error) == (4, 0)
    assert sorted(Offer.objects.filter(shop=shop).values_list("sku", flat=True)) == sorted(skus)
    again = run_import(shop, content + "\n")  # a blank line more: another file
    counters = (again.lines_read, again.offer_inserted, again.offer_updated, again.lines_in_error)
    assert counters == (4, 0, 0, 0)


def test_a_first_import_looks_each_product_up_once_while_the_file_is_read(  # type: ignore[no-untyped-def]
    make_seller, run_import, monkeypatch
) -> None:
    """No offer can be unchanged: every line's product is needed, looked up chunk by chunk
    (a reference already seen is not asked again), none once the file is read."""
    monkeypatch.setattr(pipeline, "BATCH_LINES", 2)
    shop = make_seller("Boutique Premier Passage").shop
    asked: list[list[str]] = []
    real = Stage._products

    def recorded(stage, references):  # type: ignore[no-untyped-def]
        asked.append(sorted(references["id_value"].to_list()))
        return real(stage, references)

    monkeypatch.setattr(Stage, "_products", recorded)
    products = [0, 1, 2, 0, 1, 2]
    lines = csv_file(HEADER, *(f"S{i};{ean13(p)};EAN;5;1;11" for i, p in enumerate(products)))
    offer_import = run_import(shop, lines)
    assert (offer_import.lines_read, offer_import.offer_inserted) == (6, 6)
    assert asked == [[ean13(0), ean13(1)], [ean13(2)], []]
    # A re-import with one line changed asks only for that line's product, once read.
    asked.clear()
    changed = lines.replace(f"S4;{ean13(1)};EAN;5;", f"S4;{ean13(1)};EAN;6;")
    assert run_import(shop, changed).offer_updated == 1
    assert asked == [[ean13(1)]]
