"""The product file template: its sheets, and a product written in it that imports clean."""

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from mercato.catalog.models import Product
from mercato.catalog.product_template import write_product_template
from mercato.imports.services import create_product_import, run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")


def template(hierarchy: str | None) -> CalamineWorkbook:
    out = io.BytesIO()
    write_product_template(out, hierarchy)
    return CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))


def test_the_smartphones_template_lists_its_attributes_required_first() -> None:
    book = template("smartphones")
    assert book.sheet_names == ["Produits", "Attributs", "ReferenceData"]
    [header] = book.get_sheet_by_name("Produits").to_python()
    described = book.get_sheet_by_name("Attributs").to_python()
    assert described[0] == ["code", "label", "requirement-level", "type", "category", "description"]
    assert [row[0] for row in described[1:]] == header
    levels = [row[2] for row in described[1:]]
    assert levels == sorted(levels, key=["REQUIRED", "RECOMMENDED", "OPTIONAL"].index)
    required = [row[0] for row in described[1:] if row[2] == "REQUIRED"]
    assert required == [
        "category", "sku", "ean", "title-fr_FR", "brand", "image-1", "storage-capacity",
        "screen-size", "operating-system", "repairability-index",
    ]  # fmt: skip
    assert "compatible-models" not in header  # a cases attribute
    reference = book.get_sheet_by_name("ReferenceData").to_python()
    assert ["colors", "bleu", "Bleu"] in reference
    assert ["storage-capacities", "128GB", "128 Go"] in reference


def test_the_whole_catalog_template_has_every_attribute() -> None:
    [header] = template(None).get_sheet_by_name("Produits").to_python()
    assert {"compatible-models", "storage-capacity", "power-w"} <= set(header)
    assert len(header) == len(set(header))


def test_a_product_written_in_the_template_imports_clean(seller: Any) -> None:
    import xlsxwriter

    [header] = template("smartphones").get_sheet_by_name("Produits").to_python()
    values = {
        "category": "smartphones", "sku": "T-1", "ean": "4000000000013",
        "title-fr_FR": "Téléphone", "brand": "samsung",
        "image-1": "https://images.example.com/1.jpg", "storage-capacity": "128GB",
        "screen-size": "6,1", "operating-system": "android", "repairability-index": "8",
    }  # fmt: skip
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Produits")
    for column, code in enumerate(header):
        sheet.write_string(0, column, str(code))
        sheet.write_string(1, column, values.get(str(code), ""))
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
