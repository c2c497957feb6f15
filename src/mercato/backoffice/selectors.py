"""Reads of the product screens: the leaf categories a product is created in and the content
advice beside its form; and, always within one shop, the dashboard's product cards: the
shop's products waiting for review or rejected (with the operator's reason). The content
quality of its catalog is stored by a job: see `catalog.quality_summary`.
"""

from mercato.backoffice.language import localized_label
from mercato.catalog.models import Product
from mercato.catalog.quality import quality
from mercato.catalog.selectors import catalog_schema, category_tree
from mercato.shops.models import Shop


def leaf_categories() -> list[tuple[str, str]]:
    """The leaf categories (only they hold products), each with its path, in tree order."""
    nodes = category_tree()
    parents = {node.parent_code for node in nodes}
    paths: dict[str, str] = {}
    leaves = []
    for node in nodes:
        label = localized_label(node.category.label, node.category.labels)
        path = f"{paths[node.parent_code]} > {label}" if node.parent_code in paths else label
        paths[node.category.code] = path
        if node.category.code not in parents:
            leaves.append((node.category.code, path))
    return leaves


def content_advice(category: str, locale: str) -> tuple[str, ...]:
    """What makes a product of the leaf `category` sell: the advice for an empty product."""
    rules = catalog_schema().categories[category]
    empty = quality(
        rules, titles={}, descriptions={}, brand="", media=[], attributes={}, locale=locale
    )
    return empty.advice


def products_in_review(shop: Shop, status: str, limit: int) -> list[Product]:
    """The shop's own products in `status` (PENDING or REJECTED), the latest changed first."""
    return list(
        Product.objects.filter(shop=shop, status=status)
        .only("id", "product_sku", "shop_sku", "title", "rejection_reason", "updated_at")
        .order_by("-updated_at", "-id")[:limit]
    )
