"""The mapping assistant: a shop's saved, versioned mappings and the catalog codes they use.

Saving never edits a version: it adds the next one, so that an import says which version it
applied. Every target is checked before anything is saved, and every wrong entry is named.
Callers own the transaction.
"""

from collections.abc import Mapping

from django.db.models import Max

from mercato.catalog.mapping import CatalogCodes, MappingRules, normalize
from mercato.catalog.mapping_messages import MappingProblem, MappingRefused
from mercato.catalog.models import (
    Attribute,
    AttributeType,
    Category,
    Value,
)
from mercato.imports.models import ProductMapping
from mercato.shops.models import Shop

_LISTS = (AttributeType.LIST, AttributeType.LIST_MULTIPLE_VALUES)


def catalog_codes() -> CatalogCodes:
    """Attribute, category and value codes of the catalog (four queries)."""
    attributes = dict(Attribute.objects.values_list("code", "type"))
    by_list: dict[int, list[str]] = {}
    for list_id, code in Value.objects.values_list("value_list_id", "code"):
        by_list.setdefault(list_id, []).append(code)
    list_values = {
        code: frozenset(by_list.get(list_id, ()))
        for code, list_id in Attribute.objects.filter(type__in=_LISTS).values_list(
            "code", "value_list_id"
        )
    }
    parents = dict(Category.objects.values_list("code", "parent__code"))
    with_children = {parent for parent in parents.values() if parent}
    return CatalogCodes(
        attributes=frozenset(attributes),
        categories=frozenset(parents),
        leaves=frozenset(code for code in parents if code not in with_children),
        list_values=list_values,
        multiple=frozenset(
            code
            for code, type_ in attributes.items()
            if type_ == AttributeType.LIST_MULTIPLE_VALUES
        ),
    )


def current_mapping(shop: Shop) -> MappingRules:
    """The shop's latest mapping; an empty one (operator format) when it has none."""
    mapping = ProductMapping.objects.filter(shop=shop).order_by("-version").first()
    if mapping is None:
        return MappingRules()
    return MappingRules(mapping.version, mapping.columns, mapping.categories, mapping.values)


def mapping_versions(shop: Shop) -> list[ProductMapping]:
    return list(ProductMapping.objects.filter(shop=shop).order_by("-version"))


def _check(
    columns: Mapping[str, str],
    categories: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]],
    codes: CatalogCodes,
) -> list[MappingProblem]:
    problems = []
    for source, target in columns.items():
        if not source.strip():
            problems.append(MappingProblem("column-no-name", {"target": target}))
        if target not in codes.attributes:
            problems.append(
                MappingProblem("column-not-attribute", {"source": source, "target": target})
            )
    for source, target in categories.items():
        if target not in codes.leaves:
            problems.append(
                MappingProblem("category-not-leaf", {"source": source, "target": target})
            )
    for attribute, pairs in values.items():
        allowed = codes.list_values.get(attribute)
        if allowed is None:
            problems.append(MappingProblem("values-not-list", {"attribute": attribute}))
            continue
        problems.extend(
            MappingProblem(
                "value-not-in-list", {"source": source, "attribute": attribute, "target": target}
            )
            for source, target in pairs.items()
            if target not in allowed
        )
    return problems


def save_mapping(
    shop: Shop,
    *,
    columns: Mapping[str, str],
    categories: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]],
) -> ProductMapping:
    """Save the next version of the shop's mapping; MappingRefused naming every wrong entry."""
    codes = catalog_codes()
    columns = {source.strip(): target.strip() for source, target in columns.items()}
    categories = {normalize(source): target.strip() for source, target in categories.items()}
    values = {
        attribute.strip(): {normalize(source): target.strip() for source, target in pairs.items()}
        for attribute, pairs in values.items()
    }
    problems = _check(columns, categories, values, codes)
    if problems:
        raise MappingRefused(problems)
    last = ProductMapping.objects.filter(shop=shop).aggregate(last=Max("version"))["last"]
    return ProductMapping.objects.create(
        shop=shop,
        version=(last or 0) + 1,
        columns=columns,
        categories=categories,
        values={attribute: pairs for attribute, pairs in values.items() if pairs},
    )


def merge_mapping(
    shop: Shop,
    *,
    columns: Mapping[str, str] | None = None,
    categories: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> ProductMapping:
    """Save the current mapping with these entries added or replaced (confirmed proposals)."""
    current = current_mapping(shop)
    merged_values = {attribute: dict(pairs) for attribute, pairs in current.values.items()}
    for attribute, pairs in (values or {}).items():
        merged_values.setdefault(attribute, {}).update(pairs)
    return save_mapping(
        shop,
        columns={**current.columns, **(columns or {})},
        categories={**current.categories, **(categories or {})},
        values=merged_values,
    )
