"""Syncing the offer configuration (states, logistic classes, fields) and channels by code."""

import pytest

from mercato.catalog.configuration_types import (
    ChannelConfig,
    LogisticClassConfig,
    OfferFieldConfig,
    OfferStateConfig,
)
from mercato.offers.models import LogisticClass, OfferField, OfferState
from mercato.offers.services import sync_logistic_classes, sync_offer_fields, sync_offer_states
from mercato.reconcile import SyncCounts
from mercato.shops.models import Channel
from mercato.shops.services import sync_channels

pytestmark = pytest.mark.django_db


def state(code: str, label: str, position: int) -> OfferStateConfig:
    return OfferStateConfig(code=code, label=label, labels={"en": label.upper()}, position=position)


def test_offer_states_created_updated_unchanged_deleted() -> None:
    assert sync_offer_states([state("11", "Neuf", 0), state("10", "Reconditionné", 1)]) == (
        SyncCounts(created=2)
    )
    OfferState.objects.filter(code="11").update(active=False)
    counts = sync_offer_states([state("11", "Neuf", 0), state("13", "Bon état", 1)])
    assert counts == SyncCounts(created=1, unchanged=1, deleted=1)
    assert list(
        OfferState.objects.values_list("code", "label", "labels", "position", "active")
    ) == [
        ("11", "Neuf", {"en": "NEUF"}, 0, False),  # `active` is the operator's, kept as set
        ("13", "Bon état", {"en": "BON ÉTAT"}, 1, True),
    ]
    counts = sync_offer_states([state("13", "Bon état", 0), state("11", "Neuf", 1)])
    assert counts == SyncCounts(updated=2)
    assert sync_offer_states([state("13", "Bon état", 0), state("11", "Neuf", 1)]) == SyncCounts(
        unchanged=2
    )


def test_logistic_classes() -> None:
    classes = [
        LogisticClassConfig("S", "Petit colis", {}, 10, 0),
        LogisticClassConfig("XL", "Très grand colis", {"en": "Extra large"}, None, 1),
    ]
    assert sync_logistic_classes(classes) == SyncCounts(created=2)
    classes[1] = LogisticClassConfig("XL", "Très grand colis", {"en": "Extra large"}, 20, 1)
    assert sync_logistic_classes(classes) == SyncCounts(updated=1, unchanged=1)
    assert list(LogisticClass.objects.values_list("code", "max_leadtime_to_ship")) == [
        ("S", 10),
        ("XL", 20),
    ]
    assert sync_logistic_classes([]) == SyncCounts(deleted=2)
    assert LogisticClass.objects.count() == 0


def test_offer_fields() -> None:
    warranty = OfferFieldConfig(
        "warranty", "Garantie", {}, "INTEGER", "", "OPTIONAL", "MIN|0,MAX|120", 0
    )
    assert sync_offer_fields([warranty]) == SyncCounts(created=1)
    stricter = OfferFieldConfig(
        "warranty", "Garantie", {}, "INTEGER", "", "REQUIRED", "MIN|0,MAX|60", 0
    )
    assert sync_offer_fields([stricter]) == SyncCounts(updated=1)
    field = OfferField.objects.get()
    assert (field.requirement_level, field.validations) == ("REQUIRED", "MIN|0,MAX|60")


def test_channels() -> None:
    france = ChannelConfig("FR_B2C", "France - B2C", {}, True, "EUR", 0)
    spain = ChannelConfig("ES_B2C", "Espagne - B2C", {"en": "Spain - B2C"}, False, "EUR", 1)
    assert sync_channels([france, spain]) == SyncCounts(created=2)
    spain_default = ChannelConfig("ES_B2C", "Espagne - B2C", {"en": "Spain - B2C"}, True, "EUR", 0)
    assert sync_channels([spain_default]) == SyncCounts(updated=1, deleted=1)
    assert list(Channel.objects.values_list("code", "is_default", "position")) == [
        ("ES_B2C", True, 0)
    ]
