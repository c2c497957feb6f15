"""A seller's own product file, through their mapping, to the operator's format."""

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from product_files import ean13

from mercato.catalog.mapping_assistant import merge_mapping
from mercato.catalog.models import Product
from mercato.imports.models import ProductImport
from mercato.imports.reasons import reason_text
from mercato.imports.selectors import mapping_proposals
from mercato.imports.services import run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

SELLER_HEADER = (
    "Rayon;Référence;Code EAN;Nom;Marque;Photo;Teinte;Capacité;Écran;OS;Réparabilité;Poids"
)


def seller_line(n: int, rayon: str = "Téléphonie > Smartphones", teinte: str = "Bleu nuit") -> str:
    return (
        f"{rayon};R-{n};{ean13(n)};Téléphone {n};samsung;https://images.example.com/{n}.jpg;"
        f"{teinte};128GB;6,1;android;8;180"
    )


@pytest.fixture
def mapped(seller: Any) -> Any:
    merge_mapping(
        seller.shop,
        columns={
            "Rayon": "category", "Référence": "sku", "Code EAN": "ean", "Nom": "title-fr_FR",
            "Marque": "brand", "Photo": "image-1", "Teinte": "color",
            "Capacité": "storage-capacity", "Écran": "screen-size", "OS": "operating-system",
            "Réparabilité": "repairability-index",
        },
        categories={"Téléphonie > Smartphones": "smartphones"},
        values={"color": {"Bleu nuit": "bleu"}},
    )  # fmt: skip
    return seller


def run_file(client: Client, content: str, **fields: str) -> ProductImport:
    upload = SimpleUploadedFile("mine.csv", content.encode())
    response = client.post("/api/products/imports", {"file": upload, **fields})
    assert response.status_code == 201, response.content
    import_id = response.json()["import_id"]
    run_product_import(import_id)
    return ProductImport.objects.get(id=import_id)


def download(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_mapping_turns_the_sellers_file_into_the_operators_format(
    mapped: Any, api: Client
) -> None:
    lines = [
        seller_line(1),
        seller_line(2, rayon="Téléphonie > Smartphone"),  # 1006: not mapped
        seller_line(3, teinte="Fuchsia"),  # 3006: colour is recommended, dropped
        seller_line(4, rayon="  téléphonie>smartphones "),
    ]
    done = run_file(api, "\n".join([SELLER_HEADER, *lines]) + "\n")
    assert (done.status, done.mapping_version) == ("COMPLETE", 1)
    assert (
        done.transform_lines_read,
        done.transform_lines_in_success,
        done.transform_lines_in_error,
        done.transform_lines_with_warning,
    ) == (4, 3, 1, 1)
    assert done.unmapped == {
        "columns": ["Poids"],
        "categories": ["Téléphonie > Smartphone"],
        "values": {"color": ["Fuchsia"]},
    }
    assert reason_text(done, "en_US").startswith(
        "3 of 4 lines transformed. 1 line in error: download the transformation error report "
        "to fix it. Columns ignored, mapped to no attribute: Poids (map them in the mapping "
        "assistant if they hold product data). Categories not mapped: 1. Values not mapped to "
        "their value lists: 1. 3 products created"
    )
    report = download(api, f"/api/products/imports/{done.id}/transformation_error_report")
    assert [row[-2:] for row in report[1:]] == [
        [
            "1006|La catégorie de catalogue Téléphonie > Smartphone doit être mappée à une "
            "catégorie de catalogue d'opérateur",
            "",
        ],
        [
            "",
            "3006|L'attribut color n'est pas dans les valeurs possibles définies dans la liste "
            "de valeurs",
        ],
    ]
    transformed = download(api, f"/api/products/imports/{done.id}/transformed_file")
    assert transformed[0] == [
        "category", "sku", "ean", "title-fr_FR", "brand", "image-1", "color",
        "storage-capacity", "screen-size", "operating-system", "repairability-index",
    ]  # fmt: skip
    assert [(row[0], row[1], row[6]) for row in transformed[1:]] == [
        ("smartphones", "R-1", "bleu"),
        ("smartphones", "R-3", ""),
        ("smartphones", "R-4", "bleu"),
    ]
    products = Product.objects.filter(shop=mapped.shop).order_by("shop_sku")
    assert [(p.shop_sku, p.attributes.get("color")) for p in products] == [
        ("R-1", "bleu"),
        ("R-3", None),
        ("R-4", "bleu"),
    ]
    proposals = mapping_proposals(mapped.shop, done.id)
    assert [(p.kind, p.source, p.target, p.exact) for p in proposals] == [
        ("COLUMN", "Poids", "weight-kg", False),
        ("CATEGORY", "Téléphonie > Smartphone", "smartphones", False),
    ]


def test_operator_format_true_skips_the_mapping(mapped: Any, api: Client) -> None:
    done = run_file(api, "\n".join([SELLER_HEADER, seller_line(1)]) + "\n", operator_format="true")
    assert done.mapping_version is None
    assert done.transform_lines_in_error == 1
    report = download(api, f"/api/products/imports/{done.id}/transformation_error_report")
    assert report[1][-2].split("; ") == [
        "1004|La catégorie n'a pas pu être identifiée",
        *(
            f"1000|L'attribut {code} est obligatoire"
            for code in ("sku", "ean", "title-fr_FR", "brand", "image-1")
        ),
    ]
    assert Product.objects.filter(shop=mapped.shop).count() == 0
