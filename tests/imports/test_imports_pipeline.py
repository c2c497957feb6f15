from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from offer_files import csv_file, ean13

from mercato.imports.models import ImportStatus, OfferImport
from mercato.imports.reasons import reason_text
from mercato.offers.models import DeletedOffer, Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "key_ranges")

HEADER = "sku;product-id;product-id-type;price;quantity;state"


@pytest.fixture
def shop(make_seller):  # type: ignore[no-untyped-def]
    return make_seller("Boutique Import", channels=["FR_B2C", "ES_B2C"]).shop


def counters(offer_import: OfferImport) -> dict[str, object]:
    return {
        "status": offer_import.status,
        "read": offer_import.lines_read,
        "success": offer_import.lines_in_success,
        "error": offer_import.lines_in_error,
        "inserted": offer_import.offer_inserted,
        "updated": offer_import.offer_updated,
        "deleted": offer_import.offer_deleted,
    }


def errors(offer_import: OfferImport) -> list[tuple[int, list[tuple[str, str]]]]:
    return [
        (e.line, [(i["column"], i["code"]) for i in e.issues])
        for e in offer_import.errors.order_by("line")
    ]


def offers(shop) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {
        o.sku: (o.product.identifiers.get(type="EAN").value, o.price, o.quantity, o.state)
        for o in Offer.objects.filter(shop=shop).select_related("product")
    }


def test_normal_import_creates_offers_and_reports_errors(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    content = csv_file(
        HEADER,
        f"A;{ean13(0)};EAN;19.99;5;11",
        f"B;{ean13(1)};EAN;12,50;0;10",
        f"C;{ean13(2)};EAN;12,50 €;1;11",
        "D;9999999999994;EAN;5;1;11",
        f"E;{ean13(3)};EAN;5;1;Neuf",
    )
    result = run_import(shop, content)
    assert counters(result) == {
        "status": "COMPLETE",
        "read": 5,
        "success": 2,
        "error": 3,
        "inserted": 2,
        "updated": 0,
        "deleted": 0,
    }
    assert errors(result) == [
        (4, [("price", "price-invalid")]),
        (5, [("product-id", "product-unknown")]),
        (6, [("state", "state-unknown")]),
    ]
    assert result.errors.get(line=4).values == ["C", ean13(2), "EAN", "12,50 €", "1", "11"]
    assert offers(shop) == {
        "A": (ean13(0), Decimal("19.99"), 5, "11"),
        "B": (ean13(1), Decimal("12.50"), 0, "10"),
    }
    assert result.columns == HEADER.split(";")
    assert result.file_format == "CSV"
    assert (
        reason_text(result, "en_US")
        == "3 of 5 lines in error: download the error report to fix them."
    )


def test_reimport_unchanged_and_changed(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    lines = [f"S{i};{ean13(i)};EAN;{10 + i}.00;{i};11" for i in range(5)]
    run_import(shop, csv_file(HEADER, *lines))
    first_ids = dict(Offer.objects.filter(shop=shop).values_list("sku", "id"))
    again = run_import(shop, csv_file(HEADER, *lines).replace(";10.00;", ";10.0;"))
    assert counters(again)["updated"] == 0 and counters(again)["success"] == 5
    lines[2] = f"S2;{ean13(2)};EAN;99.90;2;11"
    changed = run_import(shop, csv_file(HEADER, *lines))
    assert (changed.offer_inserted, changed.offer_updated) == (0, 1)
    assert Offer.objects.get(shop=shop, sku="S2").price == Decimal("99.90")
    assert dict(Offer.objects.filter(shop=shop).values_list("sku", "id")) == first_ids


def test_duplicated_sku_rejects_every_line_carrying_it(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    content = csv_file(
        HEADER,
        f"A;{ean13(0)};EAN;1;1;11",
        f"B;{ean13(1)};EAN;1;1;11",
        f"A;{ean13(2)};EAN;1;1;11",
    )
    result = run_import(shop, content)
    assert errors(result) == [(2, [("sku", "sku-duplicated")]), (4, [("sku", "sku-duplicated")])]
    assert set(offers(shop)) == {"B"}


def test_product_identifier_types(shop, run_import, make_seller) -> None:  # type: ignore[no-untyped-def]
    from mercato.catalog.models import Product

    product = Product.objects.get(identifiers__value=ean13(4))
    product.shop, product.shop_sku = shop, "MY-REF"
    product.save()
    content = csv_file(
        HEADER,
        f"A;{product.product_sku};SKU;1;1;11",
        "B;MY-REF;SHOP_SKU;1;1;11",
        f"C;{ean13(5)};UPC;1;1;11",
        "D;;;1;1;11",
    )
    result = run_import(shop, content)
    assert errors(result) == [
        (4, [("product-id", "product-unknown")]),
        (5, [("product-id", "product-id-missing")]),
    ]
    assert {sku: v[0] for sku, v in offers(shop).items()} == {"A": ean13(4), "B": ean13(4)}
    other = make_seller("Autre boutique").shop
    foreign = run_import(other, csv_file(HEADER, "B;MY-REF;SHOP_SKU;1;1;11"))
    assert errors(foreign) == [(2, [("product-id", "product-unknown")])]


def test_product_of_existing_offer_cannot_change(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;1;1;11"))
    result = run_import(shop, csv_file(HEADER, f"A;{ean13(1)};EAN;2;1;11", "A2;;;1;1;11"))
    assert errors(result) == [
        (2, [("product-id", "product-differs")]),
        (3, [("product-id", "product-id-missing")]),
    ]
    kept = run_import(shop, csv_file(HEADER, "A;;;3;1;11"))
    assert counters(kept)["updated"] == 1
    assert offers(shop) == {"A": (ean13(0), Decimal("3.00"), 1, "11")}


def test_delete_and_thirty_day_sku_reuse(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;1;1;11"))
    header = HEADER + ";update-delete"
    deleted = run_import(shop, csv_file(header, "A;;;;;;delete", "Z;;;;;;delete"))
    assert counters(deleted)["deleted"] == 1
    assert errors(deleted) == [(3, [("sku", "offer-delete-not-found")])]
    assert not Offer.objects.filter(shop=shop).exists()
    reused = run_import(shop, csv_file(HEADER, f"A;{ean13(1)};EAN;1;1;11"))
    assert errors(reused) == [(2, [("product-id", "product-differs")])]
    same_product = run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;1;1;11"))
    assert counters(same_product)["inserted"] == 1
    run_import(shop, csv_file(header, "A;;;;;;delete"))
    DeletedOffer.objects.update(deleted_at=timezone.now() - timedelta(days=31))
    later = run_import(shop, csv_file(HEADER, f"A;{ean13(1)};EAN;1;1;11"))
    assert counters(later)["inserted"] == 1


def test_partial_update_changes_only_filled_cells(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    full = HEADER + ";description;discount-price"
    run_import(shop, csv_file(full, f"A;{ean13(0)};EAN;20;5;11;Garantie 2 ans;15"))
    result = run_import(
        shop, csv_file("sku;quantity;price", "A;9;", "NEW;1;"), mode="PARTIAL_UPDATE"
    )
    assert errors(result) == [(3, [("sku", "offer-not-found")])]
    offer = Offer.objects.get(shop=shop, sku="A")
    assert (offer.quantity, offer.price, offer.description, offer.discount_price) == (
        9,
        Decimal("20.00"),
        "Garantie 2 ans",
        Decimal("15.00"),
    )
    too_low = run_import(shop, csv_file("sku;price", "A;14"), mode="PARTIAL_UPDATE")
    assert errors(too_low) == [(2, [("discount-price", "discount-price-invalid")])]
    assert Offer.objects.get(shop=shop, sku="A").price == Decimal("20.00")


def test_normal_keeps_columns_absent_from_the_file(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    full = HEADER + ";description;warranty"
    run_import(shop, csv_file(full, f"A;{ean13(0)};EAN;20;5;11;Garantie;24"))
    run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;21;4;11"))
    offer = Offer.objects.get(shop=shop, sku="A")
    assert (offer.price, offer.description, offer.additional_fields) == (
        Decimal("21.00"),
        "Garantie",
        {"warranty": "24"},
    )
    run_import(shop, csv_file(full, f"A;{ean13(0)};EAN;21;4;11;;"))
    offer.refresh_from_db()
    assert (offer.description, offer.additional_fields) == ("", {})


def test_replace_deletes_offers_absent_from_the_file(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    run_import(shop, csv_file(HEADER, *(f"S{i};{ean13(i)};EAN;5;1;11" for i in range(4))))
    result = run_import(
        shop,
        csv_file(HEADER, f"S0;{ean13(0)};EAN;6;1;11", f"S1;{ean13(1)};EAN;bad;1;11"),
        mode="REPLACE",
    )
    assert counters(result) == {
        "status": "COMPLETE",
        "read": 2,
        "success": 1,
        "error": 1,
        "inserted": 0,
        "updated": 1,
        "deleted": 2,
    }
    # S1's line is in error: its offer stays as it was rather than disappear.
    assert offers(shop) == {
        "S0": (ean13(0), Decimal("6.00"), 1, "11"),
        "S1": (ean13(1), Decimal("5.00"), 1, "11"),
    }
    assert set(DeletedOffer.objects.values_list("sku", flat=True)) == {"S2", "S3"}


def test_replace_with_no_valid_line_fails_and_deletes_nothing(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    run_import(shop, csv_file(HEADER, f"S0;{ean13(0)};EAN;5;1;11"))
    result = run_import(shop, csv_file(HEADER, f"S9;{ean13(9)};EAN;x;1;11"), mode="REPLACE")
    assert result.status == "FAILED"
    assert reason_text(result, "en_US") == (
        "REPLACE import with no valid line: no offer was deleted. Fix the lines of the "
        "error report and send the file again."
    )
    assert set(offers(shop)) == {"S0"}


def test_channel_prices_and_additional_fields(shop, run_import, make_seller) -> None:  # type: ignore[no-untyped-def]
    header = HEADER + ";price[channel=ES_B2C];discount-price[channel=ES_B2C];warehouse-location"
    result = run_import(shop, csv_file(header, f"A;{ean13(0)};EAN;20;1;11;21,5;19;Espana"))
    assert counters(result)["inserted"] == 1
    offer = Offer.objects.get(shop=shop, sku="A")
    assert offer.channel_prices == {"ES_B2C": {"price": "21.50", "discount_price": "19.00"}}
    assert offer.additional_fields == {"warehouse-location": "Espana"}
    fr_only = make_seller("France seulement").shop
    refused = run_import(fr_only, csv_file(header, f"A;{ean13(0)};EAN;20;1;11;21;;France"))
    assert errors(refused) == [(2, [("price[channel=ES_B2C]", "channel-not-sold")])]


def test_discount_dates_are_stored(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    header = HEADER + ";discount-price;discount-start-date;discount-end-date"
    run_import(shop, csv_file(header, f"A;{ean13(0)};EAN;20;1;11;15;2026-12-01;2026-12-31"))
    offer = Offer.objects.get(shop=shop, sku="A")
    assert (offer.discount_price, offer.discount_start, offer.discount_end) == (
        Decimal("15.00"),
        date(2026, 12, 1),
        date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "sku;price;price\nA;1;2\n",
            "The column 'price' appears twice in the header: keep one.",
        ),
        (
            "sku;price[channel=DE_B2C]\nA;1\n",
            "The column 'price[channel=DE_B2C]' names the unknown channel 'DE_B2C': known "
            "channels are ES_B2C, FR_B2C.",
        ),
        (
            "price;quantity\n1;1\n",
            "The header has no 'sku' column: every offer line needs its sku.",
        ),
        (
            "sku;title\nA;Téléphone\n".encode("cp1252"),
            "The file is not encoded in UTF-8 (line 2, byte 0xE9): save it as 'CSV UTF-8' from "
            "Excel, or convert it to UTF-8, and send it again.",
        ),
    ],
)
def test_file_level_failures_apply_nothing(shop, run_import, content, reason) -> None:  # type: ignore[no-untyped-def]
    result = run_import(shop, content)
    assert (result.status, reason_text(result, "en_US")) == ("FAILED", reason)
    assert (result.lines_read, result.offer_inserted) == (0, 0)
    assert not Offer.objects.exists()


def test_line_with_more_values_than_header(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    result = run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;1;1;11;surplus"))
    assert errors(result) == [(2, [("", "line-too-long")])]


def test_counters_add_up_on_generated_file(shop, run_import, settings) -> None:  # type: ignore[no-untyped-def]
    lines = []
    for i in range(300):
        price = "bad" if i % 7 == 0 else f"{i + 1}.50"
        sku = "DUP" if i % 50 == 0 else f"S{i}"
        lines.append(f"{sku};{ean13(i % 200)};EAN;{price};{i};11")
    result = run_import(shop, csv_file(HEADER, *lines))
    assert result.lines_read == 300
    assert result.lines_read == result.lines_in_success + result.lines_in_error
    assert result.lines_in_error == result.errors.count()
    assert result.offer_inserted == Offer.objects.filter(shop=shop).count()
    expected_errors = sum(1 for i in range(300) if i % 7 == 0 or i % 50 == 0)
    assert result.lines_in_error == expected_errors


def test_tenant_offers_stay_apart(shop, run_import, make_seller) -> None:  # type: ignore[no-untyped-def]
    other = make_seller("Concurrent").shop
    run_import(other, csv_file(HEADER, f"A;{ean13(0)};EAN;50;1;11"))
    run_import(shop, csv_file(HEADER, f"A;{ean13(1)};EAN;10;1;11"))
    deleted = run_import(shop, csv_file(HEADER, f"B;{ean13(1)};EAN;10;1;11"), mode="REPLACE")
    assert deleted.offer_deleted == 1
    assert offers(other) == {"A": (ean13(0), Decimal("50.00"), 1, "11")}
    assert offers(shop) == {"B": (ean13(1), Decimal("10.00"), 1, "11")}


def test_finished_import_is_not_run_again(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    from mercato.imports.services import run_offer_import

    result = run_import(shop, csv_file(HEADER, f"A;{ean13(0)};EAN;1;1;11"))
    run_offer_import(result.id)
    result.refresh_from_db()
    assert counters(result)["read"] == 1 and result.attempts == 1
    assert result.status == ImportStatus.COMPLETE
