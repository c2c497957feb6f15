"""Créer un produit: a leaf category, its attributes as a form, the import's own checks and
integration (catalog.product_creation), the review, then selling it."""

from backoffice_cases import page

from mercato.catalog.models import Product
from mercato.catalog.product_creation import ProductRefused, create_product
from mercato.catalog.product_errors import render
from mercato.catalog.quality_summary import refresh_quality_summary

VALID = {
    "sku": "NEW-1",
    "ean": "4000000000013",
    "title-fr_FR": "Téléphone neuf",
    "brand": "samsung",
    "image-1": "https://images.example.com/1.jpg",
    "color": "noir",
    "storage-capacity": "128GB",
    "screen-size": "6.1",
    "operating-system": "android",
    "repairability-index": "8,5",
}


CATALOG_EAN = "3000000000007"  # P-00000000 of the reference catalog, the operator's


def test_no_search_result_leads_to_creating_the_product(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/add/?q=introuvable"))
    assert 'href="/seller/products/new/">Créer un produit</a>' in html


def test_the_seller_picks_a_leaf_category_first(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/products/new/"))
    assert '<option value="smartphones">Téléphonie &gt; Smartphones</option>' in html
    assert 'value="telephonie"' not in html  # not a leaf: it holds no product
    response = alpha.client.get("/seller/products/new/?category=smartphones")
    assert response.status_code == 302
    assert response["Location"] == "/seller/products/new/smartphones/"
    assert alpha.client.get("/seller/products/new/nowhere/").status_code == 404


def test_the_form_is_the_categorys_attributes_with_the_advice(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/products/new/smartphones/"))
    assert '<label for="id_title-fr_FR">Titre FR *</label>' in html
    assert '<label for="id_color">Couleur</label>' in html  # recommended: no star
    assert '<option value="128GB">128 Go</option>' in html
    assert '<input type="text" name="variant-group-code"' in html
    assert 'name="category"' not in html  # chosen already
    assert "<li>Ajoutez des photos : 0 sur 2 au moins.</li>" in html


def test_a_created_product_waits_for_review_and_can_be_sold(alpha) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.post("/seller/products/new/smartphones/", VALID)
    product = Product.objects.get(shop=alpha.seller.shop, shop_sku="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == f"/seller/stock/sell/{product.id}/"
    assert (product.status, product.category.code, product.brand) == (
        Product.Status.PENDING,
        "smartphones",
        "samsung",
    )
    assert product.titles == {"fr_FR": "Téléphone neuf"}
    assert product.attributes["storage-capacity"] == "128GB"
    html = page(alpha.client.get(response["Location"]))
    assert f"Le produit {product.product_sku} attend la validation de l&#x27;opérateur" in html
    assert "<h1>Vendre ce produit</h1>" in html


def test_a_shop_that_auto_accepts_gets_it_live(alpha) -> None:  # type: ignore[no-untyped-def]
    shop = alpha.seller.shop
    shop.auto_accept_products = True
    shop.save()
    product = create_product(shop, "smartphones", VALID)
    assert (product.status, product.shop) == (Product.Status.LIVE, shop)


def test_errors_are_the_guides_beside_each_field(alpha) -> None:  # type: ignore[no-untyped-def]
    values = {**VALID, "title-fr_FR": "", "ean": "123", "screen-size": "grand"}
    html = page(alpha.client.post("/seller/products/new/smartphones/", values))
    for column, code, args in (
        ("title-fr_FR", 1000, ("title-fr_FR",)),
        ("ean", 2018, ("ean",)),
        ("screen-size", 2011, ("screen-size",)),
    ):
        message = render(code, "fr_FR", *args).replace("'", "&#x27;")
        assert f'<ul class="errorlist" id="id_{column}_error"><li>{message}</li></ul>' in html
    assert Product.objects.filter(shop=alpha.seller.shop).count() == 0
    alpha.client.cookies["django_language"] = "en"
    html = page(alpha.client.post("/seller/products/new/smartphones/", values))
    assert "The attribute title-fr_FR is required" in html


def test_the_service_refuses_what_the_import_refuses(alpha) -> None:  # type: ignore[no-untyped-def]
    try:
        create_product(alpha.seller.shop, "smartphones", {**VALID, "storage-capacity": "3GB"})
    except ProductRefused as refused:
        assert [(i.column, i.code) for i in refused.issues] == [("storage-capacity", 2006)]
    else:
        raise AssertionError("a value outside its list must be refused")


def test_a_known_ean_sells_the_catalogs_product_never_a_copy(alpha) -> None:  # type: ignore[no-untyped-def]
    existing = Product.objects.get(identifiers__value=CATALOG_EAN)
    count = Product.objects.count()
    product = create_product(alpha.seller.shop, "smartphones", {**VALID, "ean": CATALOG_EAN})
    assert product == existing
    assert Product.objects.count() == count


def test_the_dashboard_shows_products_in_review_rejected_and_the_quality(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    shop = alpha.seller.shop
    waiting = create_product(shop, "smartphones", VALID)
    richer = {
        **VALID, "sku": "NEW-2", "ean": "4000000000020", "title-fr_FR": "Téléphone riche",
        "image-2": "https://images.example.com/2.jpg", "description-fr_FR": "D" * 100,
        "key-selling-points": "Rapide", "color": "bleu", "ram": "8",
    }  # fmt: skip
    refused = create_product(shop, "smartphones", richer)
    Product.objects.filter(id=refused.id).update(
        status=Product.Status.REJECTED, rejection_reason="Photo floue"
    )
    refresh_quality_summary(shop.id)  # the job the dashboard queues: it shows what is stored
    html = page(alpha.client.get("/seller/"))
    assert "<p>1 produit en attente de validation par l'opérateur</p>" in html
    assert "<li>Téléphone neuf <small>(NEW-1)</small></li>" in html
    assert "<strong>Téléphone riche</strong> <small>(NEW-2)</small> : Photo floue" in html
    # NEW-1 misses 12 (one picture of 2), 15 (no description), 10 (no selling points) and
    # 22 (3 of the 4 optional attributes empty); NEW-2 misses 15 (2 of 4 empty).
    assert "<strong>63/100</strong> en moyenne sur 2 produits" in html
    assert (
        '<ul class="worst-products"><li><strong>Téléphone neuf</strong> (41/100) : Renseignez '
        "plus d&#x27;attributs : ram, network-5g, das-head. Écrivez une description d&#x27;au "
        "moins 100 caractères. Ajoutez des photos : 1 sur 2 au moins. Ajoutez des arguments "
        "clés.</li><li><strong>Téléphone riche</strong> (85/100) : Renseignez plus "
        "d&#x27;attributs : network-5g, das-head.</li></ul>"
    ) in html
    assert waiting.shop == shop  # the shop's, and only the shop's:
    other = page(beta.client.get("/seller/"))
    assert "Téléphone neuf" not in other
    assert "Aucun produit refusé." in other
    assert "Aucun produit de la boutique pour le moment." in other
