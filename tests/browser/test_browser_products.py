"""The product side in a real browser: import a product file with an error, follow its
status live, download the transformation error report; map what an import in the shop's
own format left unmapped; create a product from its category's form."""

from pathlib import Path
from typing import Any

from browser_cases import menu, needs_chromium, sign_in

from mercato.catalog.tasks import quality_summary_task
from mercato.imports.models import ProductImport
from mercato.imports.services import run_product_import

pytestmark = needs_chromium

HEADER = (
    "category;sku;ean;title-fr_FR;brand;image-1;color;storage-capacity;screen-size;"
    "operating-system;repairability-index"
)
GOOD = (
    "smartphones;S-1;4000000000013;Téléphone 1;samsung;https://images.example.com/1.jpg;noir;"
    "128GB;6.1;android;8,5"
)
UNKNOWN_CATEGORY = (
    "telephones;S-2;4000000000020;Téléphone 2;samsung;https://images.example.com/2.jpg;noir;"
    "128GB;6.1;android;8,5"
)


def test_import_a_product_file_with_an_error_and_download_the_report(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot, tmp_path: Path
) -> None:
    sign_in(tab, live_server, seller)
    products = tmp_path / "produits.csv"
    products.write_text(f"{HEADER}\n{GOOD}\n{UNKNOWN_CATEGORY}\n", encoding="utf-8")
    menu(tab, "Importer par fichier")
    tab.get_by_label("Fichier (CSV, XLSX ou XML)").set_input_files(str(products))
    tab.get_by_label("Contenu du fichier").select_option("PRODUCTS")
    tab.get_by_label("Format du fichier produits").select_option("OPERATOR")
    tab.get_by_role("button", name="Importer", exact=True).click()
    tab.get_by_text("Transformation en attente").wait_for()
    product_import = ProductImport.objects.get()
    # No worker runs in the tests: the import runs here while the page polls its row.
    run_product_import(product_import.id)
    report_link = tab.get_by_role("link", name="Rapport d'erreurs de transformation")
    report_link.wait_for()  # the row updated itself, without a reload
    row = tab.locator(f"#product-import-{product_import.id}").inner_text()
    assert "Terminé" in row
    assert "2 lues : 1 transformées, 1 en erreur, 0 avec avertissement" in row
    assert "1 créés, 0 trouvés au catalogue" in row
    shoot(tab, "product-imports")
    with tab.expect_download() as download:
        report_link.click()
    expected = f"product-import-{product_import.id}-transformation-errors.csv"
    assert download.value.suggested_filename == expected
    report = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert report == [
        f"{HEADER};errors;warnings",
        f"{UNKNOWN_CATEGORY};1001|La catégorie telephones est inconnue;",
    ]
    tab.get_by_role("link", name=f"n°{product_import.id}").last.click()
    tab.get_by_role("heading", name=f"Import de produits n°{product_import.id}").wait_for()
    assert "Vérifiez l'orthographe du code de catégorie" in tab.locator("main").inner_text()
    shoot(tab, "product-import-detail")


def test_map_an_import_then_create_a_product(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot, tmp_path: Path
) -> None:
    sign_in(tab, live_server, seller)
    mine = tmp_path / "catalogue.csv"
    mine.write_text(
        f"{HEADER.replace('color', 'Couleur')}\n{GOOD.replace('smartphones', 'Smartphone')}\n",
        encoding="utf-8",
    )
    menu(tab, "Importer par fichier")
    tab.get_by_label("Fichier (CSV, XLSX ou XML)").set_input_files(str(mine))
    tab.get_by_label("Contenu du fichier").select_option("PRODUCTS")
    tab.get_by_role("button", name="Importer", exact=True).click()
    product_import = ProductImport.objects.get()
    run_product_import(product_import.id)
    tab.goto(f"{live_server.url}/seller/stock/product-imports/{product_import.id}/")
    tab.get_by_role("link", name="Mapper ce que cet import n'a pas reconnu").click()
    assert tab.get_by_label("Couleur").input_value() == "color"
    assert tab.get_by_label("Smartphone").input_value() == "smartphones"
    shoot(tab, "mapping")
    tab.get_by_role("button", name="Enregistrer le mapping").click()
    tab.get_by_text("Mapping enregistré (version 1).").wait_for()
    assert "Mapping actuel (version 1)" in tab.locator("main").inner_text()
    menu(tab, "Ajouter une offre")
    tab.get_by_label("Nom du produit, marque ou EAN").fill("introuvable")
    tab.get_by_role("button", name="Rechercher").click()
    tab.get_by_role("link", name="Créer un produit").last.click()
    tab.get_by_label("Catégorie du produit").select_option("smartphones")
    tab.get_by_role("button", name="Continuer").click()
    fill_product(tab)
    tab.get_by_role("button", name="Créer le produit").click()
    # The import's own message, beside its field.
    tab.get_by_text("L'attribut ean n'est pas un EAN valide").wait_for()
    shoot(tab, "create-product")
    tab.get_by_label("EAN *").fill("4000000000037")
    tab.get_by_role("button", name="Créer le produit").click()
    tab.get_by_role("heading", name="Vendre ce produit").wait_for()
    assert "attend la validation de l'opérateur" in tab.locator("main").inner_text()
    menu(tab, "Tableau de bord")
    main = tab.locator("main").inner_text()
    assert "Téléphone créé" in main
    # No worker runs in the tests: the content-quality job runs here while the card polls.
    assert "Calcul en cours :" in main
    quality_summary_task.call(seller.shop.id)
    tab.locator(".worst-products").wait_for()  # the card updated itself, without a reload
    assert "Calcul en cours" not in tab.locator("main").inner_text()
    shoot(tab, "dashboard-products")


def fill_product(tab: Any) -> None:
    tab.get_by_label("SKU produit *").fill("NEW-1")
    tab.get_by_label("EAN *").fill("123")
    tab.get_by_label("Titre FR *").fill("Téléphone créé")
    tab.get_by_label("Marque *").select_option("samsung")
    tab.get_by_label("Image 1 *").fill("https://images.example.com/new.jpg")
    tab.get_by_label("Capacité de stockage *").select_option("128GB")
    tab.get_by_label("Taille d'écran (pouces) *").fill("6.1")
    tab.get_by_label("Système d'exploitation *").select_option("android")
    tab.get_by_label("Indice de réparabilité *").fill("8,5")
