"""OF01 with_products=true: the "Offres et Produits" file, its products then its offers."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult
from product_files import CATALOG_EAN, HEADER, ean13, phone
from python_calamine import CalamineWorkbook

from contract import assert_matches_contract
from mercato.catalog.models import Product
from mercato.imports.models import OfferImport, ProductImport
from mercato.imports.reasons import reason_text
from mercato.imports.services import (
    recover_offer_imports,
    run_offer_import,
    run_product_import,
)
from mercato.offers.models import Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

COMBINED_HEADER = f"{HEADER};price;quantity;state"
COMBINED = (
    "\n".join(
        [
            COMBINED_HEADER,
            phone(1) + ";19.99;5;11",  # a new product and its offer
            phone(2, category="") + ";14.00;3;11",  # the product is refused
            phone(3) + ";12 €;2;11",  # the offer is refused
            phone(4, ean=CATALOG_EAN) + ";9.90;1;11",  # matched to the catalog's product
        ]
    )
    + "\n"
).encode()


def post_combined(api: Client, content: bytes, **fields: str) -> dict[str, Any]:
    upload = SimpleUploadedFile("offres-produits.csv", content, content_type="text/csv")
    response = api.post("/api/offers/imports", {"file": upload, "with_products": "true", **fields})
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    assert_matches_contract("OF01", 201, body)
    assert response["Location"] == f"/api/offers/imports/{body['import_id']}"
    return body


def get_json(api: Client, url: str, operation_id: str) -> Any:
    response = api.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation_id, 200, body)
    return body


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def catalog_sku() -> str:
    """The sku of the reference catalog's product of CATALOG_EAN (not the shop's)."""
    sku: str = Product.objects.get(identifiers__value=CATALOG_EAN).product_sku
    return sku


def queued() -> list[tuple[str, list[int]]]:
    return [
        (task.task_path.rsplit(".", 1)[-1], task.args_kwargs["args"])
        for task in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]


def test_products_are_integrated_first_then_the_offers_on_them(
    seller: Any, api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ids = post_combined(api, COMBINED, operator_format="true")
    offer_id, product_id = ids["import_id"], ids["product_import_id"]
    assert queued() == [("product_import_task", [product_id])]
    assert OfferImport.objects.get(id=offer_id).product_import == ProductImport.objects.get(
        id=product_id, operator_format=True, file_name="offres-produits.csv"
    )
    offers_url = f"/api/offers/imports/{offer_id}"
    assert get_json(api, offers_url, "OF02")["status"] == "WAITING_SYNCHRONIZATION_PRODUCT"
    waiting_for_products = "/api/offers/imports?status=WAITING_SYNCHRONIZATION_PRODUCT"
    listed = get_json(api, waiting_for_products, "OF04")["data"]
    assert [(x["import_id"], x["status"]) for x in listed] == [
        (offer_id, "WAITING_SYNCHRONIZATION_PRODUCT")
    ]
    assert get_json(api, "/api/offers/imports?status=WAITING", "OF04")["data"] == []

    with django_capture_on_commit_callbacks(execute=True):
        run_product_import(product_id)
    products = get_json(api, f"/api/products/imports/{product_id}", "P42")
    assert products["import_status"] == "COMPLETE"
    assert (products["transform_lines_read"], products["transform_lines_in_success"],
            products["transform_lines_in_error"]) == (4, 3, 1)  # fmt: skip
    product_import = ProductImport.objects.get(id=product_id)
    # The offer columns are the offers', not product columns the mapping left out.
    assert reason_text(product_import, "en_US") == (
        "3 of 4 lines transformed. 1 line in error: download the transformation error report "
        "to fix it. 2 products created, 1 matched to catalog products by EAN, 0 of the "
        "shop's products sent again for review, 0 refused."
    )
    assert queued() == [
        ("product_import_task", [product_id]),
        ("offer_import_task", [offer_id]),
    ]
    assert get_json(api, offers_url, "OF02")["status"] == "WAITING"
    assert get_json(api, waiting_for_products, "OF04")["data"] == []
    assert Offer.objects.count() == 0

    run_offer_import(offer_id)
    body = get_json(api, offers_url, "OF02")
    assert {k: body[k] for k in ("status", "lines_read", "lines_in_success", "lines_in_error",
                                 "offer_inserted", "offer_updated", "has_error_report")} == {
        "status": "COMPLETE", "lines_read": 4, "lines_in_success": 2, "lines_in_error": 2,
        "offer_inserted": 2, "offer_updated": 0, "has_error_report": True,
    }  # fmt: skip
    s1 = Product.objects.get(shop=seller.shop, shop_sku="S-1")
    s3 = Product.objects.get(shop=seller.shop, shop_sku="S-3")
    assert sorted(
        Offer.objects.filter(shop=seller.shop).values_list(
            "sku", "product__product_sku", "price", "quantity"
        )
    ) == [
        ("S-1", s1.product_sku, Decimal("19.99"), 5),
        ("S-4", catalog_sku(), Decimal("9.90"), 1),
    ]
    assert sorted(Product.objects.filter(shop=seller.shop).values_list("shop_sku", flat=True)) == [
        "S-1",
        "S-3",
    ]
    # The offer error report: the file's offer columns, its own line numbers.
    assert csv_rows(api.get(f"{offers_url}/error_report")) == [
        ["sku", "price", "quantity", "state", "product-id", "product-id-type", "error-line",
         "error-message"],
        ["S-2", "14.00", "3", "11", "S-2", "SHOP_SKU", "3", "Le produit n'existe pas"],
        ["S-3", "12 €", "2", "11", s3.product_sku, "SKU", "4",
         "Le prix « 12 € » n'est pas un nombre : retirez le symbole monétaire et les lettres "
         "(exemple : 19.99 ou 19,99)"],
    ]  # fmt: skip
    # The products' transformation error report: the line as sent, offer columns too.
    rows = csv_rows(api.get(f"/api/products/imports/{product_id}/transformation_error_report"))
    assert rows == [
        [*COMBINED_HEADER.split(";"), "errors", "warnings"],
        [*phone(2, category="").split(";"), "14.00", "3", "11",
         "1000|L'attribut category est obligatoire", ""],
    ]  # fmt: skip


def test_a_product_file_refused_as_a_whole_fails_its_offers_too(
    seller: Any, api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    content = COMBINED.replace("Téléphone 1".encode(), "T\xe9l\xe9phone 1".encode("latin-1"))
    with django_capture_on_commit_callbacks(execute=True):
        ids = post_combined(api, content)
        run_product_import(ids["product_import_id"])
    product_import = ProductImport.objects.get(id=ids["product_import_id"])
    assert product_import.status == "TRANSFORMATION_FAILED"
    body = get_json(api, f"/api/offers/imports/{ids['import_id']}?locale=en_US", "OF02")
    products_reason = reason_text(product_import, "en_US")
    assert (body["status"], body["reason_status"], body["lines_read"]) == (
        "FAILED",
        f"The products of the file could not be imported (product import {product_import.id}: "
        f"{products_reason}); no offer was imported. Fix the file and send it again.",
        0,
    )
    assert products_reason.startswith("The file is not encoded in UTF-8 (line 2")
    assert (Offer.objects.count(), Product.objects.filter(shop=seller.shop).count()) == (0, 0)
    assert [name for name, _ in queued()] == ["product_import_task"]


def test_the_same_file_sent_again_while_it_waits_is_the_same_import(
    api: Client, tmp_media_root: Any
) -> None:
    first = post_combined(api, COMBINED)
    assert post_combined(api, COMBINED) == first
    offers_only = api.post(
        "/api/offers/imports",
        {"file": SimpleUploadedFile("offres-produits.csv", COMBINED, content_type="text/csv")},
    )
    assert offers_only.status_code == 201
    assert offers_only.json() == {"import_id": first["import_id"] + 1}
    assert (OfferImport.objects.count(), ProductImport.objects.count()) == (2, 1)
    assert len([p for p in tmp_media_root.rglob("*") if p.is_file()]) == 2


def test_offers_left_waiting_by_a_dead_worker_are_handed_over_by_the_recovery(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ids = post_combined(api, f"{COMBINED_HEADER}\n{phone(1)};1;1;11\n".encode())
    run_product_import(ids["product_import_id"])  # its on_commit enqueue is lost
    assert queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_offer_imports() == []
    assert queued() == [("offer_import_task", [ids["import_id"]])]
    run_offer_import(ids["import_id"])
    offer_import = OfferImport.objects.get(id=ids["import_id"])
    assert (offer_import.status, offer_import.offer_inserted) == ("COMPLETE", 1)
    assert Offer.objects.get().product.shop_sku == "S-1"


def test_the_seller_s_product_id_is_kept(seller: Any, api: Client) -> None:
    header = f"{HEADER};product-id;product-id-type;price;quantity;state"
    lines = [phone(1) + f";{ean13(1)};EAN;5;1;11", phone(2) + f";{CATALOG_EAN};EAN;6;1;11"]
    ids = post_combined(api, "\n".join([header, *lines]).encode())
    run_product_import(ids["product_import_id"])
    run_offer_import(ids["import_id"])
    assert sorted(Offer.objects.values_list("sku", "product__product_sku")) == [
        ("S-1", Product.objects.get(shop=seller.shop, shop_sku="S-1").product_sku),
        ("S-2", catalog_sku()),
    ]


def workbook(*rows: list[str]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write_string(number, column, value)
    book.close()
    return out.getvalue()


def test_a_workbook_s_offers_keep_their_lines_and_take_labels(seller: Any, api: Client) -> None:
    content = workbook(
        COMBINED_HEADER.split(";"),
        [*phone(1).split(";"), "19.99", "5", "Neuf"],  # a state's label, as a workbook may
        [],  # an empty row: the next lines keep their numbers
        [*phone(2, category="").split(";"), "14.00", "3", "11"],
        [*phone(3).split(";"), "abc", "2", "11"],
    )
    upload = SimpleUploadedFile("offres-produits.xlsx", content)
    response = api.post("/api/offers/imports", {"file": upload, "with_products": "true"})
    assert response.status_code == 201, response.content
    ids = response.json()
    run_product_import(ids["product_import_id"])
    run_offer_import(ids["import_id"])
    body = get_json(api, f"/api/offers/imports/{ids['import_id']}", "OF02")
    assert (body["status"], body["lines_read"], body["lines_in_success"],
            body["lines_in_error"], body["offer_inserted"]) == ("COMPLETE", 3, 1, 2, 1)  # fmt: skip
    s1 = Product.objects.get(shop=seller.shop, shop_sku="S-1")
    assert list(Offer.objects.values_list("sku", "product_id", "state")) == [("S-1", s1.id, "11")]
    report = api.get(f"/api/offers/imports/{ids['import_id']}/error_report")
    assert report.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content)))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert [row[-2:] for row in rows] == [
        ["error-line", "error-message"],
        ["4", "Le produit n'existe pas"],
        ["5", "Le prix « abc » n'est pas un nombre : retirez le symbole monétaire et les lettres "
         "(exemple : 19.99 ou 19,99)"],
    ]  # fmt: skip
