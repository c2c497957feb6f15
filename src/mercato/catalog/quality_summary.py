"""The content-quality summary of a shop's own products (catalog.quality scores them): the
average score and the worst products, computed by a job and stored with the fingerprint of
what it was computed from (the shop's products and the catalog's rules).

Scoring every product takes seconds for a shop of 100,000: a page never does it. The
dashboard reads the stored summary; when the products or the rules changed since, it shows
the last values marked as being updated, or a card being computed when there are none yet,
and queues the job once per change. Only the few worst products get their advice, in the
reader's language, when the card is shown.
"""

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.utils import timezone

from mercato.catalog.models import CatalogQualitySummary
from mercato.catalog.quality import LOCALE, Quality, quality
from mercato.catalog.selectors import (
    ProductContent,
    catalog_schema,
    own_product_contents,
    own_products_by_id,
    quality_fingerprint,
    quality_summary_of,
)
from mercato.catalog.validation import CategoryRules
from mercato.shops.models import Shop

WORST_KEPT = 10  # stored; the dashboard shows fewer
# A refresh queued for the same fingerprint is queued again after this long without an
# answer (a worker stopped or lost the job), never on every page view in between.
REQUEST_AGAIN_AFTER = timedelta(minutes=10)


class State(StrEnum):
    FRESH = "fresh"  # the summary matches the products and rules as they are
    UPDATING = "updating"  # its last values, while the job works out the new ones
    COMPUTING = "computing"  # none yet: the job is working it out


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
    state: State
    products: int  # those scored: in a category the catalog still has
    average: int | None  # rounded; None without any product
    worst: list[ScoredProduct]  # the lowest scores first
    computed_at: datetime | None = None


@dataclass(frozen=True)
class _Scores:
    products: int
    average: int | None
    worst: list[tuple[int, int]]  # (product id, score), the lowest first


def quality_card(shop: Shop, worst: int, locale: str) -> CatalogQuality:
    """The shop's content quality as stored, its `worst` products' advice in `locale`'s
    language; queues a refresh, once the caller's transaction commits, when it is stale."""
    categories = catalog_schema().categories
    count, fingerprint = quality_fingerprint(shop, categories)
    if not count:
        return CatalogQuality(State.FRESH, 0, None, [])
    summary = quality_summary_of(shop)
    fresh = summary is not None and summary.fingerprint == fingerprint
    if not fresh:
        _request_refresh(shop, summary, fingerprint)
    if summary is None or summary.computed_at is None:
        return CatalogQuality(State.COMPUTING, 0, None, [])
    return CatalogQuality(
        State.FRESH if fresh else State.UPDATING,
        summary.products,
        summary.average,
        _with_advice(shop, summary.worst[:worst], categories, locale),
        summary.computed_at,
    )


def refresh_quality_summary(shop_id: int) -> CatalogQualitySummary | None:
    """Score the shop's products and store the summary, unless the stored one is fresh (the
    job: safe to run twice). None when the shop is gone."""
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        return None
    categories = catalog_schema().categories
    # Taken before the pass: a product changed during it leaves the summary stale (computed
    # again), never a summary that looks fresh but missed the change.
    _, fingerprint = quality_fingerprint(shop, categories)
    stored = quality_summary_of(shop)
    if stored is not None and stored.fingerprint == fingerprint:
        return stored
    scores = _score(shop, categories)
    summary, _ = CatalogQualitySummary.objects.select_for_update().get_or_create(shop=shop)
    summary.products = scores.products
    summary.average = scores.average
    summary.worst = [list(pair) for pair in scores.worst]
    summary.fingerprint = fingerprint
    summary.computed_at = timezone.now()
    summary.save()
    return summary


def enqueue_quality_summary(shop_id: int) -> None:
    from mercato.catalog.tasks import quality_summary_task

    quality_summary_task.enqueue(shop_id)


def _request_refresh(shop: Shop, summary: CatalogQualitySummary | None, fingerprint: str) -> None:
    now = timezone.now()
    if summary is None:
        _, queued = CatalogQualitySummary.objects.get_or_create(
            shop=shop, defaults={"requested_for": fingerprint, "requested_at": now}
        )
    else:
        queued = bool(
            CatalogQualitySummary.objects.filter(pk=summary.pk)
            .exclude(requested_for=fingerprint, requested_at__gt=now - REQUEST_AGAIN_AFTER)
            .update(requested_for=fingerprint, requested_at=now)
        )
    if queued:
        transaction.on_commit(partial(enqueue_quality_summary, shop.pk))


def _score(shop: Shop, categories: Mapping[str, CategoryRules]) -> _Scores:
    """One pass over the shop's products; those in a category the catalog no longer has
    are not scored."""
    total = count = 0
    lowest: list[tuple[int, int]] = []  # a max-heap by (score, id), as (-score, -id)
    for content in own_product_contents(shop):
        rules = categories.get(content.category)
        if rules is None:
            continue
        score = _quality(content, rules).score
        total += score
        count += 1
        heapq.heappush(lowest, (-score, -content.id))
        if len(lowest) > WORST_KEPT:
            heapq.heappop(lowest)
    ranked = sorted((-negative_score, -negative_id) for negative_score, negative_id in lowest)
    average = round(total / count) if count else None
    return _Scores(count, average, [(pid, score) for score, pid in ranked])


def _with_advice(
    shop: Shop,
    worst: Sequence[Sequence[int]],
    categories: Mapping[str, CategoryRules],
    locale: str,
) -> list[ScoredProduct]:
    """The stored worst products with their advice as their content says now; those no
    longer the shop's are left out."""
    contents = own_products_by_id(shop, [pid for pid, _ in worst])
    shown = []
    for pid, score in worst:
        content = contents.get(pid)
        if content is None:
            continue
        rules = categories.get(content.category)
        advice = () if rules is None else _quality(content, rules, locale).advice
        shown.append(
            ScoredProduct(pid, content.product_sku, content.shop_sku, content.title, score, advice)
        )
    return shown


def _quality(content: ProductContent, rules: CategoryRules, locale: str = LOCALE) -> Quality:
    return quality(
        rules,
        titles=content.titles,
        descriptions=content.descriptions,
        brand=content.brand,
        media=content.media,
        attributes=content.attributes,
        locale=locale,
    )
