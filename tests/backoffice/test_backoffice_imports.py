"""Importer par fichier and Suivi des imports: upload, modes, live progress, errors, reports."""

import io

import pytest
from backoffice_cases import make_offer, page
from django.core.files.uploadedfile import SimpleUploadedFile

from mercato.catalog.models import Product
from mercato.imports.models import ImportOrigin, ImportStatus, OfferImport
from mercato.imports.services import create_offer_import, run_offer_import
from mercato.offers.models import Offer

HEADER = "sku;product-id;product-id-type;price;quantity;state"
GOOD = "SKU-1;3000000000007;EAN;799,00;12;11"
BAD_PRICE = "SKU-2;3000000000014;EAN;899 €;5;11"
UNKNOWN = "SKU-3;9999999999999;EAN;10;1;11"


def upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def media(tmp_media_root):  # type: ignore[no-untyped-def]
    return tmp_media_root


def test_the_import_page_follows_the_guides_steps(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/import/"))
    assert "Indiquer le mode d'import (le mode normal est recommandé)" in html
    assert '<option value="OFFERS" selected>Offres</option>' in html
    assert 'value="NORMAL" id="id_mode_0" required checked' in html
    assert 'enctype="multipart/form-data"' in html


def test_an_uploaded_file_becomes_an_import_of_the_shop(
    alpha, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as queued:
        response = alpha.client.post(
            "/seller/stock/import/",
            {"file": upload("offers.csv", HEADER, GOOD), "content": "OFFERS", "mode": "NORMAL"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/seller/stock/imports/"
    offer_import = OfferImport.objects.get()
    assert (offer_import.shop, offer_import.mode, offer_import.origin) == (
        alpha.seller.shop,
        "NORMAL",
        ImportOrigin.FRONT,
    )
    assert (offer_import.file_name, offer_import.status) == ("offers.csv", ImportStatus.WAITING)
    assert len(queued) == 1  # the job is queued once the transaction commits
    tracking = page(alpha.client.get("/seller/stock/imports/"))
    assert f"Import n°{offer_import.id} en cours." in tracking
    # A waiting import's row asks htmx to poll it.
    assert f'hx-get="/seller/stock/imports/{offer_import.id}/row/" hx-trigger="every 2s"' in (
        tracking
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "Ce fichier dépasse la taille maximale de 1 Mo : découpez-le en plusieurs fichiers.",
        ),
        ("en", "This file is larger than the 1 MB allowed: split it into several files."),
    ],
)
def test_a_file_above_the_upload_limit_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    alpha, settings, language, message
) -> None:
    settings.MERCATO_MAX_UPLOAD_BYTES = 1024 * 1024
    alpha.client.cookies["django_language"] = language
    lines = [HEADER, *(f"SKU-{i};3000000000007;EAN;1;1;11" for i in range(40_000))]
    response = alpha.client.post(
        "/seller/stock/import/",
        {"file": upload("offers.csv", *lines), "content": "OFFERS", "mode": "NORMAL"},
    )
    assert response.status_code == 200
    assert message in page(response)
    assert OfferImport.objects.count() == 0


def run(shop, *lines: str, mode: str = "NORMAL") -> OfferImport:  # type: ignore[no-untyped-def]
    offer_import, _ = create_offer_import(
        shop,
        content=io.BytesIO("\n".join(lines).encode()),
        file_name="offers.csv",
        mode=mode,
        origin=ImportOrigin.FRONT,
    )
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    return offer_import


def test_the_progress_row_shows_the_outcome_once_the_import_ends(alpha) -> None:  # type: ignore[no-untyped-def]
    clean = run(alpha.seller.shop, HEADER, GOOD)
    row = page(alpha.client.get(f"/seller/stock/imports/{clean.id}/row/"))
    assert "100 % intégré" in row
    assert "hx-trigger" not in row  # finished: no more polling
    with_errors = run(alpha.seller.shop, HEADER, GOOD, BAD_PRICE, UNKNOWN)
    row = page(alpha.client.get(f"/seller/stock/imports/{with_errors.id}/row/"))
    assert "2 erreurs</span> / 3" in row
    assert f'href="/seller/stock/imports/{with_errors.id}/errors/" download' in row


def test_a_running_import_shows_its_lines_read_and_keeps_polling(alpha) -> None:  # type: ignore[no-untyped-def]
    offer_import = run(alpha.seller.shop, HEADER, GOOD)
    OfferImport.objects.filter(id=offer_import.id).update(
        status=ImportStatus.RUNNING, lines_read=1500
    )
    row = page(alpha.client.get(f"/seller/stock/imports/{offer_import.id}/row/"))
    assert "1500 lignes lues" in row
    assert 'hx-trigger="every 2s"' in row


def test_the_import_detail_gives_each_error_with_the_guides_cause_and_fix(alpha) -> None:  # type: ignore[no-untyped-def]
    offer_import = run(alpha.seller.shop, HEADER, GOOD, BAD_PRICE, UNKNOWN)
    html = page(alpha.client.get(f"/seller/stock/imports/{offer_import.id}/"))
    assert "<td>4</td><td><code>product-id</code></td><td>Le produit n&#x27;existe pas</td>" in (
        html
    )
    assert "Vérifiez le couple product-id / product-id-type" in html
    assert "<td>3</td><td><code>price</code></td>" in html
    tracking = page(alpha.client.get("/seller/stock/imports/"))
    assert "<dt>Aucune offre existante à mettre à jour</dt>" in tracking
    assert "utilisez le mode d&#x27;import « Normal » pour créer l&#x27;offre." in tracking


def test_the_error_report_downloads_in_the_interfaces_language(alpha) -> None:  # type: ignore[no-untyped-def]
    offer_import = run(alpha.seller.shop, HEADER, GOOD, BAD_PRICE)
    url = f"/seller/stock/imports/{offer_import.id}/errors/"
    response = alpha.client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="offer-import-{offer_import.id}-errors.csv"'
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        f"{HEADER};error-line;error-message",
        "SKU-2;3000000000014;EAN;899 €;5;11;3;Le prix « 899 € » n'est pas un nombre : retirez le "
        "symbole monétaire et les lettres (exemple : 19.99 ou 19,99)",
    ]
    alpha.client.cookies["django_language"] = "en"
    english = b"".join(alpha.client.get(url).streaming_content).decode("utf-8-sig")
    assert "The price '899 €' is not a number" in english


def test_an_import_without_errors_has_no_report(alpha) -> None:  # type: ignore[no-untyped-def]
    offer_import = run(alpha.seller.shop, HEADER, GOOD)
    assert alpha.client.get(f"/seller/stock/imports/{offer_import.id}/errors/").status_code == 404


def test_replace_asks_for_confirmation_with_the_number_of_offers_it_deletes(alpha) -> None:  # type: ignore[no-untyped-def]
    shop = alpha.seller.shop
    products = list(Product.objects.order_by("id")[:3])
    for i, product in enumerate(products):
        make_offer(shop, product, f"OLD-{i}")
    galaxy_offer = Offer.objects.get(sku="OLD-0")
    keep = f"OLD-0;{galaxy_offer.product.product_sku};SKU;10;1;11"
    response = alpha.client.post(
        "/seller/stock/import/",
        {"file": upload("all.csv", HEADER, keep), "content": "OFFERS", "mode": "REPLACE"},
    )
    html = page(response)
    assert "Le mode Remplacement supprimera 2 offres de votre boutique absentes du fichier" in html
    assert OfferImport.objects.count() == 0
    token = html.split('name="token" value="')[1].split('"')[0]
    cancelled = alpha.client.post("/seller/stock/import/replace/", {"token": token, "cancel": "1"})
    assert cancelled["Location"] == "/seller/stock/import/"
    assert OfferImport.objects.count() == 0
    gone = alpha.client.post("/seller/stock/import/replace/", {"token": token, "confirm": "1"})
    assert gone.status_code == 404  # the cancelled file is gone
    html = page(
        alpha.client.post(
            "/seller/stock/import/",
            {"file": upload("all.csv", HEADER, keep), "content": "OFFERS", "mode": "REPLACE"},
        )
    )
    token = html.split('name="token" value="')[1].split('"')[0]
    confirmed = alpha.client.post("/seller/stock/import/replace/", {"token": token, "confirm": "1"})
    assert confirmed["Location"] == "/seller/stock/imports/"
    offer_import = OfferImport.objects.get()
    assert (offer_import.mode, offer_import.file_name) == ("REPLACE", "all.csv")
    run_offer_import(offer_import.id)
    assert list(Offer.objects.filter(shop=shop).values_list("sku", flat=True)) == ["OLD-0"]


def test_another_shops_imports_stay_out_of_sight(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    theirs = run(beta.seller.shop, HEADER, GOOD, BAD_PRICE)
    for suffix in ("", "row/", "errors/"):
        assert alpha.client.get(f"/seller/stock/imports/{theirs.id}/{suffix}").status_code == 404
    assert f"n°{theirs.id}" not in page(alpha.client.get("/seller/stock/imports/"))
    html = page(
        beta.client.post(
            "/seller/stock/import/",
            {"file": upload("a.csv", HEADER, GOOD), "content": "OFFERS", "mode": "REPLACE"},
        )
    )
    token = html.split('name="token" value="')[1].split('"')[0]
    # Alpha cannot confirm Beta's pending REPLACE file.
    stolen = alpha.client.post("/seller/stock/import/replace/", {"token": token, "confirm": "1"})
    assert stolen.status_code == 404
    assert OfferImport.objects.count() == 1


def test_an_unreadable_replace_file_is_refused_before_any_confirmation(
    alpha, tmp_media_root
) -> None:  # type: ignore[no-untyped-def]
    latin1 = SimpleUploadedFile("offres.csv", f"{HEADER}\nSKU-é;1;EAN;1;1;11".encode("latin-1"))
    html = page(
        alpha.client.post(
            "/seller/stock/import/", {"file": latin1, "content": "OFFERS", "mode": "REPLACE"}
        )
    )
    assert "encodé en UTF-8 (ligne 2, octet 0xE9)" in html
    assert "Confirmer le remplacement" not in html
    alpha.client.cookies["django_language"] = "en"
    latin1.seek(0)
    html = page(
        alpha.client.post(
            "/seller/stock/import/", {"file": latin1, "content": "OFFERS", "mode": "REPLACE"}
        )
    )
    assert "The file is not encoded in UTF-8 (line 2, byte 0xE9)" in html
    assert OfferImport.objects.count() == 0
    assert list((tmp_media_root / "backoffice-pending").rglob("*--*")) == []
