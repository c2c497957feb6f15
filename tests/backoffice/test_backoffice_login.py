"""Signing in, choosing a shop, the session's limits and CSRF on the seller back office."""

from datetime import timedelta

import pytest
from backoffice_cases import PASSWORD
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from mercato.backoffice.seller import SHOP_SESSION_KEY
from mercato.shops.models import ShopMembership

SELLER_PAGES = [
    "/seller/",
    "/seller/account/",
    "/seller/stock/add/",
    "/seller/stock/offers/",
    "/seller/stock/offers/export/",
    "/seller/stock/import/",
    "/seller/stock/imports/",
    "/seller/shops/",
]


@pytest.mark.parametrize("url", SELLER_PAGES)
def test_every_seller_page_asks_to_sign_in_first(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/seller/login/?next={url}"


def test_a_seller_signs_in_with_a_password_and_lands_on_the_dashboard_of_their_shop(
    alpha,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    page = client.get("/seller/login/")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(
        "/seller/login/", {"username": alpha.seller.user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/seller/"
    dashboard = client.get("/seller/")
    assert dashboard.status_code == 200
    assert client.session[SHOP_SESSION_KEY] == alpha.seller.shop.id
    assert f"Boutique Alpha <small>(ID {alpha.seller.shop.id})" in dashboard.content.decode()


def test_a_wrong_password_is_refused_with_a_message(alpha) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(
        "/seller/login/", {"username": alpha.seller.user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    refused = "Saisissez un nom d\u2019utilisateur et un mot de passe valides"
    assert refused in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_of_two_shops_picks_one_and_may_switch(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    ShopMembership.objects.create(user=alpha.seller.user, shop=beta.seller.shop)
    client = alpha.client
    assert client.get("/seller/")["Location"] == "/seller/shops/"
    choice = client.get("/seller/shops/").content.decode()
    assert f'value="{alpha.seller.shop.id}"' in choice
    assert f'value="{beta.seller.shop.id}"' in choice
    response = client.post("/seller/shops/", {"shop": beta.seller.shop.id})
    assert response["Location"] == "/seller/"
    assert "Boutique Beta <small>" in client.get("/seller/").content.decode()
    client.post("/seller/shops/", {"shop": alpha.seller.shop.id})
    assert "Boutique Alpha <small>" in client.get("/seller/").content.decode()


def test_a_user_cannot_choose_a_shop_they_do_not_belong_to(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.post("/seller/shops/", {"shop": beta.seller.shop.id})
    assert response.status_code == 200
    assert f"Sélectionnez un choix valide. {beta.seller.shop.id} n\u2019en fait pas partie." in (
        response.content.decode()
    )
    assert SHOP_SESSION_KEY not in alpha.client.session


def test_a_shop_taken_away_from_the_user_is_no_longer_served(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    membership = ShopMembership.objects.create(user=alpha.seller.user, shop=beta.seller.shop)
    alpha.client.post("/seller/shops/", {"shop": beta.seller.shop.id})
    membership.delete()
    response = alpha.client.get("/seller/")
    # Back to the user's only shop, never the one withdrawn.
    assert response.status_code == 200
    assert alpha.client.session[SHOP_SESSION_KEY] == alpha.seller.shop.id


def test_a_user_without_a_shop_is_told_so(db: None, django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("nobody", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get("/seller/")["Location"] == "/seller/shops/"
    page = client.get("/seller/shops/").content.decode()
    assert "Votre compte n'a accès à aucune boutique" in page


def test_signing_out_takes_a_post_and_ends_the_session(alpha) -> None:  # type: ignore[no-untyped-def]
    assert alpha.client.get("/seller/logout/").status_code == 405
    response = alpha.client.post("/seller/logout/")
    assert response["Location"] == "/seller/login/"
    assert alpha.client.get("/seller/")["Location"] == "/seller/login/?next=/seller/"


def test_sessions_expire_after_two_idle_hours_and_with_the_browser(alpha) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert alpha.client.get("/seller/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert alpha.client.get("/seller/")["Location"] == "/seller/login/?next=/seller/"


def test_forms_refuse_a_post_without_the_csrf_token(alpha) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alpha.seller.user)
    for url in ("/seller/login/", "/seller/account/api-key/", "/seller/stock/import/"):
        assert client.post(url, {}).status_code == 403
    page = client.get("/seller/account/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') == 4  # language, sign out, key, language
