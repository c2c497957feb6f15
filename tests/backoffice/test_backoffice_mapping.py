"""The assistant de configuration: the current mapping, proposals to confirm or correct,
saving as a new version, the mapping file down and up; each shop sees its own."""

import io

import pytest
from backoffice_cases import page
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from mercato.imports.models import ImportOrigin, ProductImport, ProductMapping
from mercato.imports.services import create_product_import, run_product_import

# The seller's own file: a column and a category the mapping does not know yet.
HEADER = (
    "category;sku;ean;title-fr_FR;brand;image-1;Couleur;storage-capacity;screen-size;"
    "operating-system;repairability-index"
)
LINE = (
    "Smartphone;S-1;4000000000013;Téléphone;samsung;https://images.example.com/1.jpg;noir;"
    "128GB;6.1;android;8,5"
)


@pytest.fixture(autouse=True)
def media(tmp_media_root):  # type: ignore[no-untyped-def]
    return tmp_media_root


def unmapped_import(shop) -> ProductImport:  # type: ignore[no-untyped-def]
    product_import = create_product_import(
        shop,
        content=io.BytesIO(f"{HEADER}\n{LINE}\n".encode()),
        file_name="mine.csv",
        origin=ImportOrigin.FRONT,
        enqueue=False,
    )
    run_product_import(product_import.id)
    product_import.refresh_from_db()
    return product_import


def test_the_proposals_of_an_import_are_offered_exact_or_fuzzy(alpha) -> None:  # type: ignore[no-untyped-def]
    imp = unmapped_import(alpha.seller.shop)
    assert imp.unmapped == {"columns": ["Couleur"], "categories": ["Smartphone"], "values": {}}
    detail = page(alpha.client.get(f"/seller/stock/product-imports/{imp.id}/"))
    assert f'href="/seller/products/mapping/?import={imp.id}"' in detail
    html = page(alpha.client.get(f"/seller/products/mapping/?import={imp.id}"))
    assert "<td>Couleur (<code>color</code>) · exacte</td>" in html
    assert '<input type="text" name="target_0" value="color"' in html
    assert "<td>Smartphones (<code>smartphones</code>) · approchée (95 %)</td>" in html
    assert '<input type="text" name="target_1" value="smartphones"' in html
    assert "Aucun mapping pour le moment" in html


def test_confirmed_proposals_are_saved_as_a_new_version(alpha) -> None:  # type: ignore[no-untyped-def]
    imp = unmapped_import(alpha.seller.shop)
    url = f"/seller/products/mapping/?import={imp.id}"
    response = alpha.client.post(url, {"target_0": "color", "target_1": ""})
    assert response.status_code == 302
    assert response["Location"] == "/seller/products/mapping/"
    first = ProductMapping.objects.get(shop=alpha.seller.shop)
    assert (first.version, first.columns, first.categories) == (1, {"Couleur": "color"}, {})
    alpha.client.post(url, {"target_0": "color", "target_1": "smartphones"})
    latest = ProductMapping.objects.filter(shop=alpha.seller.shop).order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.categories) == (2, {"smartphone": "smartphones"})
    html = page(alpha.client.get("/seller/products/mapping/"))
    assert "Mapping enregistré (version 2)." in html
    assert "Mapping actuel (version 2)" in html
    assert "<tr><td>Couleur</td><td><code>color</code></td></tr>" in html
    assert "<tr><td>smartphone</td><td><code>smartphones</code></td></tr>" in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (None, "La catégorie « smartphone » est mappée à « phones », qui n'est pas une "
               "catégorie feuille : utilisez le code d'une catégorie sans sous-catégorie (H11)."),
        ("fr", "La catégorie « smartphone » est mappée à « phones », qui n'est pas une "
               "catégorie feuille : utilisez le code d'une catégorie sans sous-catégorie (H11)."),
        ("en", "Category 'smartphone' is mapped to 'phones', which is no leaf category: use the "
               "code of a category without subcategories (H11)."),
    ],
)  # fmt: skip
def test_a_wrong_correction_is_named_in_the_interfaces_language_and_nothing_is_saved(
    alpha, language: str | None, message: str
) -> None:  # type: ignore[no-untyped-def]
    imp = unmapped_import(alpha.seller.shop)
    if language:
        alpha.client.cookies["django_language"] = language
    html = page(
        alpha.client.post(
            f"/seller/products/mapping/?import={imp.id}",
            {"target_0": "color", "target_1": "phones"},
        )
    )
    assert escape(message) in html
    assert ProductMapping.objects.count() == 0


def test_the_mapping_file_goes_down_and_back_up(alpha) -> None:  # type: ignore[no-untyped-def]
    imp = unmapped_import(alpha.seller.shop)
    alpha.client.post(
        f"/seller/products/mapping/?import={imp.id}",
        {"target_0": "color", "target_1": "smartphones"},
    )
    response = alpha.client.get("/seller/products/mapping/file/")
    content = b"".join(response.streaming_content)
    assert content.decode("utf-8-sig").splitlines() == [
        "type;attribute;source;target",
        "COLUMN;;Couleur;color",
        "CATEGORY;;smartphone;smartphones",
    ]
    upload = SimpleUploadedFile(
        "mapping.csv", b"type;attribute;source;target\nCOLUMN;;Teinte;color\n"
    )
    response = alpha.client.post("/seller/products/mapping/upload/", {"file": upload})
    assert response.status_code == 302
    latest = ProductMapping.objects.filter(shop=alpha.seller.shop).order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.columns, latest.categories) == (2, {"Teinte": "color"}, {})
    wrong = SimpleUploadedFile("mapping.csv", b"type;attribute;source;target\nCOLUMN;;Teinte;hue\n")
    html = page(alpha.client.post("/seller/products/mapping/upload/", {"file": wrong}))
    assert (
        escape(
            "Ligne 2, colonne « target » : « hue » n'est pas un attribut : utilisez un code "
            "d'attribut (PM11)."
        )
        in html
    )
    alpha.client.cookies["django_language"] = "en"
    wrong.seek(0)
    html = page(alpha.client.post("/seller/products/mapping/upload/", {"file": wrong}))
    assert (
        escape("Line 2, column 'target': 'hue' is no attribute: use an attribute code (PM11).")
        in html
    )
    latin1 = SimpleUploadedFile("mapping.csv", "type;attribute;source;target\nCOLUMN;;Thé;color\n"
                                .encode("latin-1"))  # fmt: skip
    html = page(alpha.client.post("/seller/products/mapping/upload/", {"file": latin1}))
    assert escape("The file is not encoded in UTF-8 (line 2, byte 0xE9)") in html
    assert ProductMapping.objects.filter(shop=alpha.seller.shop).count() == 2


def test_a_seller_sees_only_their_shops_mapping_and_imports(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    imp = unmapped_import(alpha.seller.shop)
    alpha.client.post(f"/seller/products/mapping/?import={imp.id}", {"target_0": "color"})
    assert beta.client.get(f"/seller/products/mapping/?import={imp.id}").status_code == 404
    html = page(beta.client.get("/seller/products/mapping/"))
    assert "Aucun mapping pour le moment" in html
    assert "Couleur" not in html
    content = b"".join(beta.client.get("/seller/products/mapping/file/").streaming_content)
    assert content.decode("utf-8-sig").splitlines() == ["type;attribute;source;target"]
