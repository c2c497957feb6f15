"""An import's reason: stored as a code and its parameters, rendered in the reader's language
by OF02, OF04, P42, P51 (`locale`), the back office (its interface's language) and the CLI."""

import io
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.conf import settings
from django.test import Client
from django.utils.html import escape
from offer_files import csv_file, ean13
from product_files import HEADER as PRODUCT_HEADER
from product_files import phone, product_file

from contract import assert_matches_contract
from mercato.imports import pipeline, product_pipeline
from mercato.imports.models import OfferImport, ProductImport
from mercato.imports.reasons import REASONS, Reason, render, several
from mercato.imports.services import (
    create_combined_import,
    create_offer_import,
    create_product_import,
    run_offer_import,
    run_product_import,
)
from mercato.shops.models import Shop

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

OFFER_HEADER = "sku;product-id;product-id-type;price;quantity;state"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_has_its_french_and_english_wording_with_the_same_parameters(
    code: str,
) -> None:
    text = REASONS[code]
    assert (text.fr and text.en and text.fr != text.en) or code == "several"
    assert _fields(text.fr) == _fields(text.en)


def test_a_reason_of_reasons_renders_each_and_keeps_an_older_text_as_it_is() -> None:
    stopped = Reason("product-import-stopped", {"attempts": 3})
    both = several("Texte d'avant.", several(stopped, Reason("no-sku-column")))
    assert both.code == "several"
    assert both.render("en_US") == (
        "Texte d'avant. The import stopped 3 times before its end. Send the file again. The "
        "header has no 'sku' column: every offer line needs its sku."
    )
    assert several(stopped) == stopped
    assert render("no-sku-column", {}, "es_ES") == render("no-sku-column", {}, "en_US")
    with pytest.raises(ValueError, match="unknown import reason code 'nope'"):
        Reason("nope")


# --- offer imports ---------------------------------------------------------------------------


def _offer_file(shop: Shop, content: bytes, name: str = "offers.csv", mode: str = "NORMAL") -> int:
    offer_import, _ = create_offer_import(
        shop, content=io.BytesIO(content), file_name=name, mode=mode, enqueue=False
    )
    return offer_import.id


def _sent(content: str | bytes, name: str = "offers.csv", mode: str = "NORMAL") -> Any:
    data = content.encode() if isinstance(content, str) else content

    def make(shop: Shop) -> int:
        import_id = _offer_file(shop, data, name, mode)
        run_offer_import(import_id)
        return import_id

    return make


def _empty_workbook() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    book.add_worksheet("Offres")
    book.close()
    return out.getvalue()


def _stopped(shop: Shop) -> int:
    import_id = _offer_file(shop, csv_file(OFFER_HEADER, f"A;{ean13(0)};EAN;5;1;11").encode())
    OfferImport.objects.filter(id=import_id).update(
        status="RUNNING", attempts=pipeline.MAX_ATTEMPTS, checkpoint_line=4
    )
    run_offer_import(import_id)
    return import_id


def _file_gone(shop: Shop) -> int:
    import_id = _offer_file(shop, csv_file(OFFER_HEADER, f"A;{ean13(0)};EAN;5;1;11").encode())
    (Path(settings.MEDIA_ROOT) / OfferImport.objects.get(id=import_id).file_path).unlink()
    run_offer_import(import_id)
    return import_id


def _replace_with_no_valid_line(shop: Shop) -> int:
    _sent(csv_file(OFFER_HEADER, f"S0;{ean13(0)};EAN;5;1;11"))(shop)
    return int(_sent(csv_file(OFFER_HEADER, f"S9;{ean13(9)};EAN;x;1;11"), mode="REPLACE")(shop))


def _products_refused(shop: Shop) -> int:
    content = product_file(phone(1)).replace("é".encode(), b"\xe9")
    offer_import, _ = create_combined_import(
        shop, content=io.BytesIO(content), file_name="both.csv", operator_format=True,
        enqueue=False,
    )  # fmt: skip
    assert offer_import.product_import_id is not None
    run_product_import(offer_import.product_import_id)
    return offer_import.id


UTF8_FR = (
    "Le fichier n'est pas encodé en UTF-8 (ligne 2, octet 0xE9) : enregistrez-le au format "
    "« CSV UTF-8 » depuis Excel, ou convertissez-le en UTF-8, puis envoyez-le à nouveau."
)
UTF8_EN = (
    "The file is not encoded in UTF-8 (line 2, byte 0xE9): save it as 'CSV UTF-8' from Excel, "
    "or convert it to UTF-8, and send it again."
)


@dataclass(frozen=True)
class Case:
    make: Callable[[Shop], int]
    code: str
    params: dict[str, object]
    fr: str
    en: str
    # A parameter from the library that read the file (its own words): checked as stored.
    detail: bool = False
    status: str = "FAILED"
    more: dict[str, object] = field(default_factory=dict)


OFFER_CASES = {
    "not-utf8": Case(
        _sent("sku;title\nA;Téléphone\n".encode("cp1252")),
        "not-utf8", {"line": 2, "byte": "E9"}, UTF8_FR, UTF8_EN,
    ),
    "not-utf8-truncated": Case(
        _sent(b"sku;title\nA;T\xc3"),
        "not-utf8-truncated", {"line": 2},
        "Le fichier n'est pas encodé en UTF-8 (ligne 2, caractère tronqué à la fin) : "
        "convertissez-le en UTF-8 et envoyez-le à nouveau.",
        "The file is not encoded in UTF-8 (line 2, truncated character at the end): convert "
        "it to UTF-8 and send it again.",
    ),
    "empty-file": Case(
        _sent(b"\n"), "empty-file", {},
        "Le fichier est vide : sa première ligne doit être l'en-tête.",
        "The file is empty: its first line must be the header.",
    ),
    "not-a-workbook": Case(
        _sent(b"PK\x03\x04broken", name="offers.xlsx"), "not-a-workbook", {},
        "Le fichier n'a pas pu être lu comme un classeur Excel ({detail}) : enregistrez-le au "
        "format .xlsx et envoyez-le à nouveau.",
        "The file could not be read as an Excel workbook ({detail}): save it as .xlsx and "
        "send it again.",
        detail=True,
    ),
    "empty-sheet": Case(
        _sent(_empty_workbook(), name="offers.xlsx"), "empty-sheet", {},
        "La première feuille est vide : sa première ligne doit être l'en-tête.",
        "The first sheet is empty: its first row must be the header.",
    ),
    "xml-malformed": Case(
        _sent(b"<import><offers><offer><sku>A</sku></offers></import>", name="o.xml"),
        "xml-malformed", {},
        "Le fichier XML est mal formé : {detail}. Corrigez-le et envoyez-le à nouveau.",
        "The XML file is malformed: {detail}. Fix it and send it again.",
        detail=True,
    ),
    "xml-no-record": Case(
        _sent(b"<import><items/></import>", name="o.xml"), "xml-no-record", {},
        "Le fichier XML ne contient aucun élément <offer> ou <product>.",
        "The XML file holds no <offer> or <product> element.",
    ),
    "column-twice": Case(
        _sent("sku;price;price\nA;1;2\n"), "column-twice", {"column": "price"},
        "La colonne « price » apparaît deux fois dans l'en-tête : gardez-en une.",
        "The column 'price' appears twice in the header: keep one.",
    ),
    "default-channel-column": Case(
        _sent("sku;price[channel=FR_B2C]\nA;1\n"), "default-channel-column",
        {"column": "price[channel=FR_B2C]", "channel": "FR_B2C", "base": "price"},
        "La colonne « price[channel=FR_B2C] » désigne le canal par défaut FR_B2C : utilisez la "
        "colonne « price » pour ses prix.",
        "The column 'price[channel=FR_B2C]' names the default channel FR_B2C: use the column "
        "'price' for its prices.",
    ),
    "unknown-channel": Case(
        _sent("sku;price[channel=DE_B2C]\nA;1\n"), "unknown-channel",
        {"column": "price[channel=DE_B2C]", "channel": "DE_B2C", "known": "ES_B2C, FR_B2C"},
        "La colonne « price[channel=DE_B2C] » désigne le canal inconnu « DE_B2C » : les canaux "
        "connus sont ES_B2C, FR_B2C.",
        "The column 'price[channel=DE_B2C]' names the unknown channel 'DE_B2C': known channels "
        "are ES_B2C, FR_B2C.",
    ),
    "no-sku-column": Case(
        _sent("price;quantity\n1;1\n"), "no-sku-column", {},
        "L'en-tête n'a pas de colonne « sku » : chaque ligne d'offre a besoin de son sku.",
        "The header has no 'sku' column: every offer line needs its sku.",
    ),
    "several": Case(
        _sent("price;price\n1;1\n"), "several",
        {"reasons": [{"code": "column-twice", "params": {"column": "price"}},
                     {"code": "no-sku-column", "params": {}}]},
        "La colonne « price » apparaît deux fois dans l'en-tête : gardez-en une. L'en-tête n'a "
        "pas de colonne « sku » : chaque ligne d'offre a besoin de son sku.",
        "The column 'price' appears twice in the header: keep one. The header has no 'sku' "
        "column: every offer line needs its sku.",
    ),
    "file-missing": Case(
        _file_gone, "file-missing", {},
        "Le fichier importé n'est plus conservé : envoyez-le à nouveau.",
        "The imported file is no longer stored: send it again.",
    ),
    "offer-import-stopped": Case(
        _stopped, "offer-import-stopped", {"attempts": 3, "line": 4},
        "L'import s'est arrêté 3 fois avant sa fin ; les lignes jusqu'à la ligne 4 sont "
        "appliquées. Envoyez le fichier à nouveau.",
        "The import stopped 3 times before its end; the lines up to line 4 are applied. Send "
        "the file again.",
    ),
    "replace-no-valid-line": Case(
        _replace_with_no_valid_line, "replace-no-valid-line", {},
        "Import en mode remplacement sans aucune ligne valide : aucune offre n'a été supprimée. "
        "Corrigez les lignes du rapport d'erreurs et envoyez le fichier à nouveau.",
        "REPLACE import with no valid line: no offer was deleted. Fix the lines of the error "
        "report and send the file again.",
    ),
    "products-failed": Case(
        _products_refused, "products-failed", {},
        f"Les produits du fichier n'ont pas pu être importés (import de produits {{pid}} : "
        f"{UTF8_FR}) ; aucune offre n'a été importée. Corrigez le fichier et envoyez-le à "
        "nouveau.",
        f"The products of the file could not be imported (product import {{pid}}: {UTF8_EN}); "
        "no offer was imported. Fix the file and send it again.",
        detail=True,
    ),
    "lines-in-error": Case(
        _sent(csv_file(OFFER_HEADER, f"A;{ean13(0)};EAN;5;1;11", f"B;{ean13(1)};EAN;x;1;11")),
        "lines-in-error", {"errors": 1, "read": 2},
        "1 ligne en erreur sur 2 : téléchargez le rapport d'erreurs pour la corriger.",
        "1 of 2 lines in error: download the error report to fix it.",
        status="COMPLETE",
    ),
    "lines-integrated": Case(
        _sent(csv_file(OFFER_HEADER, f"A;{ean13(0)};EAN;5;1;11")),
        "lines-integrated", {"read": 1}, "1 ligne intégrée.", "1 line integrated.",
        status="COMPLETE",
    ),
}  # fmt: skip


def _expected(case: Case, found: OfferImport | ProductImport) -> tuple[str, str]:
    """The case's wording, its reader library's own words filled in as stored."""
    if not case.detail:
        return case.fr, case.en
    params = found.reason_params
    if "detail" in params:
        detail = str(params["detail"])
        return case.fr.format(detail=detail), case.en.format(detail=detail)
    pid = str(params["import_id"])
    return case.fr.replace("{pid}", pid), case.en.replace("{pid}", pid)


def _seller_client(seller: Any, language: str) -> Client:
    client = Client()
    client.force_login(seller.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _api_body(api: Client, url: str, operation: str) -> Any:
    response = api.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation, 200, body)
    return body


@pytest.mark.parametrize("name", list(OFFER_CASES))
def test_an_offer_imports_reason_in_each_readers_language(
    name: str, seller: Any, api: Client
) -> None:
    case = OFFER_CASES[name]
    import_id = case.make(seller.shop)
    found = OfferImport.objects.get(id=import_id)
    fr, en = _expected(case, found)
    assert found.status == case.status
    assert found.reason_code == case.code
    if not case.detail:
        assert found.reason_params == case.params
    assert found.reason_status == fr  # the column keeps the default language's text
    url = f"/api/offers/imports/{import_id}"
    assert _api_body(api, url, "OF02")["reason_status"] == fr
    assert _api_body(api, f"{url}?locale=fr_FR", "OF02")["reason_status"] == fr
    assert _api_body(api, f"{url}?locale=en_US", "OF02")["reason_status"] == en
    listed = _api_body(api, "/api/offers/imports?locale=en_US&limit=100", "OF04")["data"]
    assert [i["reason_status"] for i in listed if i["import_id"] == import_id] == [en]
    listed = _api_body(api, "/api/offers/imports?limit=100", "OF04")["data"]
    assert [i["reason_status"] for i in listed if i["import_id"] == import_id] == [fr]
    for language, text in (("fr", fr), ("en", en)):
        client = _seller_client(seller, language)
        detail = client.get(f"/seller/stock/imports/{import_id}/").content.decode()
        assert escape(text) in detail
        if case.status == "FAILED":
            tracking = client.get("/seller/stock/imports/").content.decode()
            assert escape(text) in tracking
            assert escape(en if language == "fr" else fr) not in tracking


# --- product imports -------------------------------------------------------------------------


def _product_file(shop: Shop, content: bytes, operator_format: bool = True) -> int:
    product_import = create_product_import(
        shop, content=io.BytesIO(content), file_name="products.csv",
        operator_format=operator_format, enqueue=False,
    )  # fmt: skip
    return product_import.id


def _products(content: bytes, operator_format: bool = True) -> Callable[[Shop], int]:
    def make(shop: Shop) -> int:
        import_id = _product_file(shop, content, operator_format)
        run_product_import(import_id)
        return import_id

    return make


def _products_stopped(shop: Shop) -> int:
    import_id = _product_file(shop, product_file(phone(1)))
    ProductImport.objects.filter(id=import_id).update(
        status="TRANSFORMATION_RUNNING", attempts=product_pipeline.MAX_ATTEMPTS
    )
    run_product_import(import_id)
    return import_id


def _products_gone(shop: Shop) -> int:
    import_id = _product_file(shop, product_file(phone(1)))
    (Path(settings.MEDIA_ROOT) / ProductImport.objects.get(id=import_id).file_path).unlink()
    run_product_import(import_id)
    return import_id


def _transformed_gone(shop: Shop) -> int:
    import_id = _product_file(shop, product_file(phone(1)))
    ProductImport.objects.filter(id=import_id).update(status="SENT")
    run_product_import(import_id)
    return import_id


def _an_older_text(shop: Shop) -> int:
    """An import stored before the codes: its text only, as it was written then."""
    import_id = _product_file(shop, product_file(phone(1)))
    ProductImport.objects.filter(id=import_id).update(
        status="FAILED", reason_status="The transformed file is no longer stored."
    )
    return import_id


PRODUCT_CASES = {
    "not-utf8": Case(
        _products(product_file(phone(1)).replace("é".encode(), b"\xe9")),
        "not-utf8", {"line": 2, "byte": "E9"}, UTF8_FR, UTF8_EN,
        status="TRANSFORMATION_FAILED",
    ),
    "file-missing": Case(
        _products_gone, "file-missing", {},
        "Le fichier importé n'est plus conservé : envoyez-le à nouveau.",
        "The imported file is no longer stored: send it again.",
        status="TRANSFORMATION_FAILED",
    ),
    "transformed-file-missing": Case(
        _transformed_gone, "transformed-file-missing", {},
        "Le fichier transformé n'est plus conservé : envoyez le fichier à nouveau.",
        "The transformed file is no longer stored: send the file again.",
    ),
    "product-import-stopped": Case(
        _products_stopped, "product-import-stopped", {"attempts": 3},
        "L'import s'est arrêté 3 fois avant sa fin. Envoyez le fichier à nouveau.",
        "The import stopped 3 times before its end. Send the file again.",
        status="TRANSFORMATION_FAILED",
    ),
    "older-text": Case(
        _an_older_text, "", {},
        "The transformed file is no longer stored.", "The transformed file is no longer stored.",
    ),
    "products-integrated": Case(
        _products(product_file(phone(1), phone(2, category=""))),
        "several",
        {"reasons": [
            {"code": "lines-transformed", "params": {"transformed": 1, "read": 2}},
            {"code": "transformation-errors", "params": {"errors": 1}},
            {"code": "products-integrated",
             "params": {"created": 1, "matched": 0, "updated": 0, "invalid": 0}},
        ]},
        "1 lignes transformées sur 2. 1 ligne en erreur : vous pouvez télécharger le rapport "
        "d'erreur de la transformation pour la corriger. 1 produits créés, 0 trouvés au "
        "catalogue par leur EAN, 0 produits de la boutique renvoyés en validation, 0 refusés.",
        "1 of 2 lines transformed. 1 line in error: download the transformation error report "
        "to fix it. 1 products created, 0 matched to catalog products by EAN, 0 of the "
        "shop's products sent again for review, 0 refused.",
        status="COMPLETE",
    ),
    "products-integrated-with-errors": Case(
        _products(product_file(phone(5, group="VG2"), phone(6, group="VG2"))),
        "several",
        {"reasons": [
            {"code": "lines-transformed", "params": {"transformed": 2, "read": 2}},
            {"code": "products-integrated-with-errors",
             "params": {"created": 1, "matched": 0, "updated": 0, "invalid": 1}},
        ]},
        "2 lignes transformées sur 2. 1 produits créés, 0 trouvés au catalogue par leur EAN, 0 "
        "produits de la boutique renvoyés en validation, 1 refusés : téléchargez le rapport "
        "d'erreurs pour les corriger.",
        "2 of 2 lines transformed. 1 products created, 0 matched to catalog products by EAN, 0 "
        "of the shop's products sent again for review, 1 refused: download the error report "
        "to fix them.",
        status="COMPLETE",
    ),
    "not-mapped": Case(
        _products(
            product_file(phone(1, category="Téléphonie", color="Fuchsia") + ";1",
                         header=f"{PRODUCT_HEADER};Poids"),
            operator_format=False,
        ),
        "several",
        {"reasons": [
            {"code": "lines-transformed", "params": {"transformed": 0, "read": 1}},
            {"code": "transformation-errors", "params": {"errors": 1}},
            {"code": "columns-ignored", "params": {"columns": "Poids"}},
            {"code": "categories-not-mapped", "params": {"count": 1}},
            {"code": "values-not-mapped", "params": {"count": 1}},
            {"code": "products-integrated",
             "params": {"created": 0, "matched": 0, "updated": 0, "invalid": 0}},
        ]},
        "0 lignes transformées sur 1. 1 ligne en erreur : vous pouvez télécharger le rapport "
        "d'erreur de la transformation pour la corriger. Colonnes ignorées, mappées à aucun "
        "attribut : Poids (mappez-les dans l'assistant de configuration si elles contiennent "
        "des données produit). Catégories non mappées : 1. Valeurs non mappées à leur liste de "
        "valeurs : 1. 0 produits créés, 0 trouvés au catalogue par leur EAN, 0 produits de la "
        "boutique renvoyés en validation, 0 refusés.",
        "0 of 1 lines transformed. 1 line in error: download the transformation error report "
        "to fix it. Columns ignored, mapped to no attribute: Poids (map them in the mapping "
        "assistant if they hold product data). Categories not mapped: 1. Values not mapped to "
        "their value lists: 1. 0 products created, 0 matched to catalog products by EAN, 0 of "
        "the shop's products sent again for review, 0 refused.",
        status="COMPLETE",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(PRODUCT_CASES))
def test_a_product_imports_reason_in_each_readers_language(
    name: str, seller: Any, api: Client
) -> None:
    case = PRODUCT_CASES[name]
    import_id = case.make(seller.shop)
    found = ProductImport.objects.get(id=import_id)
    fr, en = case.fr, case.en
    assert (found.status, found.reason_code, found.reason_params) == (
        case.status,
        case.code,
        case.params,
    )
    assert found.reason_status == fr
    url = f"/api/products/imports/{import_id}"
    assert _api_body(api, url, "P42")["reason_status"] == fr
    assert _api_body(api, f"{url}?locale=en_US", "P42")["reason_status"] == en
    listed = _api_body(api, "/api/products/imports?locale=en_US", "P51")
    assert [i["reason_status"] for i in listed["product_import_trackings"]] == [en]
    listed = _api_body(api, "/api/products/imports", "P51")
    assert [i["reason_status"] for i in listed["product_import_trackings"]] == [fr]
    for language, text in (("fr", fr), ("en", en)):
        client = _seller_client(seller, language)
        detail = client.get(f"/seller/stock/product-imports/{import_id}/").content.decode()
        assert escape(text) in detail
        if case.status != "COMPLETE":
            tracking = client.get("/seller/stock/imports/").content.decode()
            assert escape(text) in tracking


@pytest.mark.parametrize(
    ("code", "params", "french", "english"),
    [
        ("lines-integrated", {"read": 1}, "1 ligne intégrée.", "1 line integrated."),
        ("lines-integrated", {"read": 2}, "2 lignes intégrées.", "2 lines integrated."),
        ("lines-integrated", {"read": 0}, "0 lignes intégrées.", "0 lines integrated."),
        (
            "transformation-errors",
            {"errors": 3},
            "3 lignes en erreur : vous pouvez télécharger le rapport d'erreur de la "
            "transformation pour les corriger.",
            "3 lines in error: download the transformation error report to fix them.",
        ),
    ],
)
def test_a_count_of_one_is_worded_in_the_singular(
    code: str, params: dict[str, int], french: str, english: str
) -> None:
    assert (render(code, params, "fr_FR"), render(code, params, "en_US")) == (french, english)
