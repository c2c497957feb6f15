"""Product integration: variants, moderation reaching P44, P51, tenancy, failures (restarts:
test_product_imports_overlap.py)."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from product_files import ean13, phone, product_file, send

from contract import assert_matches_contract
from mercato.catalog.models import Product
from mercato.catalog.moderation import accept_products, reject_products
from mercato.imports.models import ProductImport, ProductIntegration
from mercato.imports.reasons import reason_text
from mercato.imports.services import create_product_import, run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")


def status_of(client: Client, import_id: int) -> Any:
    response = client.get(f"/api/products/imports/{import_id}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract("P42", 200, body)
    return body


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_variants_must_differ_on_their_axes_in_the_file_and_in_the_catalog(
    seller: Any, api: Client
) -> None:
    first = send(api, product_file(phone(1, group="VG"), phone(2, group="VG", storage="256GB")))
    run_product_import(first)
    lines = [
        phone(3, group="VG", color="bleu"),  # a new colour: a new variant
        phone(4, group="VG"),  # noir 128GB: product S-1's values
        phone(5, group="VG2"),
        phone(6, group="VG2"),  # the values of line 4 of this file
        phone(7),  # no group: no variant to differ from
    ]
    second = send(api, product_file(*lines))
    run_product_import(second)
    body = status_of(api, second)
    assert body["integration_details"]["invalid_products"] == 2
    assert body["integration_details"]["products_successfully_synchronized"] == 3
    assert body["has_error_report"] is True
    s1 = Product.objects.get(shop=seller.shop, shop_sku="S-1")
    assert csv_rows(api.get(f"/api/products/imports/{second}/error_report")) == [
        ["line", "sku", "ean", "category", "product-sku", "status", "errors"],
        ["3", "S-4", ean13(4), "smartphones", "", "INVALID",
         f"2023|Le groupe de variantes VG a déjà un produit avec les valeurs noir, 128GB "
         f"(produit {s1.product_sku})"],
        ["5", "S-6", ean13(6), "smartphones", "", "INVALID",
         "2022|Le groupe de variantes VG2 a déjà un produit avec les valeurs noir, 128GB "
         "(ligne 4)"],
    ]  # fmt: skip
    assert sorted(
        Product.objects.filter(shop=seller.shop).values_list("shop_sku", "variant_group_code")
    ) == [("S-1", "VG"), ("S-2", "VG"), ("S-3", "VG"), ("S-5", "VG2"), ("S-7", "")]


@pytest.mark.parametrize("batch_lines", [2, 3, 20000])
def test_a_variant_repeated_from_an_earlier_batch_is_repeated_in_the_file(
    seller: Any, api: Client, monkeypatch: pytest.MonkeyPatch, batch_lines: int
) -> None:
    """The same report whatever the batches: a batch's catalog is read before the previous
    batch is written, and the file's registry finds the line it repeats."""
    from mercato.imports import product_pipeline

    monkeypatch.setattr(product_pipeline, "INTEGRATION_LINES", batch_lines)
    lines = [
        phone(1, group="VG"),
        phone(2, group="VG", storage="256GB"),
        phone(3, group="VG", color="bleu"),
        phone(4, group="VG"),  # line 2's values, two or more batches later
        phone(5, group="VG", storage="256GB"),  # line 3's
    ]
    import_id = send(api, product_file(*lines))
    run_product_import(import_id)
    body = status_of(api, import_id)
    assert body["import_status"] == "COMPLETE"
    assert body["integration_details"]["invalid_products"] == 2
    assert body["integration_details"]["products_successfully_synchronized"] == 3
    assert csv_rows(api.get(f"/api/products/imports/{import_id}/error_report")) == [
        ["line", "sku", "ean", "category", "product-sku", "status", "errors"],
        ["5", "S-4", ean13(4), "smartphones", "", "INVALID",
         "2022|Le groupe de variantes VG a déjà un produit avec les valeurs noir, 128GB "
         "(ligne 2)"],
        ["6", "S-5", ean13(5), "smartphones", "", "INVALID",
         "2022|Le groupe de variantes VG a déjà un produit avec les valeurs noir, 256GB "
         "(ligne 3)"],
    ]  # fmt: skip
    created = Product.objects.filter(shop=seller.shop)
    assert sorted(created.values_list("shop_sku", flat=True)) == ["S-1", "S-2", "S-3"]
    assert len(set(created.values_list("product_sku", flat=True))) == 3
    outcomes = ProductIntegration.objects.filter(product_import_id=import_id).order_by("line")
    assert [(o.line, o.outcome, o.product_id is not None) for o in outcomes] == [
        (2, "CREATED", True),
        (3, "CREATED", True),
        (4, "CREATED", True),
        (5, "INVALID", False),
        (6, "INVALID", False),
    ]
    assert {o.product_id for o in outcomes[:3]} == set(created.values_list("id", flat=True))


def test_the_operators_rejection_reaches_p44_with_its_reason(seller: Any, api: Client) -> None:
    import_id = send(api, product_file(phone(1), phone(2), phone(3)))
    run_product_import(import_id)
    assert status_of(api, import_id)["has_error_report"] is False
    mine = Product.objects.filter(shop=seller.shop)
    assert reject_products(mine.filter(shop_sku="S-2"), "Photo floue") == 1
    assert accept_products(mine.filter(shop_sku="S-1")) == 1
    body = status_of(api, import_id)
    assert body["integration_details"]["rejected_products"] == 1
    assert body["has_error_report"] is True
    s2 = mine.get(shop_sku="S-2")
    assert csv_rows(api.get(f"/api/products/imports/{import_id}/error_report"))[1:] == [
        ["3", "S-2", ean13(2), "smartphones", s2.product_sku, "REJECTED", "Photo floue"]
    ]
    added = csv_rows(api.get(f"/api/products/imports/{import_id}/new_product_report"))
    assert [(row[1], row[6]) for row in added[1:]] == [
        ("S-1", "LIVE"),
        ("S-2", "REJECTED"),
        ("S-3", "PENDING"),
    ]


def test_p51_lists_only_the_shops_imports_with_filters_and_pages(
    seller: Any, api: Client, make_seller: Any
) -> None:
    other = make_seller("Boutique Autre")
    theirs = create_product_import(
        other.shop, content=io.BytesIO(product_file(phone(9))), file_name="p.csv"
    )
    done = send(api, product_file(phone(1)))
    run_product_import(done)
    waiting = send(api, product_file(phone(2)))

    def listed(query: str = "") -> tuple[list[tuple[int, str]], int]:
        response = api.get(f"/api/products/imports{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert_matches_contract("P51", 200, body)
        rows = [(t["import_id"], t["import_status"]) for t in body["product_import_trackings"]]
        return rows, body["total_count"]

    assert listed() == ([(done, "COMPLETE"), (waiting, "TRANSFORMATION_WAITING")], 2)
    assert listed("?order=desc&max=1") == ([(waiting, "TRANSFORMATION_WAITING")], 2)
    assert listed("?offset=1") == ([(waiting, "TRANSFORMATION_WAITING")], 2)
    assert listed("?status=COMPLETE") == ([(done, "COMPLETE")], 1)
    assert listed("?has_transformed_file=true") == ([(done, "COMPLETE")], 1)
    assert listed("?has_transformed_file=false") == ([(waiting, "TRANSFORMATION_WAITING")], 1)
    assert listed("?last_request_date=2999-01-01T00:00:00Z") == ([], 0)
    response = api.get("/api/products/imports?status=DONE")
    assert response.status_code == 400
    for path in ("", "/transformation_error_report", "/transformed_file", "/error_report"):
        response = api.get(f"/api/products/imports/{theirs.id}{path}")
        assert response.status_code == 404, path
        assert response.json() == {
            "message": f"Product import {theirs.id} not found.",
            "status": 404,
        }


def test_a_report_not_there_yet_is_a_404_that_says_why(api: Client) -> None:
    import_id = send(api, product_file(phone(1)))
    response = api.get(f"/api/products/imports/{import_id}/transformed_file")
    assert response.status_code == 404
    assert response.json() == {
        "message": f"Product import {import_id} has no transformed file (status "
        "TRANSFORMATION_WAITING): see has_error_report, has_new_product_report, "
        "has_transformation_error_report and has_transformed_file in P42.",
        "status": 404,
    }


def test_an_unreadable_file_fails_the_transformation_and_writes_nothing(
    seller: Any, api: Client
) -> None:
    import_id = send(api, "category;sku\nsmartphones;caf\xe9\n".encode("latin-1"))
    run_product_import(import_id)
    body = status_of(api, import_id)
    assert body["import_status"] == "TRANSFORMATION_FAILED"
    assert body["reason_status"] == (
        "Le fichier n'est pas encodé en UTF-8 (ligne 2, octet 0xE9) : enregistrez-le au format "
        "« CSV UTF-8 » depuis Excel, ou convertissez-le en UTF-8, puis envoyez-le à nouveau."
    )
    assert Product.objects.filter(shop=seller.shop).count() == 0


def test_a_rejected_product_sent_again_goes_back_to_review_with_its_new_content(
    seller: Any, api: Client, make_seller: Any
) -> None:
    first = send(api, product_file(phone(1), phone(2)))
    run_product_import(first)
    mine = Product.objects.filter(shop=seller.shop)
    reject_products(mine.filter(shop_sku="S-1"), "Titre trop court")
    accept_products(mine.filter(shop_sku="S-2"))
    before = Product.objects.count()

    again = send(api, product_file(phone(1, title_fr_FR="Téléphone 1 noir 128 Go"), phone(2)))
    run_product_import(again)
    body = status_of(api, again)
    assert body["integration_details"]["products_reimported"] == 2
    assert body["integration_details"]["products_successfully_synchronized"] == 2
    assert Product.objects.count() == before
    s1, s2 = mine.get(shop_sku="S-1"), mine.get(shop_sku="S-2")
    assert (s1.status, s1.rejection_reason, s1.title) == ("PENDING", "", "Téléphone 1 noir 128 Go")
    assert s2.status == "LIVE"  # live: matched, left as it is
    added = csv_rows(api.get(f"/api/products/imports/{again}/new_product_report"))
    assert [(row[1], row[4], row[5], row[6]) for row in added[1:]] == [
        ("S-1", s1.product_sku, "UPDATED", "PENDING"),
        ("S-2", s2.product_sku, "MATCHED", "LIVE"),
    ]
    # Another shop sending the rejected product's EAN matches it and changes nothing.
    other = make_seller("Boutique Autre")
    reject_products(mine.filter(shop_sku="S-1"), "Photo floue")
    theirs = send(Client(HTTP_AUTHORIZATION=other.key), product_file(phone(1, sku="X-1")))
    run_product_import(theirs)
    s1.refresh_from_db()
    assert (s1.status, s1.shop_id, s1.shop_sku) == ("REJECTED", seller.shop.id, "S-1")
    assert ProductIntegration.objects.get(product_import_id=theirs).outcome == "MATCHED"


def test_imports_whose_worker_is_gone_are_queued_again_once(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from mercato.imports.services import recover_product_imports

    ids = [send(api, product_file(phone(n))) for n in range(1, 5)]
    old = timezone.now() - timedelta(hours=1)
    statuses = ["TRANSFORMATION_RUNNING", "SENT", "RUNNING", "RUNNING"]
    for import_id, status in zip(ids, statuses, strict=True):
        ProductImport.objects.filter(id=import_id).update(status=status, heartbeat_at=old)
    ProductImport.objects.filter(id=ids[3]).update(heartbeat_at=timezone.now())  # alive
    DBTaskResult.objects.all().delete()
    assert sorted(recover_product_imports()) == ids[:3]
    assert recover_product_imports() == []
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == ids[:3]
    assert [ProductImport.objects.get(id=i).status for i in ids] == [
        "TRANSFORMATION_WAITING", "SENT", "SENT", "RUNNING",
    ]  # fmt: skip
    for import_id in ids[:3]:
        run_product_import(import_id)
    # The last two never had a transformation here: they fail saying so, nothing written.
    ends = [ProductImport.objects.get(id=i) for i in ids[:3]]
    gone = "The transformed file is no longer stored: send the file again."
    assert [(i.status, i.products_created) for i in ends] == [
        ("COMPLETE", 1), ("FAILED", 0), ("FAILED", 0),
    ]  # fmt: skip
    assert [reason_text(i, "en_US") for i in ends[1:]] == [gone, gone]
