"""Reads of the product screens: the leaf categories a product is created in and the content
advice beside its form; and, always within one shop, the dashboard's product cards: the
shop's products waiting for review or rejected (with the operator's reason), and the content
quality of its catalog.

The quality score is not stored: it is worked out here from each product's content with
`catalog.quality`, one pass over the shop's products, so that it follows the catalog's rules
as they are now.
"""

import heapq
from dataclasses import dataclass

from mercato.backoffice.language import localized_label
from mercato.catalog.models import Product
from mercato.catalog.quality import quality
from mercato.catalog.selectors import catalog_schema, category_tree
from mercato.shops.models import Shop

_QUALITY_FIELDS = (
    "id", "product_sku", "shop_sku", "title", "category__code", "titles", "descriptions",
    "brand", "media", "attributes",
)  # fmt: skip
_CHUNK = 2000


@dataclass(frozen=True)
class ScoredProduct:
    id: int
    product_sku: str
    shop_sku: str
    title: str
    score: int
    advice: tuple[str, ...]


@dataclass(frozen=True)
class CatalogQuality:
    products: int  # those scored: in a category the catalog still has
    average: int | None  # rounded; None without any product
    worst: list[ScoredProduct]  # the lowest scores first


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


def catalog_quality(shop: Shop, worst: int, locale: str) -> CatalogQuality:
    """The average content-quality score of the shop's products and its `worst` ones, their
    advice in `locale`'s language."""
    categories = catalog_schema().categories
    total = count = 0
    lowest: list[tuple[int, int, ScoredProduct]] = []  # a max-heap by (-score, -id)
    rows = Product.objects.filter(shop=shop).order_by("id").values_list(*_QUALITY_FIELDS)
    for (
        pid,
        sku,
        shop_sku,
        title,
        category,
        titles,
        descriptions,
        brand,
        media,
        attributes,
    ) in rows.iterator(chunk_size=_CHUNK):
        rules = categories.get(category)
        if rules is None:
            continue
        found = quality(
            rules,
            titles=titles or {},
            descriptions=descriptions or {},
            brand=brand,
            media=media or [],
            attributes=attributes or {},
            locale=locale,
        )
        total += found.score
        count += 1
        scored = ScoredProduct(pid, sku, shop_sku, title, found.score, found.advice)
        heapq.heappush(lowest, (-found.score, -pid, scored))
        if len(lowest) > worst:
            heapq.heappop(lowest)
    ranked = sorted((entry[2] for entry in lowest), key=lambda p: (p.score, p.id))
    return CatalogQuality(count, round(total / count) if count else None, ranked)
