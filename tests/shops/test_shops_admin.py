"""Operator console for shops: pages, shop creation through the service, keys, channels."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from mercato.errors import Unauthorized
from mercato.shops.models import ApiKey, Channel, Shop, ShopMembership
from mercato.shops.selectors import user_for_api_key
from mercato.shops.services import create_shop, issue_api_key

KEY = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def channels(db: None) -> tuple[Channel, Channel]:
    return (
        Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True),
        Channel.objects.create(code="ES_B2C", label="Espagne - B2C"),
    )


@pytest.fixture
def shop(channels: tuple[Channel, Channel]) -> Shop:
    shop, user = create_shop("Boutique Alpha", channels=["FR_B2C"])
    issue_api_key(user)
    return shop


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def act(client: Client, model: type[Model], action: str, ids: list[object]) -> HttpResponse:
    data = {"action": action, "_selected_action": [str(pk) for pk in ids]}
    return client.post(url(model, "changelist"), data, follow=True)


def test_add_shop_goes_through_create_shop(
    admin_client: Client, channels: tuple[Channel, Channel]
) -> None:
    fr, es = channels
    data = {"name": "Boutique Beta", "id": "", "channels": [fr.pk, es.pk], "email": "b@b.fr"}

    response = admin_client.post(url(Shop, "add"), data)

    assert response.status_code == 302
    shop = Shop.objects.get()
    assert (shop.id, shop.name, shop.email) == (2000, "Boutique Beta", "b@b.fr")
    assert sorted(shop.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]
    assert shop.users.get().username == "boutique-beta-2000"
    assert response["Location"] == url(Shop, "changelist")


def test_add_shop_with_a_taken_id_shows_the_error_and_creates_nothing(
    admin_client: Client, shop: Shop
) -> None:
    users = get_user_model().objects.count()
    data = {"name": "Boutique Beta", "id": str(shop.id), "channels": [], "email": ""}

    response = admin_client.post(url(Shop, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "id": ["Un objet Shop avec ce champ Id existe déjà."]
    }
    assert list(Shop.objects.values_list("name", flat=True)) == ["Boutique Alpha"]
    assert get_user_model().objects.count() == users


def test_issue_api_key_shows_a_working_key_once_and_revokes_the_old_one(
    admin_client: Client, shop: Shop
) -> None:
    old_key = ApiKey.objects.get()

    response = act(admin_client, Shop, "issue_api_key", [shop.pk])

    [message] = messages_of(response)
    key = KEY.search(message)
    assert key is not None
    assert message == (
        f"New API key for shop {shop.id} Boutique Alpha: {key.group()} — copy it now, "
        "it will not be shown again."
    )
    assert user_for_api_key(key.group()) == shop.users.get()
    old_key.refresh_from_db()
    assert old_key.revoked_at is not None
    # The key is not stored: the next page does not show it again.
    assert key.group() not in admin_client.get(url(Shop, "changelist")).content.decode()


def test_open_and_close_the_spanish_channel(admin_client: Client, shop: Shop) -> None:
    other, _user = create_shop("Boutique Gamma", channels=["FR_B2C", "ES_B2C"])

    opened = act(admin_client, Shop, "open_spanish_channel", [shop.pk, other.pk])

    assert messages_of(opened) == ["ES_B2C channel opened for 2 shop(s)."]
    assert sorted(shop.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]
    assert sorted(other.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]

    closed = act(admin_client, Shop, "close_spanish_channel", [shop.pk])

    assert messages_of(closed) == ["ES_B2C channel closed for 1 shop(s)."]
    assert list(shop.channels.values_list("code", flat=True)) == ["FR_B2C"]
    assert sorted(other.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]


def test_revoke_api_keys(admin_client: Client, shop: Shop) -> None:
    key = issue_api_key(shop.users.get())
    active = ApiKey.objects.get(revoked_at__isnull=True)

    response = act(admin_client, ApiKey, "revoke", [active.pk])

    assert messages_of(response) == ["1 API key(s) revoked."]
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 0
    with pytest.raises(Unauthorized):
        user_for_api_key(key)


def test_api_keys_cannot_be_added_or_edited(admin_client: Client, shop: Shop) -> None:
    key = ApiKey.objects.get()

    add = admin_client.get(url(ApiKey, "add"))
    change = admin_client.post(url(ApiKey, "change", key.pk), {"key_hash": "0" * 64})

    assert add.status_code == 403
    assert change.status_code == 403
    assert ApiKey.objects.get().key_hash == key.key_hash


def test_change_form_edits_state_and_channels(
    admin_client: Client, shop: Shop, channels: tuple[Channel, Channel]
) -> None:
    membership = ShopMembership.objects.get()
    data = {
        "name": "Boutique Alpha",
        "state": "CLOSE",
        "channels": [channel.pk for channel in channels],
        "currency_iso_code": "EUR",
        "is_professional": "on",
        "country_iso_code": "FRA",
        "default_language": "fr_FR",
        "shopmembership_set-TOTAL_FORMS": "1",
        "shopmembership_set-INITIAL_FORMS": "1",
        "shopmembership_set-0-id": str(membership.pk),
        "shopmembership_set-0-shop": str(shop.pk),
        "shopmembership_set-0-user": str(membership.user_id),
    }

    response = admin_client.post(url(Shop, "change", shop.pk), data)

    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.state == Shop.State.CLOSE
    assert sorted(shop.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]
    assert ShopMembership.objects.get() == membership
