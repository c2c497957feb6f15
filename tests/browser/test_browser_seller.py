"""A seller's day in a real browser: sign in, find a product, sell it, edit its price with a
discount, import a file with errors and download its report, switch language."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from browser_cases import menu, needs_chromium, sign_in
from django.utils import timezone

from mercato.imports.models import OfferImport
from mercato.imports.services import run_offer_import
from mercato.offers.models import Offer

pytestmark = needs_chromium


def test_sell_a_product_then_edit_its_price_with_a_discount(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot
) -> None:
    tab.goto(f"{live_server.url}/seller/login/")
    shoot(tab, "login")
    sign_in(tab, live_server, seller)
    menu(tab, "Ajouter une offre")
    tab.get_by_label("Nom du produit, marque ou EAN").fill("Galaxy S24 128")
    tab.keyboard.press("Enter")
    galaxy = tab.locator(".products li", has_text="EAN 3000000000007")
    galaxy.wait_for()
    shoot(tab, "add-offer")
    galaxy.get_by_role("link", name="Vendre ce produit").click()
    tab.get_by_label("SKU de l'offre *").fill("GAL-128")
    tab.get_by_label("État *").select_option("11")
    tab.get_by_label("Quantité en stock").fill("12")
    tab.get_by_label("Prix *", exact=True).fill("899 €")
    tab.get_by_role("button", name="Créer l'offre").click()
    # The import's own message, beside the price field.
    tab.get_by_text("Le prix « 899 € » n'est pas un nombre").wait_for()
    shoot(tab, "sell-errors")
    assert Offer.objects.count() == 0
    tab.get_by_label("Prix *", exact=True).fill("799,00")
    tab.get_by_role("button", name="Créer l'offre").click()
    tab.get_by_text("L'offre GAL-128 est enregistrée.").wait_for()
    shoot(tab, "offers")
    tab.get_by_role("link", name="Éditer le prix").click()
    tab.get_by_role("heading", name="Offres concurrentes sur ce produit").wait_for()
    today = timezone.localdate()
    tab.get_by_label("Prix *", exact=True).fill("799")
    tab.get_by_label("Prix remisé", exact=True).fill("749")
    tab.get_by_label("Début de la remise", exact=True).fill(str(today))
    tab.get_by_label("Fin de la remise", exact=True).fill(str(today + timedelta(days=30)))
    tab.get_by_label("Prix (ES_B2C)").fill("819")
    shoot(tab, "edit-price")
    tab.get_by_role("button", name="Enregistrer").click()
    tab.get_by_text("Le prix de l'offre GAL-128 est enregistré.").wait_for()
    # The discount runs today: the list shows the initial price crossed out.
    assert tab.locator("td.num del").first.inner_text() == "799,00"
    offer = Offer.objects.get()
    assert (offer.sku, offer.quantity, offer.price, offer.discount_price) == (
        "GAL-128",
        12,
        Decimal("799.00"),
        Decimal("749.00"),
    )
    assert offer.channel_prices["ES_B2C"]["price"] == "819.00"
    # On a phone the page fits the screen's width: only the table scrolls sideways.
    tab.set_viewport_size({"width": 390, "height": 844})
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(tab, "offers-phone")


def test_import_a_file_with_errors_and_download_its_report(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot, tmp_path: Path
) -> None:
    sign_in(tab, live_server, seller)
    offers = tmp_path / "offres.csv"
    offers.write_text(
        "sku;product-id;product-id-type;price;quantity;state\n"
        "SKU-1;3000000000007;EAN;799,00;12;11\n"
        "SKU-2;3000000000014;EAN;899 €;5;11\n",
        encoding="utf-8",
    )
    menu(tab, "Importer par fichier")
    tab.get_by_label("Fichier (CSV, XLSX ou XML)").set_input_files(str(offers))
    tab.get_by_label("Normal (recommandé)").check()
    shoot(tab, "import")
    tab.get_by_role("button", name="Importer", exact=True).click()
    tab.get_by_text("en cours.").wait_for()
    offer_import = OfferImport.objects.get()
    # No worker runs in the tests: the import runs here while the page polls its row.
    run_offer_import(offer_import.id)
    report_link = tab.get_by_role("link", name="Rapport d'erreurs")
    report_link.wait_for()  # the row updated itself, without a reload
    assert "1 erreur" in tab.locator(f"#import-{offer_import.id}").inner_text()
    shoot(tab, "imports")
    with tab.expect_download() as download:
        report_link.click()
    assert download.value.suggested_filename == f"offer-import-{offer_import.id}-errors.csv"
    report = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert (
        report[0] == "sku;product-id;product-id-type;price;quantity;state;error-line;error-message"
    )
    assert report[1].startswith("SKU-2;3000000000014;EAN;899 €;5;11;3;Le prix « 899 € »")
    assert len(report) == 2
    tab.get_by_role("link", name=f"n°{offer_import.id}").click()
    tab.get_by_role("heading", name=f"Import n°{offer_import.id}").wait_for()
    assert "remove" not in tab.locator("main").inner_text()
    shoot(tab, "import-detail")
    menu(tab, "Tableau de bord")
    assert "1 en ligne" in tab.locator("main").inner_text()
    shoot(tab, "dashboard")


def test_switch_language_and_move_with_the_keyboard(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot
) -> None:
    sign_in(tab, live_server, seller)
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Aller au contenu"
    tab.get_by_role("button", name="English").click()
    tab.get_by_role("heading", name="Dashboard").wait_for()
    assert tab.get_attribute("html", "lang") == "en"
    menu(tab, "My account")
    tab.get_by_role("heading", name="API key").wait_for()
    assert tab.locator("#shop-id").inner_text() == str(seller.shop.id)
    shoot(tab, "account-en")
    tab.get_by_role("button", name="Français").click()
    tab.get_by_role("heading", name="Mon compte").wait_for()
    shoot(tab, "account")
