"""Mon compte and the dashboard: the shop's own figures only."""

import pytest
from backoffice_cases import make_offer, page
from django.test import Client

from mercato.catalog.models import Product
from mercato.imports.models import OfferImport
from mercato.shops.models import ApiKey


def test_my_account_shows_the_shop_id_channels_and_the_key_prefix_only(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/account/"))
    assert f'<strong id="shop-id">{alpha.seller.shop.id}</strong>' in html
    assert "<li>ES_B2C</li>" in html and "<li>FR_B2C</li>" in html
    assert f"Clé en service : {alpha.seller.key[:8]}…" in html
    assert alpha.seller.key not in html
    assert response_is_not_cached(alpha.client.get("/seller/account/"))


def response_is_not_cached(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response["Cache-Control"]


def test_a_new_key_needs_the_confirmation(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.post("/seller/account/api-key/", {}))
    assert "Cochez la confirmation pour générer une nouvelle clé." in html
    assert ApiKey.objects.filter(user=alpha.seller.user, revoked_at__isnull=True).count() == 1
    assert Client(HTTP_AUTHORIZATION=alpha.seller.key).get("/api/account").status_code == 200


def test_a_new_key_is_shown_once_and_the_old_one_stops_working(alpha) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.post("/seller/account/api-key/", {"confirm": "on"})
    html = page(response)
    assert response_is_not_cached(response)
    new_key = html.split('id="new-key" class="key" type="text" readonly value="')[1].split('"')[0]
    assert len(new_key) == 36 and new_key != alpha.seller.key
    assert "elle ne sera plus jamais affichée" in html
    assert Client(HTTP_AUTHORIZATION=alpha.seller.key).get("/api/account").status_code == 401
    assert Client(HTTP_AUTHORIZATION=new_key).get("/api/account").status_code == 200
    assert new_key not in page(alpha.client.get("/seller/account/"))


def test_the_key_regeneration_only_takes_a_post(alpha) -> None:  # type: ignore[no-untyped-def]
    assert alpha.client.get("/seller/account/api-key/").status_code == 405


@pytest.fixture
def dashboard_data(alpha, beta):  # type: ignore[no-untyped-def]
    products = list(Product.objects.order_by("id")[:6])
    shop = alpha.seller.shop
    make_offer(shop, products[0], "ON-1")
    make_offer(shop, products[1], "ON-2")
    make_offer(shop, products[2], "EMPTY", quantity=0)
    make_offer(shop, products[3], "NOPRICE", price=None)
    Product.objects.filter(id=products[4].id).update(
        status=Product.Status.PENDING, shop=alpha.seller.shop
    )
    make_offer(shop, products[4], "PENDING", quantity=0)
    make_offer(beta.seller.shop, products[5], "BETA-1", quantity=0)
    OfferImport.objects.create(shop=shop, file_name="running.csv", status="RUNNING", lines_read=42)
    OfferImport.objects.create(
        shop=shop, file_name="broken.csv", status="COMPLETE", lines_read=3, lines_in_error=2
    )
    OfferImport.objects.create(
        shop=beta.seller.shop, file_name="beta.csv", status="COMPLETE", lines_in_error=9
    )


def test_the_dashboard_counts_offers_online_and_why_the_others_are_not(
    alpha, dashboard_data
) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/"))
    assert "<strong>2</strong> en ligne" in html
    assert "<strong>3</strong> hors ligne" in html
    assert "<li>2 offres sans stock</li>" in html
    assert "<li>1 offre sans prix</li>" in html
    assert "<li>1 offre sur un produit en attente de validation</li>" in html
    assert "1 produit en attente de validation par l'opérateur" in html


def test_the_dashboard_lists_running_imports_and_imports_with_errors(alpha, dashboard_data) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/"))
    assert "42 lignes lues" in html
    assert "running.csv" in html
    assert "(broken.csv)</a> :" in html and "2 erreurs" in html
    assert "beta.csv" not in html


def test_a_closed_shop_has_no_offer_online(alpha, dashboard_data) -> None:  # type: ignore[no-untyped-def]
    alpha.seller.shop.state = "CLOSE"
    alpha.seller.shop.save()
    html = page(alpha.client.get("/seller/"))
    assert "<strong>0</strong> en ligne" in html
    assert "La boutique n'est pas ouverte : aucune offre n'est en ligne." in html


def test_my_account_never_shows_another_shops_key_or_id(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/account/"))
    assert beta.seller.key[:8] not in html
    assert f'<strong id="shop-id">{beta.seller.shop.id}</strong>' not in html
    assert "Boutique Beta" not in html


def test_the_dashboards_figures_lead_to_the_matching_offers(alpha, dashboard_data) -> None:  # type: ignore[no-untyped-def]
    online = page(alpha.client.get("/seller/stock/offers/", {"availability": "active"}))
    assert [sku for sku in ("ON-1", "ON-2", "EMPTY", "NOPRICE", "PENDING", "BETA-1")
            if f"<code>{sku}</code>" in online] == ["ON-1", "ON-2"]  # fmt: skip
    offline = page(alpha.client.get("/seller/stock/offers/", {"availability": "inactive"}))
    assert [sku for sku in ("ON-1", "ON-2", "EMPTY", "NOPRICE", "PENDING", "BETA-1")
            if f"<code>{sku}</code>" in offline] == ["EMPTY", "NOPRICE", "PENDING"]  # fmt: skip
    assert "produit en attente de validation" in offline
