"""Product imports in the back office: upload, tracking, live progress, the four files,
errors with the guide's cause and fix, the template; every screen scoped to the shop."""

import csv
import io

import pytest
from backoffice_cases import page
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from mercato.imports.models import ImportOrigin, OfferImport, ProductImport, ProductImportStatus
from mercato.imports.services import create_product_import, run_product_import

HEADER = (
    "category;sku;ean;title-fr_FR;brand;image-1;variant-group-code;color;storage-capacity;"
    "screen-size;operating-system;repairability-index;ram"
)


def ean13(n: int) -> str:
    body = f"{400000000000 + n:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def phone(n: int, category: str = "smartphones") -> str:
    return (
        f"{category};S-{n};{ean13(n)};Téléphone {n};samsung;https://images.example.com/{n}.jpg;"
        ";noir;128GB;6.1;android;8,5;8"
    )


def product_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.fixture(autouse=True)
def media(tmp_media_root):  # type: ignore[no-untyped-def]
    return tmp_media_root


def run(shop, content: bytes) -> ProductImport:  # type: ignore[no-untyped-def]
    product_import = create_product_import(
        shop,
        content=io.BytesIO(content),
        file_name="products.csv",
        operator_format=True,
        origin=ImportOrigin.FRONT,
        enqueue=False,
    )
    run_product_import(product_import.id)
    product_import.refresh_from_db()
    return product_import


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_product_file_becomes_a_product_import_of_the_shop(
    alpha, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("products.csv", product_file(phone(1)), content_type="text/csv")
    with django_capture_on_commit_callbacks() as queued:
        response = alpha.client.post(
            "/seller/stock/import/",
            {"file": upload, "content": "PRODUCTS", "product_format": "OPERATOR", "mode": "NORMAL"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/seller/stock/imports/"
    product_import = ProductImport.objects.get()
    assert (product_import.shop, product_import.origin, product_import.operator_format) == (
        alpha.seller.shop,
        ImportOrigin.FRONT,
        True,
    )
    assert product_import.status == ProductImportStatus.TRANSFORMATION_WAITING
    assert OfferImport.objects.count() == 0
    assert len(queued) == 1
    html = page(alpha.client.get("/seller/stock/imports/"))
    assert f"Import de produits n°{product_import.id} en cours." in html
    assert "Transformation en attente" in html
    assert (
        f'hx-get="/seller/stock/product-imports/{product_import.id}/row/" hx-trigger="every 2s"'
        in html
    )


def test_the_shops_own_format_goes_through_its_mapping(alpha) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("mine.csv", product_file(phone(1)), content_type="text/csv")
    alpha.client.post(
        "/seller/stock/import/",
        {"file": upload, "content": "PRODUCTS", "product_format": "SHOP", "mode": "NORMAL"},
    )
    assert ProductImport.objects.get().operator_format is False


def test_offers_and_products_together_make_a_combined_import(alpha) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("op.csv", product_file(phone(1)), content_type="text/csv")
    response = alpha.client.post(
        "/seller/stock/import/",
        {"file": upload, "content": "OFFERS_AND_PRODUCTS", "product_format": "OPERATOR",
         "mode": "NORMAL"},
    )  # fmt: skip
    assert response.status_code == 302
    offer_import = OfferImport.objects.get()
    assert offer_import.product_import == ProductImport.objects.get(
        shop=alpha.seller.shop, operator_format=True, origin=ImportOrigin.FRONT
    )
    assert (offer_import.origin, offer_import.api_status) == (
        ImportOrigin.FRONT,
        "WAITING_SYNCHRONIZATION_PRODUCT",
    )


def test_offers_and_products_together_cannot_replace(alpha) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("op.csv", product_file(phone(1)), content_type="text/csv")
    html = page(
        alpha.client.post(
            "/seller/stock/import/",
            {"file": upload, "content": "OFFERS_AND_PRODUCTS", "mode": "REPLACE"},
        )
    )
    assert "Le remplacement s&#x27;applique à un fichier d&#x27;offres seules" in html
    assert (ProductImport.objects.count(), OfferImport.objects.count()) == (0, 0)


def test_a_finished_import_shows_its_counters_and_files(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1), phone(2, category="nowhere")))
    assert product_import.status == ProductImportStatus.COMPLETE
    html = page(alpha.client.get("/seller/stock/imports/"))
    assert "2 lues : 1 transformées, 1 en erreur, 0 avec avertissement" in html
    assert "1 créés, 0 trouvés au catalogue, 0 mis à jour, 0 non intégrés, 0 refusés" in html
    base = f"/seller/stock/product-imports/{product_import.id}"
    assert f'href="{base}/transformation-errors/" download' in html
    assert f'href="{base}/transformed/" download' in html
    assert f'href="{base}/added/" download' in html
    assert f'href="{base}/errors/"' not in html  # nothing refused at integration
    # Finished: the row no longer polls.
    assert f'hx-get="{base}/row/"' not in html


def test_the_transformation_error_report_speaks_the_sellers_language(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1), phone(2, category="nowhere")))
    url = f"/seller/stock/product-imports/{product_import.id}/transformation-errors/"
    response = alpha.client.get(url)
    assert response["Content-Disposition"] == (
        f'attachment; filename="product-import-{product_import.id}-transformation-errors.csv"'
    )
    assert rows(response) == [
        [*HEADER.split(";"), "errors", "warnings"],
        [*phone(2, category="nowhere").split(";"), "1001|La catégorie nowhere est inconnue", ""],
    ]
    alpha.client.cookies["django_language"] = "en"
    assert rows(alpha.client.get(url))[1][-2] == "1001|The category nowhere is unknown"


def test_the_transformed_file_and_added_products_download(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1)))
    base = f"/seller/stock/product-imports/{product_import.id}"
    transformed = rows(alpha.client.get(f"{base}/transformed/"))
    assert len(transformed) == 2
    assert transformed[1][transformed[0].index("sku")] == "S-1"
    added = rows(alpha.client.get(f"{base}/added/"))
    assert added[0][:7] == [
        "line", "sku", "ean", "category", "product-sku", "integration", "product-status",
    ]  # fmt: skip
    assert added[1][:4] == ["2", "S-1", ean13(1), "smartphones"]
    assert added[1][5] == "CREATED"
    # No refused product: no P44, nor a transformation report.
    assert alpha.client.get(f"{base}/errors/").status_code == 404
    assert alpha.client.get(f"{base}/transformation-errors/").status_code == 404


def test_the_detail_gives_each_lines_error_with_its_cause_and_fix(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1), phone(2, category="nowhere")))
    html = page(alpha.client.get(f"/seller/stock/product-imports/{product_import.id}/"))
    assert f"Import de produits n°{product_import.id}" in html
    assert (
        "<tr><td>3</td><td><code>category</code></td><td>La catégorie nowhere est inconnue</td>"
        "<td>Vérifiez l&#x27;orthographe du code de catégorie (sans espace) ; une catégorie "
        "absente de la liste n&#x27;est pas dans le périmètre de la marketplace.</td></tr>"
    ) in html


def test_the_tracking_page_lists_the_guides_product_errors(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/imports/"))
    assert "<dt>1000 : L&#x27;attribut … est obligatoire</dt>" in html
    assert "Dans le fichier produit, entrez une valeur pour cet attribut obligatoire." in html
    alpha.client.cookies["django_language"] = "en"
    assert "<dt>1000 : The attribute … is required</dt>" in page(
        alpha.client.get("/seller/stock/imports/")
    )


def test_a_running_imports_row_polls_until_it_ends(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1)))
    ProductImport.objects.filter(id=product_import.id).update(status=ProductImportStatus.RUNNING)
    url = f"/seller/stock/product-imports/{product_import.id}/row/"
    html = page(alpha.client.get(url))
    assert f'hx-get="{url}" hx-trigger="every 2s"' in html
    assert "Intégration en cours" in html
    ProductImport.objects.filter(id=product_import.id).update(status=ProductImportStatus.COMPLETE)
    html = page(alpha.client.get(url))
    assert "hx-get" not in html
    assert "Terminé" in html


def test_another_shops_product_import_is_not_found(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1), phone(2, category="nowhere")))
    base = f"/seller/stock/product-imports/{product_import.id}"
    for url in (
        f"{base}/",
        f"{base}/row/",
        f"{base}/transformation-errors/",
        f"{base}/transformed/",
        f"{base}/added/",
    ):
        assert beta.client.get(url).status_code == 404, url
        assert alpha.client.get(url).status_code == 200, url
    assert "products.csv" not in page(beta.client.get("/seller/stock/imports/"))


def test_the_template_is_the_chosen_categorys(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/import/template/"))
    assert '<option value="smartphones">' in html
    response = alpha.client.get("/seller/stock/import/template/?category=smartphones")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="product-template-smartphones.xlsx"'
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    [header] = book.get_sheet_by_name("Produits").to_python()
    assert header[:4] == ["category*", "sku*", "ean*", "title-fr_FR*"]
    assert "compatible-models" not in header
    assert "price" not in header
    unknown = alpha.client.get("/seller/stock/import/template/?category=nowhere")
    assert "Sélectionnez un choix valide" in page(unknown)


@pytest.mark.parametrize(
    ("query", "filename", "offers"),
    [
        ("file_format=CSV", "product-template-smartphones.csv", False),
        ("file_format=CSV&with_offers=on", "product-template-smartphones-offers.csv", True),
        ("file_format=XLSX&with_offers=on", "product-template-smartphones-offers.xlsx", True),
    ],
)
def test_the_template_comes_as_csv_or_xlsx_with_the_offer_columns_on_request(
    alpha, query: str, filename: str, offers: bool
) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/import/template/"))
    assert '<input type="radio" name="file_format" value="CSV"' in html
    assert "Avec les colonnes des offres (fichier Offres et produits)" in html
    response = alpha.client.get(f"/seller/stock/import/template/?category=smartphones&{query}")
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    content = b"".join(response.streaming_content)
    if filename.endswith(".csv"):
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert content.startswith(b"\xef\xbb\xbfcategory*;sku*;ean*;title-fr_FR*;")
        header = content.decode("utf-8-sig").rstrip("\r\n").split(";")
    else:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        [header] = book.get_sheet_by_name("Produits").to_python()
    assert ("price" in header, "warranty" in header) == (offers, offers)


def test_the_product_import_tracking_speaks_english_on_request(alpha) -> None:  # type: ignore[no-untyped-def]
    product_import = run(alpha.seller.shop, product_file(phone(1), phone(2, category="nowhere")))
    alpha.client.cookies["django_language"] = "en"
    html = page(alpha.client.get("/seller/stock/imports/"))
    assert "<h2>Product imports</h2>" in html
    assert "2 read: 1 transformed, 1 in error, 0 with a warning" in html
    assert ">Transformation error report</a>" in html
    detail = page(alpha.client.get(f"/seller/stock/product-imports/{product_import.id}/"))
    assert "<td>The category nowhere is unknown</td>" in detail
    assert "Check the spelling of the category code (no spaces)" in detail
