import importlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from offer_files import csv_file, ean13
from product_files import CATALOG_EAN, phone, product_file

from mercato.catalog.models import Product
from mercato.imports import pipeline
from mercato.imports.models import OfferImport, ProductImport
from mercato.imports.services import create_offer_import
from mercato.offers.models import Offer
from mercato.shops.models import Shop

# conftest's `make_seller`: name and create_shop's keywords -> a seller with `.shop`.
MakeSeller = Callable[..., Any]
pytestmark = pytest.mark.usefixtures("reference_marketplace")

HEADER = "sku;product-id;product-id-type;price;quantity;state"
CONTENT = csv_file(
    HEADER,
    f"A;{ean13(0)};EAN;19.99;5;11",
    f"B;{ean13(1)};EAN;12 €;1;11",
    f"C;{ean13(2)};EAN;=1+2;-3;Neuf",
)
# `import` is a keyword: the command's module is reached by name.
physical_lines = importlib.import_module(
    "mercato.imports.management.commands.import"
).physical_lines
PRICE_FR = (
    "Le prix « 12 € » n'est pas un nombre : retirez le symbole monétaire et les lettres "
    "(exemple : 19.99 ou 19,99)"
)


@pytest.fixture
def shop(reference_marketplace: None, make_seller: MakeSeller) -> Shop:
    return make_seller("Boutique CLI", channels=["FR_B2C", "ES_B2C"]).shop


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "offers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_import_with_line_errors_prints_its_counters_and_its_report(
    shop: Shop, tmp_path: Path
) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(CONTENT)
    report = tmp_path / "erreurs.csv"
    out, err = run(str(path), "--shop", str(shop.id), "--report", str(report))
    offer_import = OfferImport.objects.get(shop=shop)
    assert out == (
        f"import_id: {offer_import.id}\n"
        "status: COMPLETE\n"
        "lines_read: 3\n"
        "lines_in_success: 1\n"
        "lines_in_error: 2\n"
        "offer_inserted: 1\n"
        "offer_updated: 0\n"
        "offer_deleted: 0\n"
        "reason_status: 2 lignes en erreur sur 3 : téléchargez le rapport d'erreurs pour les "
        "corriger.\n"
        f"Error report (2 lines): {report}\n"
    )
    assert err == f"\r[{'#' * 30}] 100%  3 lines read\n"
    assert (offer_import.origin, offer_import.mode, offer_import.file_name) == (
        "API",
        "NORMAL",
        "offres.csv",
    )
    assert list(Offer.objects.filter(shop=shop).values_list("sku", flat=True)) == ["A"]
    assert report.read_bytes().decode("utf-8") == (
        "\ufeffsku;product-id;product-id-type;price;quantity;state;error-line;error-message\r\n"
        f"B;{ean13(1)};EAN;12 €;1;11;3;{PRICE_FR}\r\n"
        f"C;{ean13(2)};EAN;'=1+2;-3;Neuf;4;L'état du produit est inconnu | La quantité « -3 » "
        "doit être un nombre entier positif ou nul | Le prix « =1+2 » n'est pas un nombre : "
        "retirez le symbole monétaire et les lettres (exemple : 19.99 ou 19,99)\r\n"
    )


def test_the_report_speaks_the_asked_locale(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(csv_file(HEADER, f"B;{ean13(1)};EAN;12 €;1;11"))
    report = tmp_path / "errors.csv"
    run(str(path), "--shop", str(shop.id), "--report", str(report), "--locale", "en_US")
    assert report.read_bytes().decode("utf-8-sig").split("\r\n")[1] == (
        f"B;{ean13(1)};EAN;12 €;1;11;2;The price '12 €' is not a number: remove the currency "
        "symbol and letters (for example 19.99 or 19,99)"
    )


def test_the_progress_bar_moves_batch_by_batch(
    shop: Shop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "BATCH_LINES", 2)
    path = tmp_path / "offres.csv"
    path.write_text(csv_file(HEADER, *(f"S{n};{ean13(n)};EAN;{n + 1};1;11" for n in range(5))))
    out, err = run(str(path), "--shop", str(shop.id), "--mode", "NORMAL")
    assert err == (
        f"\r[{'#' * 15}{'-' * 15}]  50%  2 lines read"
        f"\r[{'#' * 25}{'-' * 5}]  83%  4 lines read"
        f"\r[{'#' * 30}] 100%  5 lines read\n"
    )
    assert out.splitlines()[1:3] == ["status: COMPLETE", "lines_read: 5"]
    assert Offer.objects.filter(shop=shop).count() == 5


def test_a_workbook_shows_the_lines_read(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "offres.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row, values in enumerate([HEADER.split(";"), ["A", ean13(0), "EAN", "9.5", "1", "Neuf"]]):
        sheet.write_row(row, 0, values)
    book.close()
    out, err = run(str(path), "--shop", str(shop.id), "--mode", "PARTIAL_UPDATE")
    assert err == "\r1 lines read\n"
    assert out.splitlines()[1:6] == [
        "status: COMPLETE",
        "lines_read: 1",
        "lines_in_success: 0",
        "lines_in_error: 1",
        "offer_inserted: 0",
    ]
    assert OfferImport.objects.get(shop=shop).mode == "PARTIAL_UPDATE"


@pytest.fixture
def keep_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line closes the database connections on exit: keep the test's open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.mark.usefixtures("keep_connections")
def test_a_failed_import_exits_with_1(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(csv_file("price;quantity", "1;2"))
    report = tmp_path / "errors.csv"
    argv = [
        "mercato",
        "import",
        "offers",
        str(path),
        "--shop",
        str(shop.id),
        "--report",
        str(report),
        "--locale",
        "en_US",
    ]
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(argv)
    assert exit_.value.code == 1
    offer_import = OfferImport.objects.get(shop=shop)
    reason = "The header has no 'sku' column: every offer line needs its sku."
    captured = capsys.readouterr()
    assert captured.out == (
        f"import_id: {offer_import.id}\nstatus: FAILED\n"
        "lines_read: 0\nlines_in_success: 0\nlines_in_error: 0\n"
        f"offer_inserted: 0\noffer_updated: 0\noffer_deleted: 0\nreason_status: {reason}\n"
    )
    assert captured.err == f"CommandError: Import {offer_import.id} failed: {reason}\n"
    assert not report.exists()


@pytest.mark.usefixtures("keep_connections")
def test_a_complete_import_with_errors_exits_with_0(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(CONTENT)
    execute_from_command_line(["mercato", "import", "offers", str(path), "--shop", str(shop.id)])
    assert capsys.readouterr().out.splitlines()[1] == "status: COMPLETE"


def test_an_unknown_shop_or_file_is_refused(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(CONTENT)
    with pytest.raises(CommandError, match=r"^Shop 999 does not exist\.$"):
        run(str(path), "--shop", "999")
    missing = tmp_path / "absent.csv"
    with pytest.raises(CommandError, match=rf"^{missing}: No such file or directory\.$"):
        run(str(missing), "--shop", str(shop.id))
    assert OfferImport.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "lines"),
    [(b"", 0), (b"a\n", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2), (b"PK\x03\x04rest", None)],
)
def test_physical_lines(tmp_path: Path, content: bytes, lines: int | None) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)
    assert physical_lines(path) == lines


def test_a_file_that_a_worker_is_importing_is_not_imported_twice(
    shop: Shop, tmp_path: Path
) -> None:
    path = tmp_path / "offres.csv"
    path.write_text(CONTENT)
    running, _ = create_offer_import(
        shop, content=io.BytesIO(CONTENT.encode()), file_name="offres.csv", mode="NORMAL"
    )
    OfferImport.objects.filter(id=running.id).update(status="RUNNING", heartbeat_at=timezone.now())
    message = rf"^Import {running.id} is RUNNING: a background worker took it up; it goes on there"
    with pytest.raises(CommandError, match=message + r"\.$"):
        run(str(path), "--shop", str(shop.id))
    assert OfferImport.objects.get().lines_read == 0
    assert Offer.objects.count() == 0


# --- mercato import products ---------------------------------------------------------------


def run_products(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "products", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_product_import_prints_its_counters(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "produits.csv"
    path.write_bytes(product_file(phone(1), phone(2, category=""), phone(3, ean=CATALOG_EAN)))
    out, err = run_products(str(path), "--shop", str(shop.id), "--operator-format")
    product_import = ProductImport.objects.get(shop=shop)
    assert out == (
        f"import_id: {product_import.id}\n"
        "status: COMPLETE\n"
        "transform_lines_read: 3\n"
        "transform_lines_in_success: 2\n"
        "transform_lines_in_error: 1\n"
        "transform_lines_with_warning: 0\n"
        "products_created: 1\n"
        "products_matched: 1\n"
        "products_updated: 0\n"
        "products_invalid: 0\n"
        "reason_status: 2 lignes transformées sur 3. 1 ligne en erreur : vous pouvez télécharger "
        "le rapport d'erreur de la transformation pour la corriger. 1 produits créés, 1 trouvés "
        "au catalogue par leur EAN, 0 produits de la boutique renvoyés en validation, 0 refusés.\n"
    )
    bar = f"[{'#' * 30}] 100%"
    assert err == f"\r{bar}  transformation: 3 lines read\r{bar}  integration: 2 of 2 lines\n"
    assert (product_import.origin, product_import.operator_format, product_import.file_name) == (
        "API",
        True,
        "produits.csv",
    )
    assert sorted(Product.objects.filter(shop=shop).values_list("shop_sku", flat=True)) == ["S-1"]


@pytest.mark.usefixtures("keep_connections")
def test_a_product_file_refused_as_a_whole_exits_with_1(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "produits.csv"
    path.write_bytes(product_file(phone(1)).replace("é".encode(), b"\xe9"))
    argv = ["mercato", "import", "products", str(path), "--shop", str(shop.id), "--locale", "en_US"]
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(argv)
    assert exit_.value.code == 1
    product_import = ProductImport.objects.get(shop=shop)
    reason = (
        "The file is not encoded in UTF-8 (line 2, byte 0xE9): save it as 'CSV UTF-8' from "
        "Excel, or convert it to UTF-8, and send it again."
    )
    captured = capsys.readouterr()
    assert captured.out == (
        f"import_id: {product_import.id}\nstatus: TRANSFORMATION_FAILED\n"
        "transform_lines_read: 0\ntransform_lines_in_success: 0\ntransform_lines_in_error: 0\n"
        "transform_lines_with_warning: 0\nproducts_created: 0\nproducts_matched: 0\n"
        f"products_updated: 0\nproducts_invalid: 0\nreason_status: {reason}\n"
    )
    assert captured.err == f"CommandError: Import {product_import.id} failed: {reason}\n"
    assert product_import.operator_format is False
    assert Product.objects.filter(shop=shop).count() == 0


def test_a_product_import_for_an_unknown_shop_or_file_is_refused(
    shop: Shop, tmp_path: Path
) -> None:
    path = tmp_path / "produits.csv"
    path.write_bytes(product_file(phone(1)))
    with pytest.raises(CommandError, match=r"^Shop 999 does not exist\.$"):
        run_products(str(path), "--shop", "999")
    missing = tmp_path / "absent.csv"
    with pytest.raises(CommandError, match=rf"^{missing}: No such file or directory\.$"):
        run_products(str(missing), "--shop", str(shop.id))
    assert ProductImport.objects.count() == 0
