"""Proposed mappings for what a product file held that the shop's mapping did not cover.

Each unmapped column, category or value is compared with the catalog's codes and labels (in
every language): an exact match once normalized (`mapping.normalize`) is proposed as such,
else the closest by rapidfuzz's WRatio when it scores at least `MIN_SCORE`. Nothing is saved:
the seller confirms the proposals they keep (`mapping_assistant.merge_mapping`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from mercato.catalog.mapping import normalize
from mercato.catalog.models import Attribute, AttributeType, Category, Value

MIN_SCORE = 80
COLUMN = "COLUMN"
CATEGORY = "CATEGORY"
VALUE = "VALUE"


@dataclass(frozen=True)
class Proposal:
    kind: str  # COLUMN, CATEGORY or VALUE
    attribute: str  # the attribute whose value is mapped (VALUE only)
    source: str
    target: str  # an attribute, leaf category or value code
    target_label: str
    score: int  # 100 for an exact match
    exact: bool


@dataclass(frozen=True)
class _Choice:
    code: str
    label: str
    texts: tuple[str, ...]  # normalized: the code, the labels, a category's path


def _texts(code: str, label: str, labels: Mapping[str, str], *more: str) -> tuple[str, ...]:
    found = [normalize(code), normalize(label), *map(normalize, labels.values())]
    found += map(normalize, more)
    return tuple(dict.fromkeys(text for text in found if text))


def _best(source: str, choices: list[_Choice]) -> tuple[_Choice, int, bool] | None:
    wanted = normalize(source)
    for choice in choices:
        if wanted in choice.texts:
            return choice, 100, True
    flat = {(i, j): text for i, c in enumerate(choices) for j, text in enumerate(c.texts)}
    match = process.extractOne(wanted, flat, scorer=fuzz.WRatio, score_cutoff=MIN_SCORE)
    if match is None:
        return None
    _, score, (index, _) = match
    return choices[index], round(score), False


def _attribute_choices() -> list[_Choice]:
    return [
        _Choice(a.code, a.label, _texts(a.code, a.label, a.labels))
        for a in Attribute.objects.exclude(type=AttributeType.CATEGORY)
    ]


def _leaf_choices() -> list[_Choice]:
    categories = list(Category.objects.all())
    by_id = {c.id: c for c in categories}
    parents = {c.parent_id for c in categories}
    choices = []
    for category in categories:
        if category.id in parents:
            continue
        path, node = [category.label], category
        while node.parent_id is not None and node.parent_id in by_id and len(path) < 20:
            node = by_id[node.parent_id]
            path.insert(0, node.label)
        texts = _texts(category.code, category.label, category.labels, " > ".join(path))
        choices.append(_Choice(category.code, category.label, texts))
    return choices


def _value_choices(attributes: Iterable[str]) -> dict[str, list[_Choice]]:
    lists = dict(
        Attribute.objects.filter(code__in=list(attributes)).values_list("code", "value_list_id")
    )
    by_list: dict[int, list[_Choice]] = {}
    for value in Value.objects.filter(value_list_id__in=[i for i in lists.values() if i]):
        choice = _Choice(value.code, value.label, _texts(value.code, value.label, value.labels))
        by_list.setdefault(value.value_list_id, []).append(choice)
    return {code: by_list.get(list_id or 0, []) for code, list_id in lists.items()}


def _proposal(kind: str, attribute: str, source: str, choices: list[_Choice]) -> Proposal | None:
    best = _best(source, choices)
    if best is None:
        return None
    choice, score, exact = best
    return Proposal(kind, attribute, source, choice.code, choice.label, score, exact)


def propose(unmapped: Mapping[str, object]) -> list[Proposal]:
    """Proposals for an import's `unmapped` (columns, categories, values by attribute)."""
    columns = [str(c) for c in unmapped.get("columns", []) or []]  # type: ignore[attr-defined]
    categories = [str(c) for c in unmapped.get("categories", []) or []]  # type: ignore[attr-defined]
    values: Mapping[str, list[str]] = unmapped.get("values", {}) or {}  # type: ignore[assignment]
    found: list[Proposal | None] = []
    if columns:
        attributes = _attribute_choices()
        found += [_proposal(COLUMN, "", column, attributes) for column in columns]
    if categories:
        leaves = _leaf_choices()
        found += [_proposal(CATEGORY, "", category, leaves) for category in categories]
    if values:
        lists = _value_choices(values)
        found += [
            _proposal(VALUE, attribute, raw, lists.get(attribute, []))
            for attribute, raws in values.items()
            for raw in raws
        ]
    return [proposal for proposal in found if proposal is not None]
