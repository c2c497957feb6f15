"""OF61 (offer conditions) and SH31 (logistic classes)."""

import pytest
from django.test import Client

from contract import assert_matches_contract
from mercato.offers.models import LogisticClass, OfferState


@pytest.fixture
def offer_settings(db: None) -> None:
    OfferState.objects.create(
        code="11", label="Neuf", labels={"en": "New", "es": "Nuevo"}, position=0
    )
    OfferState.objects.create(
        code="10", label="Reconditionné", labels={"en": "Refurbished"}, position=1
    )
    OfferState.objects.create(code="4", label="Occasion", active=False, position=2)
    LogisticClass.objects.create(
        code="XL", label="Très grand colis", labels={"en": "Extra large"}, position=0
    )
    LogisticClass.objects.create(
        code="S", label="Petit colis", labels={"en": "Small", "es": "Pequeño"}, position=1
    )


@pytest.mark.parametrize(
    ("query", "states"),
    [
        (
            "",
            [
                {"code": "11", "label": "Neuf"},
                {"code": "10", "label": "Reconditionné"},
                {"code": "4", "label": "Occasion"},
            ],
        ),
        (
            "active=true",
            [{"code": "11", "label": "Neuf"}, {"code": "10", "label": "Reconditionné"}],
        ),
        ("active=false", [{"code": "4", "label": "Occasion"}]),
        (
            "locale=en_US",
            [
                {"code": "11", "label": "New"},
                {"code": "10", "label": "Refurbished"},
                {"code": "4", "label": "Occasion"},
            ],
        ),
        (
            "locale=es_ES&active=true",
            [{"code": "11", "label": "Nuevo"}, {"code": "10", "label": "Reconditionné"}],
        ),
    ],
)
def test_of61_lists_offer_conditions_in_the_operators_order(
    offer_settings: None, api: Client, query: str, states: list[dict[str, str]]
) -> None:
    response = api.get(f"/api/offers/states?{query}")
    assert response.status_code == 200
    body = response.json()
    assert_matches_contract("OF61", 200, body)
    assert body == {"offer_states": states, "total_count": len(states)}


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("fr_FR", ["Très grand colis", "Petit colis"]),
        ("en_US", ["Extra large", "Small"]),
        ("es_ES", ["Très grand colis", "Pequeño"]),
    ],
)
def test_sh31_lists_logistic_classes_in_the_operators_order(
    offer_settings: None, api: Client, locale: str, labels: list[str]
) -> None:
    response = api.get(f"/api/shipping/logistic_classes?locale={locale}")
    assert response.status_code == 200
    body = response.json()
    assert_matches_contract("SH31", 200, body)
    assert body == {
        "logistic_classes": [
            {"code": "XL", "label": labels[0], "description": labels[0]},
            {"code": "S", "label": labels[1], "description": labels[1]},
        ]
    }


def test_empty_settings_are_empty_lists(api: Client) -> None:
    states = api.get("/api/offers/states").json()
    classes = api.get("/api/shipping/logistic_classes").json()
    assert_matches_contract("OF61", 200, states)
    assert_matches_contract("SH31", 200, classes)
    assert states == {"offer_states": [], "total_count": 0}
    assert classes == {"logistic_classes": []}
