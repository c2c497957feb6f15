"""Writes on the catalog: loading an operator's marketplace directory.

Callers own the transaction: `mercato setup` wraps `load_marketplace` in one, so that a
directory is loaded whole or not at all.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, models
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from mercato.catalog.configuration import (
    ATTRIBUTES,
    CHANNELS,
    HIERARCHIES,
    LOGISTIC_CLASSES,
    OFFER_FIELDS,
    OFFER_STATES,
    VALUE_LISTS,
    ConfigurationError,
    read_marketplace,
)
from mercato.catalog.configuration_types import (
    LIST_TYPES,
    CategoryConfig,
    ConfigurationIssue,
    MarketplaceConfig,
    ValueListConfig,
)
from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    Category,
    Product,
    ProductIdentifier,
    Value,
    ValueList,
)
from mercato.catalog.validation import (
    ProductData,
    ProductIssue,
    RowCheck,
    check_rows,
    schema_from_configuration,
)
from mercato.offers.models import LogisticClass, OfferField, OfferState
from mercato.offers.services import sync_logistic_classes, sync_offer_fields, sync_offer_states
from mercato.reconcile import SyncCounts, absent, delete_rows, upsert
from mercato.shops.models import Channel
from mercato.shops.services import sync_channels

# Rows of these tables point at each other; the loader re-links them in the right order, so
# only a row of another table (a product, an offer) can keep an entry from being deleted.
_CONFIGURATION_MODELS: tuple[type[models.Model], ...] = (
    Channel,
    OfferState,
    LogisticClass,
    OfferField,
    Category,
    ValueList,
    Value,
    Attribute,
    AttributeAttachment,
)


@dataclass
class MarketplaceLoadReport:
    """What a load did, per kind of entry, and the product rows it could not load."""

    counts: dict[str, SyncCounts] = field(default_factory=dict)
    product_issues: list[ProductIssue] = field(default_factory=list)
    products_rejected: int = 0

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.counts.values())


def load_marketplace(directory: Path) -> MarketplaceLoadReport:
    """Load the marketplace directory: configuration by code, then the products by EAN.

    Raises ConfigurationError, before writing anything, when the directory is not valid or
    when an entry it drops is still in use. Products of rejected rows are not loaded; their
    issues are in the report.
    """
    config = read_marketplace(Path(directory))
    schema = schema_from_configuration(config)
    rows = ((row.line, row.fields) for row in config.products)
    checks = list(check_rows(config.product_columns, rows, schema))
    blockers = _deletion_blockers(config)
    if blockers:
        raise ConfigurationError(blockers)
    report = MarketplaceLoadReport()
    report.counts["channels"] = sync_channels(config.channels)
    report.counts["offer_states"] = sync_offer_states(config.offer_states)
    report.counts["logistic_classes"] = sync_logistic_classes(config.logistic_classes)
    report.counts["offer_fields"] = sync_offer_fields(config.offer_fields)
    _sync_catalog(config, report.counts)
    report.counts["products"] = _sync_products(checks)
    if report.counts["products"].changed:
        _refresh_statistics(Product, ProductIdentifier)
    report.product_issues = [issue for check in checks for issue in check.issues]
    report.products_rejected = sum(1 for check in checks if check.product is None)
    return report


def _refresh_statistics(*tables: type[models.Model]) -> None:
    """Tell the planner the tables' new sizes: with tens of thousands of products loaded at
    once and no autovacuum to notice (it may be off, and is late anyway), a lookup by EAN
    would scan the whole table."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table._meta.db_table}")


def _sync_catalog(config: MarketplaceConfig, counts: dict[str, SyncCounts]) -> None:
    """Categories, value lists and attributes; deletions last, once nothing points at them."""
    current_categories = {c.code: c for c in Category.objects.all()}
    counts["categories"], categories = _upsert_categories(config.categories, current_categories)
    current_lists = {v.code: v for v in ValueList.objects.all()}
    counts["value_lists"], lists = upsert(ValueList, current_lists, _list_fields(config))
    current_values = {
        (v.value_list.code, v.code): v for v in Value.objects.select_related("value_list")
    }
    counts["values"], _ = upsert(Value, current_values, _value_fields(config.value_lists, lists))
    current_attributes = {a.code: a for a in Attribute.objects.all()}
    attribute_fields = {
        a.code: {
            "code": a.code,
            "label": a.label,
            "labels": dict(a.labels),
            "type": a.type,
            "type_parameter": a.type_parameter,
            "value_list_id": lists[a.type_parameter].pk if a.type in LIST_TYPES else None,
        }
        for a in config.attributes
    }
    counts["attributes"], attributes = upsert(Attribute, current_attributes, attribute_fields)
    counts["attachments"] = _sync_attachments(config, categories, attributes)
    counts["attributes"].deleted = delete_rows(
        Attribute, absent(current_attributes, attribute_fields)
    )
    counts["values"].deleted = delete_rows(Value, absent(current_values, _value_keys(config)))
    counts["value_lists"].deleted = delete_rows(ValueList, absent(current_lists, lists))
    doomed = absent(current_categories, categories)
    # A category's parent is protected: unlink the dropped ones before deleting them.
    Category.objects.filter(pk__in=[c.pk for c in doomed]).update(parent=None)
    counts["categories"].deleted = delete_rows(Category, doomed)


def _upsert_categories(
    configs: Sequence[CategoryConfig], current: Mapping[str, Category]
) -> tuple[SyncCounts, dict[str, Category]]:
    """Level by level, so that every new category finds its parent saved."""
    counts = SyncCounts()
    saved: dict[str, Category] = {}
    for level in sorted({c.level for c in configs}):
        desired = {
            c.code: {
                "code": c.code,
                "label": c.label,
                "labels": dict(c.labels),
                "parent_id": saved[c.parent_code].pk if c.parent_code else None,
                "level": c.level,
                "position": c.position,
            }
            for c in configs
            if c.level == level
        }
        level_counts, level_saved = upsert(Category, current, desired)
        counts += level_counts
        saved.update(level_saved)
    return counts, saved


def _list_fields(config: MarketplaceConfig) -> dict[str, dict[str, object]]:
    return {
        v.code: {"code": v.code, "label": v.label, "labels": dict(v.labels)}
        for v in config.value_lists
    }


def _value_keys(config: MarketplaceConfig) -> set[tuple[str, str]]:
    return {(v.code, value.code) for v in config.value_lists for value in v.values}


def _value_fields(
    configs: Iterable[ValueListConfig], lists: Mapping[str, ValueList]
) -> dict[tuple[str, str], dict[str, object]]:
    return {
        (v.code, value.code): {
            "value_list_id": lists[v.code].pk,
            "code": value.code,
            "label": value.label,
            "labels": dict(value.labels),
            "position": value.position,
        }
        for v in configs
        for value in v.values
    }


def _sync_attachments(
    config: MarketplaceConfig,
    categories: Mapping[str, Category],
    attributes: Mapping[str, Attribute],
) -> SyncCounts:
    current = {
        (a.attribute.code, a.category.code if a.category else ""): a
        for a in AttributeAttachment.objects.select_related("attribute", "category")
    }
    desired = {
        (a.attribute_code, a.category_code): {
            "attribute_id": attributes[a.attribute_code].pk,
            "category_id": categories[a.category_code].pk if a.category_code else None,
            "requirement_level": a.requirement_level,
            "variant": a.variant,
            "validations": a.validations,
            "description": a.description,
            "position": a.position,
        }
        for a in config.attachments
    }
    counts, _ = upsert(AttributeAttachment, current, desired)
    counts.deleted = delete_rows(AttributeAttachment, absent(current, desired))
    return counts


def _sync_products(checks: Iterable[RowCheck]) -> SyncCounts:
    """Upsert the valid rows' products by EAN, as live products of the operator."""
    products = [check.product for check in checks if check.product is not None]
    categories = {c.code: c.pk for c in Category.objects.all()}
    # One query for every EAN rather than a huge IN list (SQLite caps the parameters).
    product_ids = dict(
        ProductIdentifier.objects.filter(type=ProductIdentifier.Type.EAN).values_list(
            "value", "product_id"
        )
    )
    wanted = [product_ids[p.ean] for p in products if p.ean in product_ids]
    by_id = Product.objects.in_bulk(wanted)
    current = {ean: by_id[pk] for ean, pk in product_ids.items() if pk in by_id}
    desired = {p.ean: _product_fields(p, categories[p.category_code]) for p in products}
    counts, saved = upsert(Product, current, desired, touch="updated_at")
    ProductIdentifier.objects.bulk_create(
        ProductIdentifier(product=saved[ean], type=ProductIdentifier.Type.EAN, value=ean)
        for ean in desired
        if ean not in current
    )
    return counts


def _product_fields(product: ProductData, category_id: int) -> dict[str, object]:
    return {
        "category_id": category_id,
        "titles": product.titles,
        "descriptions": product.descriptions,
        "brand": product.brand,
        "attributes": product.attributes,
        "media": product.media,
        "variant_group_code": product.variant_group_code,
        "status": Product.Status.LIVE,
        "rejection_reason": "",
        "shop_id": None,
        "shop_sku": product.shop_sku,
        "title": product.titles.get("fr_FR", "")[:255],
    }


def _deletion_blockers(config: MarketplaceConfig) -> list[ConfigurationIssue]:
    """An issue per entry the directory drops while a product, an offer… still uses it."""
    kept: list[tuple[str, type[models.Model], set[str]]] = [
        (CHANNELS, Channel, {c.code for c in config.channels}),
        (OFFER_STATES, OfferState, {s.code for s in config.offer_states}),
        (LOGISTIC_CLASSES, LogisticClass, {c.code for c in config.logistic_classes}),
        (OFFER_FIELDS, OfferField, {f.code for f in config.offer_fields}),
        (HIERARCHIES, Category, {c.code for c in config.categories}),
        (VALUE_LISTS, ValueList, {v.code for v in config.value_lists}),
        (ATTRIBUTES, Attribute, {a.code for a in config.attributes}),
    ]
    issues = []
    for file, model, codes in kept:
        for row in model._default_manager.exclude(code__in=codes):
            users = _users(row)
            if users:
                names = {u._meta.verbose_name_plural for u in users}
                issues.append(
                    ConfigurationIssue(
                        file,
                        0,
                        "code",
                        f"'{getattr(row, 'code')}' is absent but {len(users)} "  # noqa: B009
                        f"{' and '.join(sorted(map(str, names)))} still use it: keep it in "
                        "the file, or move or delete what uses it first",
                    )
                )
    return issues


def _users(row: models.Model) -> list[models.Model]:
    """The rows outside the configuration that keep `row` from being deleted."""
    collector = Collector(using=row._state.db or "default")
    try:
        collector.collect([row])
    except ProtectedError as error:
        blocking = error.protected_objects
    except RestrictedError as error:
        blocking = error.restricted_objects
    else:
        return []
    return [user for user in blocking if not isinstance(user, _CONFIGURATION_MODELS)]
