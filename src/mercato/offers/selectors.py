"""Reads on offers and on the operator's offer settings (conditions, logistic classes).

Lists are ordered here rather than by the database, whose collations differ between
SQLite and PostgreSQL when positions tie.
"""

from mercato.offers.models import LogisticClass, OfferState
from mercato.shops.models import Shop


def offer_states(active: bool | None = None) -> list[OfferState]:
    """Offer conditions in the operator's order; `active` keeps only (in)active ones."""
    states = OfferState.objects.all()
    if active is not None:
        states = states.filter(active=active)
    return sorted(states, key=lambda state: (state.position, state.code))


def logistic_classes() -> list[LogisticClass]:
    return sorted(LogisticClass.objects.all(), key=lambda c: (c.position, c.code))


def active_offers_count(shop: Shop) -> int:
    # Offers are not stored yet, so a shop has none; the offer issue counts them here.
    return 0
