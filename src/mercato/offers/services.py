"""Writes on the offer configuration (states, logistic classes, additional fields) and on
one offer from a form of the back office.

Callers own the transaction.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.utils import timezone

from mercato.catalog.configuration_types import (
    LogisticClassConfig,
    OfferFieldConfig,
    OfferStateConfig,
)
from mercato.errors import InvalidInput
from mercato.offers.importing import BatchContext, apply_offer_batch, known_offers, offer_rules
from mercato.offers.models import LogisticClass, Offer, OfferField, OfferState
from mercato.offers.validation import Mode, OfferIssue, validate_line
from mercato.reconcile import SyncCounts, sync_by_code
from mercato.shops.models import Shop

# A form is one line; an import line is numbered as the seller sees it in the file.
FORM_LINE = 1
# No import carries a form's offer: 0 is never an import's id.
NO_IMPORT = 0


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


class OfferRejected(InvalidInput):
    """An offer that the import's rules refuse, with every issue (column, message code)."""

    def __init__(self, issues: Sequence[OfferIssue]) -> None:
        super().__init__(issues[0].message() if issues else "The offer is invalid.")
        self.issues = list(issues)


def save_offer(
    shop: Shop,
    cells: Mapping[str, str],
    *,
    mode: str = Mode.NORMAL,
    now: datetime | None = None,
) -> Offer:
    """Create or update one offer from cells named as the import's columns.

    The form's cells go through the offer import's own checks and apply step, so that a
    form accepts and refuses exactly what a file line would, with the same messages. The
    cells given are the line's header: in NORMAL mode an empty cell empties its value and
    a column left out keeps it. The offer's row_hash is cleared (no digest): it was not set
    by an import line.
    """
    rules = offer_rules(shop, accept_labels=False)
    line, issues = validate_line(FORM_LINE, cells, rules, mode)
    if line is None:
        raise OfferRejected(issues)
    context = BatchContext(
        shop=shop,
        mode=mode,
        columns=frozenset(cells),
        rules=rules,
        import_id=NO_IMPORT,
        now=now or timezone.now(),
    )
    outcome = apply_offer_batch([line], context, known_offers(shop, [line.sku]), digests={})
    if outcome.issues:
        raise OfferRejected([issue for found in outcome.issues.values() for issue in found])
    return Offer.objects.get(shop=shop, sku=line.sku)
