"""The offer settings' `/api` responses (OF61, SH31), shaped as the seller contract says."""

from ninja import Schema

from mercato.catalog.localization import localized
from mercato.offers.models import LogisticClass, OfferState


class OfferStateOut(Schema):
    code: str
    label: str


class OfferStatesOut(Schema):
    offer_states: list[OfferStateOut]
    total_count: int


class LogisticClassOut(Schema):
    code: str
    label: str
    description: str


class LogisticClassesOut(Schema):
    logistic_classes: list[LogisticClassOut]


def offer_states_out(states: list[OfferState], language: str) -> OfferStatesOut:
    out = [
        OfferStateOut(code=state.code, label=localized(state.label, state.labels, language))
        for state in states
    ]
    return OfferStatesOut(offer_states=out, total_count=len(out))


def logistic_classes_out(classes: list[LogisticClass], language: str) -> LogisticClassesOut:
    out = []
    for logistic_class in classes:
        label = localized(logistic_class.label, logistic_class.labels, language)
        out.append(LogisticClassOut(code=logistic_class.code, label=label, description=label))
    return LogisticClassesOut(logistic_classes=out)
