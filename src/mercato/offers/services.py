"""Writes on the offer configuration: states, logistic classes, additional fields.

Callers own the transaction.
"""

from collections.abc import Sequence

from mercato.catalog.configuration_types import (
    LogisticClassConfig,
    OfferFieldConfig,
    OfferStateConfig,
)
from mercato.offers.models import LogisticClass, OfferField, OfferState
from mercato.reconcile import SyncCounts, sync_by_code


def sync_offer_states(states: Sequence[OfferStateConfig]) -> SyncCounts:
    """Make the offer states exactly `states`, matched by code."""
    return sync_by_code(
        OfferState,
        {
            s.code: {
                "code": s.code,
                "label": s.label,
                "labels": dict(s.labels),
                "position": s.position,
            }
            for s in states
        },
    )


def sync_logistic_classes(classes: Sequence[LogisticClassConfig]) -> SyncCounts:
    """Make the logistic classes exactly `classes`, matched by code."""
    return sync_by_code(
        LogisticClass,
        {
            c.code: {
                "code": c.code,
                "label": c.label,
                "labels": dict(c.labels),
                "max_leadtime_to_ship": c.max_leadtime_to_ship,
                "position": c.position,
            }
            for c in classes
        },
    )


def sync_offer_fields(fields: Sequence[OfferFieldConfig]) -> SyncCounts:
    """Make the additional offer fields exactly `fields`, matched by code."""
    return sync_by_code(
        OfferField,
        {
            f.code: {
                "code": f.code,
                "label": f.label,
                "labels": dict(f.labels),
                "type": f.type,
                "type_parameter": f.type_parameter,
                "requirement_level": f.requirement_level,
                "validations": f.validations,
                "position": f.position,
            }
            for f in fields
        },
    )
