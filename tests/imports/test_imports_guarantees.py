import io
from datetime import timedelta
from decimal import Decimal

import pytest
import xlsxwriter
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from offer_files import csv_file, ean13

from mercato.imports import offer_lines, pipeline, services
from mercato.imports.models import ImportStatus, OfferImport
from mercato.imports.reasons import reason_text
from mercato.imports.services import create_offer_import, recover_offer_imports, run_offer_import
from mercato.offers.models import Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "key_ranges")

HEADER = "sku;product-id;product-id-type;price;quantity;state"


@pytest.fixture
def shop(make_seller):  # type: ignore[no-untyped-def]
    return make_seller("Boutique Garanties").shop


def send(shop, content: str, mode: str = "NORMAL") -> tuple[OfferImport, bool]:  # type: ignore[no-untyped-def]
    return create_offer_import(
        shop, content=io.BytesIO(content.encode()), file_name="offers.csv", mode=mode
    )


def ten_lines() -> str:
    return csv_file(HEADER, *(f"S{i};{ean13(i)};EAN;{i + 1};1;11" for i in range(10)))


def test_crash_mid_import_keeps_whole_batches_and_resumes(shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline, "BATCH_LINES", 4)
    real_insert = offer_lines.insert_offer_frame
    calls = {"n": 0}

    def crash_on_second_batch(*args):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real_insert(*args)  # the batch's writes happen, then the worker dies
        if calls["n"] == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(offer_lines, "insert_offer_frame", crash_on_second_batch)
    offer_import, _ = send(shop, ten_lines())
    with pytest.raises(RuntimeError):
        run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    # The first batch committed; the second rolled back whole.
    assert (offer_import.status, offer_import.checkpoint_line, offer_import.lines_read) == (
        ImportStatus.RUNNING,
        5,
        4,
    )
    assert sorted(Offer.objects.filter(shop=shop).values_list("sku", flat=True)) == [
        "S0",
        "S1",
        "S2",
        "S3",
    ]
    assert recover_offer_imports() == [offer_import.id]
    offer_import.refresh_from_db()
    assert (offer_import.status, offer_import.checkpoint_line) == (ImportStatus.WAITING, 5)
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.status, offer_import.lines_read, offer_import.offer_inserted) == (
        ImportStatus.COMPLETE,
        10,
        10,
    )
    assert offer_import.attempts == 2
    assert Offer.objects.filter(shop=shop).count() == 10


# Plainly right changes take the column road (written by update_offer_rows); a price with
# spaces around it is right too, but only the rule book (apply_offer_batch) reads it.
@pytest.mark.parametrize(
    ("road", "price"), [("update_offer_rows", "{}"), ("apply_offer_batch", " {} ")]
)
def test_crash_while_updating_keeps_whole_batches_and_resumes(  # type: ignore[no-untyped-def]
    shop, monkeypatch, road, price
) -> None:
    first, _ = send(shop, ten_lines())
    run_offer_import(first.id)
    monkeypatch.setattr(pipeline, "BATCH_LINES", 4)
    real_apply = getattr(offer_lines, road)
    calls = {"n": 0}

    def crash_on_second_batch(*args):  # type: ignore[no-untyped-def]
        outcome = real_apply(*args)  # the batch's updates happen, then the worker dies
        calls["n"] += 1 if args[0] and args[-1] != ("row_hash",) else 0  # not a rehash
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return outcome

    monkeypatch.setattr(offer_lines, road, crash_on_second_batch)
    repriced = csv_file(
        HEADER, *(f"S{i};{ean13(i)};EAN;{price.format(i + 50)};1;11" for i in range(10))
    )
    offer_import, _ = send(shop, repriced)
    with pytest.raises(RuntimeError):
        run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.checkpoint_line, offer_import.lines_read, offer_import.offer_updated) == (
        5,
        4,
        4,
    )
    prices = dict(Offer.objects.filter(shop=shop).values_list("sku", "price"))
    assert [int(prices[f"S{i}"]) for i in range(10)] == [50, 51, 52, 53, 5, 6, 7, 8, 9, 10]
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.status, offer_import.lines_read, offer_import.offer_updated) == (
        ImportStatus.COMPLETE,
        10,
        10,
    )
    prices = dict(Offer.objects.filter(shop=shop).values_list("sku", "price"))
    assert [int(prices[f"S{i}"]) for i in range(10)] == list(range(50, 60))


def test_running_import_with_fresh_heartbeat_is_left_to_its_worker(shop) -> None:  # type: ignore[no-untyped-def]
    offer_import, _ = send(shop, ten_lines())
    OfferImport.objects.filter(id=offer_import.id).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert recover_offer_imports() == []
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.status, offer_import.lines_read) == (ImportStatus.RUNNING, 0)
    OfferImport.objects.filter(id=offer_import.id).update(
        heartbeat_at=timezone.now() - pipeline.stale_after() - timedelta(seconds=1)
    )
    assert recover_offer_imports() == [offer_import.id]
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.status, offer_import.lines_read) == (ImportStatus.COMPLETE, 10)


def test_import_that_keeps_stopping_fails_with_a_reason(shop) -> None:  # type: ignore[no-untyped-def]
    offer_import, _ = send(shop, ten_lines())
    OfferImport.objects.filter(id=offer_import.id).update(
        status=ImportStatus.RUNNING, attempts=pipeline.MAX_ATTEMPTS, checkpoint_line=4
    )
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert offer_import.status == ImportStatus.FAILED
    assert reason_text(offer_import, "en_US") == (
        "The import stopped 3 times before its end; the lines up to line 4 are applied. "
        "Send the file again."
    )


def test_same_file_while_waiting_returns_the_first_import(shop, media_root) -> None:  # type: ignore[no-untyped-def]
    first, created = send(shop, ten_lines())
    again, created_again = send(shop, ten_lines())
    assert (created, created_again, again.id) == (True, False, first.id)
    assert OfferImport.objects.count() == 1
    assert len(list(media_root.rglob("*.csv"))) == 1
    other_mode, created_other = send(shop, ten_lines(), mode="REPLACE")
    assert created_other and other_mode.id != first.id
    run_offer_import(first.id)
    after, created_after = send(shop, ten_lines())
    assert created_after and after.id not in (first.id, other_mode.id)


def test_unknown_mode_is_refused(shop) -> None:  # type: ignore[no-untyped-def]
    from mercato.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Unknown import mode 'UPSERT'"):
        send(shop, ten_lines(), mode="UPSERT")
    assert OfferImport.objects.count() == 0


def test_import_is_queued_once_the_transaction_commits(
    shop, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue_offer_import", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        offer_import, _ = send(shop, ten_lines())
        assert queued == []
    assert queued == [offer_import.id]


def test_progress_is_reported_after_each_batch(shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline, "BATCH_LINES", 3)
    offer_import, _ = send(shop, ten_lines())
    seen: list[tuple[int, int]] = []
    run_offer_import(offer_import.id, lambda i: seen.append((i.lines_read, i.checkpoint_line)))
    assert seen == [(3, 4), (6, 7), (9, 10), (10, 11)]


def test_xlsx_file_with_labels(shop, run_import, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "offres.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(
        0,
        0,
        ["sku", "product-id", "product-id-type", "price", "quantity", "state", "logistic-class"],
    )
    sheet.write_row(1, 0, ["A", ean13(0), "EAN", 19.9, 3, "Neuf", "Petit colis"])
    sheet.write_row(2, 0, ["B", ean13(1), "EAN", 5, 1, 11, "Inconnue"])
    workbook.close()
    result = run_import(shop, path.read_bytes(), name="offres.xlsx")
    assert (result.file_format, result.lines_in_success, result.lines_in_error) == ("XLSX", 1, 1)
    offer = Offer.objects.get(shop=shop, sku="A")
    assert (offer.state, offer.logistic_class, offer.price, offer.quantity) == (
        "11",
        "S",
        Decimal("19.90"),
        3,
    )
    assert [(e.line, e.issues[0]["code"]) for e in result.errors.all()] == [
        (3, "logistic-class-unknown")
    ]


def test_xml_file(shop, run_import) -> None:  # type: ignore[no-untyped-def]
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<import><offers>
<offer><sku>A</sku><product-id>{ean13(0)}</product-id><product-id-type>EAN</product-id-type>
<price>20</price><quantity>2</quantity><state>11</state>
<discount><price>15</price><start-date>2026-01-01</start-date></discount>
<offer-additional-fields><offer-additional-field><code>warranty</code><value>24</value>
</offer-additional-field></offer-additional-fields></offer>
<offer><sku>B</sku><product-id>{ean13(1)}</product-id><product-id-type>EAN</product-id-type>
<price>20</price><quantity>2</quantity><state>Neuf</state></offer>
</offers></import>"""
    result = run_import(shop, content, name="offers.xml")
    assert (result.file_format, result.lines_in_success, result.lines_in_error) == ("XML", 1, 1)
    offer = Offer.objects.get(shop=shop, sku="A")
    assert (offer.discount_price, offer.additional_fields) == (Decimal("15.00"), {"warranty": "24"})
    assert [(e.line, e.issues[0]["code"]) for e in result.errors.all()] == [(8, "state-unknown")]


def test_stored_file_missing_fails_the_import(shop, media_root) -> None:  # type: ignore[no-untyped-def]
    offer_import, _ = send(shop, ten_lines())
    (media_root / offer_import.file_path).unlink()
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    assert (offer_import.status, reason_text(offer_import, "en_US")) == (
        ImportStatus.FAILED,
        "The imported file is no longer stored: send it again.",
    )


def test_statistics_are_refreshed_after_many_new_offers(shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pipeline, "BATCH_LINES", 2)
    monkeypatch.setattr(pipeline, "ANALYZE_EVERY", 4)
    refreshed: list[int] = []
    offer_import, _ = send(shop, ten_lines())
    monkeypatch.setattr(
        pipeline,
        "refresh_statistics",
        lambda: refreshed.append(OfferImport.objects.get(id=offer_import.id).offer_inserted),
    )
    run_offer_import(offer_import.id)
    # Once, at the end: the import's own lookups go through its staged lines, not through
    # per-batch queries that stale statistics would mislead.
    assert refreshed == [10]
    again, _ = send(shop, ten_lines().replace(";1;11", ";2;11"))
    run_offer_import(again.id)
    assert refreshed == [10]  # updates only: nothing new to tell the planner


def test_an_import_waits_while_another_import_of_its_shop_runs(  # type: ignore[no-untyped-def]
    shop, make_seller
) -> None:
    running, _ = send(shop, ten_lines())
    OfferImport.objects.filter(id=running.id).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    later, _ = send(shop, csv_file(HEADER, f"T0;{ean13(0)};EAN;70;1;11"))
    other_shop = make_seller("Boutique Voisine").shop
    elsewhere, _ = send(other_shop, csv_file(HEADER, f"T0;{ean13(0)};EAN;70;1;11"))
    DBTaskResult.objects.all().delete()
    before = timezone.now()

    run_offer_import(later.id)
    run_offer_import(elsewhere.id)

    later.refresh_from_db()
    assert (later.status, later.lines_read, later.attempts) == (ImportStatus.WAITING, 0, 0)
    assert not Offer.objects.filter(shop=shop).exists()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [later.id]
    assert queued.run_after >= before + pipeline.BUSY_RETRY
    elsewhere.refresh_from_db()  # another shop's import is not held up
    assert (elsewhere.status, elsewhere.offer_inserted) == (ImportStatus.COMPLETE, 1)

    # Once the shop's running import ends (or its worker is gone), the waiting one runs.
    OfferImport.objects.filter(id=running.id).update(
        heartbeat_at=timezone.now() - pipeline.stale_after() - timedelta(seconds=1)
    )
    run_offer_import(later.id)
    later.refresh_from_db()
    assert (later.status, later.offer_inserted) == (ImportStatus.COMPLETE, 1)
