"""A01 (the caller's shop) and CH11 (channels)."""

from datetime import UTC
from typing import Any

import pytest
from django.test import Client

from contract import assert_matches_contract, contract_errors
from mercato.shops.models import Channel, Shop


@pytest.fixture
def channels(db: None) -> list[Channel]:
    return [
        Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True, position=0),
        Channel.objects.create(
            code="ES_B2C", label="Espagne - B2C", labels={"en": "Spain - B2C", "es": "España - B2C"}
        ),
        Channel.objects.create(
            code="BE_B2B", label="Belgique - B2B", labels={"en": "Belgium - B2B"}
        ),
    ]


def _iso(shop: Shop, field: str) -> str:
    value = getattr(shop, field).astimezone(UTC)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _account(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/account{query}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert_matches_contract("A01", 200, body)
    return body


def test_a01_describes_the_callers_shop(channels: list[Channel], make_seller) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller("Boutique Alpha", channels=["FR_B2C", "ES_B2C"], email="alpha@example.com")
    Shop.objects.filter(id=seller.shop.id).update(
        description="Téléphonie reconditionnée",
        contact_firstname="Ana",
        contact_lastname="Diaz",
        street1="1 rue de la Paix",
        zip_code="75002",
        city="Paris",
        lead_time_to_ship=2,
        premium=True,
    )
    shop = Shop.objects.get(id=seller.shop.id)

    body = _account(Client(HTTP_AUTHORIZATION=seller.key))

    assert body == {
        "shop_id": shop.id,
        "shop_name": "Boutique Alpha",
        "shop_state": "OPEN",
        "channels": ["ES_B2C", "FR_B2C"],
        "currency_iso_code": "EUR",
        "date_created": _iso(shop, "date_created"),
        "last_updated_date": _iso(shop, "last_updated_date"),
        "is_professional": True,
        "premium": True,
        "description": "Téléphonie reconditionnée",
        "contact_informations": {
            "civility": None,
            "firstname": "Ana",
            "lastname": "Diaz",
            "email": "alpha@example.com",
            "street1": "1 rue de la Paix",
            "street2": None,
            "zip_code": "75002",
            "city": "Paris",
            "country": "FRA",
            "phone": None,
        },
        "default_billing_information": {
            "id": None,
            "default_language": "fr_FR",
            "corporate_information": {
                "company_registration_name": None,
                "company_registration_number": None,
            },
            "registration_address": {
                "street_1": "1 rue de la Paix",
                "street_2": None,
                "zip_code": "75002",
                "city": "Paris",
                "state": None,
                "country_iso_code": "FRA",
            },
        },
        "billing_info": {
            "owner": None,
            "bank_name": None,
            "bank_street": None,
            "bank_city": None,
            "zip_code": None,
            "iban": None,
            "bic": None,
        },
        "pro_details": {
            "corporate_name": None,
            "identification_number": None,
            "tax_identification_number": None,
            "VAT_number": None,
        },
        "domains": ["PRODUCT"],
        "model": "MARKETPLACE",
        "free_shipping": False,
        "evaluations_count": 0,
        "offers_count": 0,
        "orders_count": 0,
        "payment_details": {"paid_balance": 0.0, "payable_balance": 0.0, "pending_balance": 0.0},
        "payment_method_mandatory": False,
        "shipping": {"lead_time_to_ship": 2},
        "shipping_types": [],
        "shipping_zones": [],
        "shop_additional_fields": [],
    }


@pytest.mark.parametrize("state", ["OPEN", "CLOSE", "SUSPENDED"])
def test_a01_reports_the_shop_state(seller, api: Client, state: str) -> None:  # type: ignore[no-untyped-def]
    Shop.objects.filter(id=seller.shop.id).update(state=state)
    assert _account(api)["shop_state"] == state


def test_a01_keeps_every_required_key_of_the_contract(api: Client) -> None:
    body = _account(api)
    # The checker would notice a dropped nested key: prove it on the real body.
    del body["contact_informations"]["city"]
    del body["default_billing_information"]["registration_address"]["street_1"]
    assert contract_errors("A01", 200, body) == [
        "contact_informations: 'city' is a required property",
        "default_billing_information/registration_address: 'street_1' is a required property",
    ]


def test_a01_shows_only_the_chosen_shop(make_seller) -> None:  # type: ignore[no-untyped-def]
    alpha = make_seller("Boutique Alpha")
    beta = make_seller("Boutique Beta", email="beta@example.com")
    body = _account(Client(HTTP_AUTHORIZATION=beta.key), f"?shop_id={beta.shop.id}")
    assert (body["shop_id"], body["shop_name"]) == (beta.shop.id, "Boutique Beta")

    forbidden = Client(HTTP_AUTHORIZATION=alpha.key).get(f"/api/account?shop_id={beta.shop.id}")
    assert forbidden.status_code == 403
    assert forbidden.json() == {"message": f"Access denied to shop {beta.shop.id}.", "status": 403}
    assert b"beta@example.com" not in forbidden.content


def test_ch11_lists_every_channel_by_code(channels: list[Channel], api: Client) -> None:
    response = api.get("/api/channels")
    assert response.status_code == 200
    body = response.json()
    assert_matches_contract("CH11", 200, body)
    assert body == {
        "channels": [
            {"code": "BE_B2B", "label": "Belgique - B2B", "description": "Belgique - B2B"},
            {"code": "ES_B2C", "label": "Espagne - B2C", "description": "Espagne - B2C"},
            {"code": "FR_B2C", "label": "France - B2C", "description": "France - B2C"},
        ]
    }


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("fr_FR", ["Belgique - B2B", "Espagne - B2C", "France - B2C"]),
        ("en_US", ["Belgium - B2B", "Spain - B2C", "France - B2C"]),
        ("es_ES", ["Belgique - B2B", "España - B2C", "France - B2C"]),
    ],
)
def test_ch11_labels_follow_the_locale(
    channels: list[Channel], api: Client, locale: str, labels: list[str]
) -> None:
    body = api.get(f"/api/channels?locale={locale}").json()
    assert_matches_contract("CH11", 200, body)
    assert [c["label"] for c in body["channels"]] == labels
    assert [c["description"] for c in body["channels"]] == labels
