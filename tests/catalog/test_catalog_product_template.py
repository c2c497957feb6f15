"""The product file template: its sheets, and a product written in it that imports clean."""

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from mercato.catalog.models import Product
from mercato.catalog.product_template import (
    OFFER_COLUMNS,
    write_csv_template,
    write_product_template,
)
from mercato.imports.models import OfferImport
from mercato.imports.services import (
    create_combined_import,
    create_product_import,
    run_offer_import,
    run_product_import,
)
from mercato.offers.models import Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")


def template(hierarchy: str | None, *, with_offers: bool = False) -> CalamineWorkbook:
    out = io.BytesIO()
    write_product_template(out, hierarchy, with_offers=with_offers)
    return CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))


def csv_template(hierarchy: str | None, *, with_offers: bool = False) -> bytes:
    out = io.BytesIO()
    write_csv_template(out, hierarchy, with_offers=with_offers)
    return out.getvalue()


def codes(header: list[str]) -> list[str]:
    return [name.removesuffix("*") for name in header]


# A smartphone in the template's columns (by code); the rest of the line left empty.
PHONE = {
    "category": "smartphones", "sku": "T-1", "ean": "4000000000013",
    "title-fr_FR": "Téléphone", "brand": "samsung",
    "image-1": "https://images.example.com/1.jpg", "storage-capacity": "128GB",
    "screen-size": "6,1", "operating-system": "android", "repairability-index": "8",
}  # fmt: skip


def test_the_smartphones_template_lists_its_attributes_required_first() -> None:
    book = template("smartphones")
    assert book.sheet_names == ["Produits", "Attributs", "ReferenceData"]
    [header] = book.get_sheet_by_name("Produits").to_python()
    described = book.get_sheet_by_name("Attributs").to_python()
    assert described[0] == ["code", "label", "requirement-level", "type", "category", "description"]
    assert [row[0] for row in described[1:]] == codes(header)
    levels = [row[2] for row in described[1:]]
    assert levels == sorted(levels, key=["REQUIRED", "RECOMMENDED", "OPTIONAL"].index)
    required = [row[0] for row in described[1:] if row[2] == "REQUIRED"]
    assert required == [
        "category", "sku", "ean", "title-fr_FR", "brand", "image-1", "storage-capacity",
        "screen-size", "operating-system", "repairability-index",
    ]  # fmt: skip
    assert [name for name in header if name.endswith("*")] == [f"{c}*" for c in required]
    assert "compatible-models" not in codes(header)  # a cases attribute
    reference = book.get_sheet_by_name("ReferenceData").to_python()
    assert ["colors", "bleu", "Bleu"] in reference
    assert ["storage-capacities", "128GB", "128 Go"] in reference


def test_the_whole_catalog_template_has_every_attribute() -> None:
    [header] = template(None).get_sheet_by_name("Produits").to_python()
    assert {"compatible-models", "storage-capacity", "power-w"} <= set(codes(header))
    assert len(header) == len(set(codes(header)))


def test_a_product_written_in_the_template_imports_clean(seller: Any) -> None:
    import xlsxwriter

    [header] = template("smartphones").get_sheet_by_name("Produits").to_python()
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Produits")
    for column, name in enumerate(header):
        sheet.write_string(0, column, str(name))  # as written: the required marked
        sheet.write_string(1, column, PHONE.get(str(name).removesuffix("*"), ""))
    book.close()
    product_import = create_product_import(
        seller.shop, content=io.BytesIO(out.getvalue()), file_name="t.xlsx", enqueue=False
    )
    run_product_import(product_import.id)
    product_import.refresh_from_db()
    assert (
        product_import.status,
        product_import.transform_lines_in_success,
        product_import.transform_lines_in_error,
        product_import.products_created,
    ) == ("COMPLETE", 1, 0, 1)
    assert Product.objects.get(shop=seller.shop).shop_sku == "T-1"


@pytest.mark.parametrize("with_offers", [False, True])
def test_the_csv_template_has_the_workbooks_columns(with_offers: bool) -> None:
    content = csv_template("smartphones", with_offers=with_offers)
    [header] = (
        template("smartphones", with_offers=with_offers).get_sheet_by_name("Produits").to_python()
    )
    # UTF-8 with a BOM (Excel reads the accents right), `;`-separated, the header alone.
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == ";".join(header) + "\r\n"
    offers = [*OFFER_COLUMNS, "warranty", "warehouse-location"]
    assert header[-len(offers) :] == offers if with_offers else not set(offers) & set(header)
    assert header[:3] == ["category*", "sku*", "ean*"]


def csv_line(header: list[str], values: dict[str, str]) -> str:
    return ";".join(values.get(name.removesuffix("*"), "") for name in header)


def test_a_product_written_in_the_csv_template_imports_clean(seller: Any) -> None:
    header = csv_template("smartphones").decode("utf-8-sig").splitlines()[0].split(";")
    content = f"{';'.join(header)}\r\n{csv_line(header, PHONE)}\r\n".encode("utf-8-sig")
    product_import = create_product_import(
        seller.shop, content=io.BytesIO(content), file_name="t.csv", enqueue=False
    )
    run_product_import(product_import.id)
    product_import.refresh_from_db()
    assert (
        product_import.status,
        product_import.transform_lines_in_success,
        product_import.transform_lines_in_error,
        product_import.products_created,
        product_import.unmapped,
    ) == ("COMPLETE", 1, 0, 1, {"columns": [], "categories": [], "values": {}})
    assert Product.objects.get(shop=seller.shop).shop_sku == "T-1"


def test_a_product_and_its_offer_written_in_the_csv_template_import_together(
    seller: Any,
) -> None:
    text = csv_template("smartphones", with_offers=True).decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    line = csv_line(header, {**PHONE, "price": "199,90", "quantity": "4", "state": "11"})
    content = f"{';'.join(header)}\r\n{line}\r\n".encode("utf-8-sig")
    offer_import, _ = create_combined_import(
        seller.shop, content=io.BytesIO(content), file_name="t.csv", enqueue=False
    )
    assert offer_import.product_import_id is not None
    run_product_import(offer_import.product_import_id)
    run_offer_import(offer_import.id)
    done = OfferImport.objects.get(id=offer_import.id)
    assert (done.status, done.lines_read, done.lines_in_error, done.offer_inserted) == (
        "COMPLETE", 1, 0, 1,
    )  # fmt: skip
    product = Product.objects.get(shop=seller.shop)
    offer = Offer.objects.get(shop=seller.shop)
    assert (product.shop_sku, offer.sku, offer.product_id, str(offer.price), offer.quantity) == (
        "T-1", "T-1", product.id, "199.90", 4,
    )  # fmt: skip
