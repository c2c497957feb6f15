"""The stored content-quality summary of a shop's own products (catalog.quality_summary): the
job's values are the scores' own, it goes stale when the products or the scoring rules
change, it never mixes shops, and the job and its queuing happen once per change."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from quality_cases import FULL

from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    CatalogQualitySummary,
    Category,
    Product,
)
from mercato.catalog.product_creation import create_product
from mercato.catalog.quality import quality
from mercato.catalog.quality_summary import (
    REQUEST_AGAIN_AFTER,
    WORST_KEPT,
    State,
    quality_card,
    refresh_quality_summary,
)
from mercato.catalog.selectors import catalog_schema
from mercato.catalog.tasks import quality_summary_task
from mercato.shops.models import Shop

# Their scores in the coques category (tests/catalog/test_catalog_quality.py says why).
VARIANTS: list[tuple[int, dict[str, Any]]] = [
    (88, {"media": FULL["media"][:1]}),
    (90, {"titles": {"fr_FR": "Coque Apple mate"}}),
    (80, {"titles": {}}),
    (86, {"descriptions": {"fr_FR": "Coque."}}),
    (90, {"attributes": {**FULL["attributes"], "key-selling-points": ""}}),
    (80, {"attributes": {**FULL["attributes"], "color": "", "case-finish": ""}}),
    (20, {"media": [], "descriptions": {}, "attributes": {}}),
]


def make(shop: Shop, sku: str, **changes: Any) -> Product:
    content = {**FULL, **changes}
    title = content["titles"].get("fr_FR", "")
    return Product.objects.create(
        product_sku=f"MP-{sku}", shop=shop, shop_sku=sku, category_id=coques(), title=title,
        **content,
    )  # fmt: skip


def coques() -> int:
    return Category.objects.get(code="coques").id


@pytest.fixture
def shops(reference_marketplace: None, make_seller: Any) -> tuple[Shop, Shop]:
    return make_seller("Boutique Alpha").shop, make_seller("Boutique Beta").shop


@pytest.fixture
def alpha_products(shops: tuple[Shop, Shop]) -> list[Product]:
    """Five complete products, then the seven variants, of Boutique Alpha."""
    alpha = shops[0]
    full = [make(alpha, f"FULL-{n}") for n in range(5)]
    return full + [make(alpha, f"V-{n}", **changes) for n, (_, changes) in enumerate(VARIANTS)]


def card(shop: Shop, locale: str = "fr_FR") -> Any:
    return quality_card(shop, worst=5, locale=locale)


def test_the_summary_is_the_average_and_the_worst_of_the_scores(
    shops: tuple[Shop, Shop], alpha_products: list[Product]
) -> None:
    alpha = shops[0]
    summary = refresh_quality_summary(alpha.id)
    assert summary is not None
    full, variants = alpha_products[:5], alpha_products[5:]
    scores = [100] * 5 + [score for score, _ in VARIANTS]
    assert (summary.products, summary.average) == (12, round(sum(scores) / 12)) == (12, 86)
    by_score = sorted(zip(scores, [p.id for p in alpha_products], strict=True))[:WORST_KEPT]
    assert summary.worst == [[pid, score] for score, pid in by_score]
    assert [pid for pid, _ in summary.worst] == [
        variants[6].id, variants[2].id, variants[5].id, variants[3].id, variants[0].id,
        variants[1].id, variants[4].id, full[0].id, full[1].id, full[2].id,
    ]  # fmt: skip
    # The same as scoring each product inline, as the dashboard did on every view.
    rules = catalog_schema().categories["coques"]
    inline = [quality(rules, **{**FULL, **changes}).score for _, changes in VARIANTS]
    assert inline == [score for score, _ in VARIANTS]


def test_the_card_shows_the_stored_worst_with_advice_in_the_readers_language(
    shops: tuple[Shop, Shop], alpha_products: list[Product]
) -> None:
    alpha = shops[0]
    refresh_quality_summary(alpha.id)
    french, english = card(alpha), card(alpha, "en_US")
    assert (french.state, french.products, french.average) == (State.FRESH, 12, 86)
    assert [(p.shop_sku, p.score) for p in french.worst] == [
        ("V-6", 20), ("V-2", 80), ("V-5", 80), ("V-3", 86), ("V-0", 88),
    ]  # fmt: skip
    assert french.worst[4].advice == ("Ajoutez des photos : 1 sur 2 au moins.",)
    assert english.worst[4].advice == ("Add pictures: 1 of at least 2.",)
    assert english.worst[1].advice == ("Give the product a French title.",)


def test_a_product_change_makes_the_summary_stale_until_the_job_runs(
    shops: tuple[Shop, Shop], alpha_products: list[Product]
) -> None:
    alpha = shops[0]
    first = refresh_quality_summary(alpha.id)
    assert first is not None
    worst = alpha_products[-1]
    worst.media, worst.descriptions, worst.attributes = FULL["media"], FULL["descriptions"], {}
    worst.save()  # now 60: no selling points nor optional attribute
    stale = card(alpha)
    assert (stale.state, stale.average, stale.computed_at) == (
        State.UPDATING, 86, first.computed_at,
    )  # fmt: skip
    assert (stale.worst[0].id, stale.worst[0].score) == (worst.id, 20)  # as stored
    refresh_quality_summary(alpha.id)
    fresh = card(alpha)
    assert (fresh.state, fresh.average) == (State.FRESH, 90)  # 1034 - 20 + 60 over 12
    assert [(p.shop_sku, p.score) for p in fresh.worst[:2]] == [("V-6", 60), ("V-2", 80)]


@pytest.mark.parametrize("change", ["added", "deleted"])
def test_a_product_added_or_deleted_makes_it_stale(
    shops: tuple[Shop, Shop], alpha_products: list[Product], change: str
) -> None:
    alpha = shops[0]
    refresh_quality_summary(alpha.id)
    if change == "added":
        make(alpha, "NEW")
    else:
        alpha_products[3].delete()
    assert card(alpha).state == State.UPDATING


def test_a_product_sent_again_through_the_import_path_makes_it_stale(
    shops: tuple[Shop, Shop],
) -> None:
    alpha = shops[0]
    phone = {
        "sku": "NEW-1", "ean": "4000000000013", "title-fr_FR": "Téléphone neuf",
        "brand": "samsung", "image-1": "https://images.example.com/1.jpg", "color": "noir",
        "storage-capacity": "128GB", "screen-size": "6.1", "operating-system": "android",
        "repairability-index": "8,5",
    }  # fmt: skip
    product = create_product(alpha, "smartphones", phone)
    refresh_quality_summary(alpha.id)
    assert card(alpha).state == State.FRESH
    # The same EAN, still in review: the bulk update of the product import replaces its
    # content (product_integration), with neither the count nor the highest id moving.
    again = create_product(alpha, "smartphones", {**phone, "image-2": "https://i.example/2.jpg"})
    assert (again.id, Product.objects.filter(shop=alpha).count()) == (product.id, 1)
    assert card(alpha).state == State.UPDATING


def test_a_rule_scores_read_makes_it_stale_other_configuration_does_not(
    shops: tuple[Shop, Shop], alpha_products: list[Product]
) -> None:
    alpha = shops[0]
    refresh_quality_summary(alpha.id)
    Attribute.objects.filter(code="case-finish").update(label="Finition de la coque")
    assert card(alpha).state == State.FRESH
    # Required now: no longer one of the optional attributes that score.
    AttributeAttachment.objects.filter(
        attribute__code="case-finish", category__code="coques"
    ).update(requirement_level="REQUIRED")
    assert card(alpha).state == State.UPDATING
    summary = refresh_quality_summary(alpha.id)
    assert summary is not None
    # V-5 lacks color and case-finish: now one of two optional attributes, 15 points.
    assert {pid: score for pid, score in summary.worst}[alpha_products[10].id] == 85


def test_a_shop_never_sees_another_shops_products(
    shops: tuple[Shop, Shop], alpha_products: list[Product]
) -> None:
    alpha, beta = shops
    own = make(beta, "BETA-1", media=[])
    refresh_quality_summary(alpha.id)
    refresh_quality_summary(beta.id)
    summary = CatalogQualitySummary.objects.get(shop=beta)
    assert (summary.products, summary.average, summary.worst) == (1, 75, [[own.id, 75]])
    # Even a summary naming another shop's product (moved since, say) does not show it.
    summary.worst = [[alpha_products[-1].id, 20], [own.id, 75]]
    summary.save()
    assert [(p.id, p.shop_sku) for p in card(beta).worst] == [(own.id, "BETA-1")]
    assert [p.shop_sku for p in card(alpha).worst] == ["V-6", "V-2", "V-5", "V-3", "V-0"]


def test_a_shop_without_products_has_nothing_to_compute(shops: tuple[Shop, Shop]) -> None:
    alpha = shops[0]
    empty = card(alpha)
    assert (empty.state, empty.products, empty.average, empty.worst) == (
        State.FRESH, 0, None, [],
    )  # fmt: skip
    assert (CatalogQualitySummary.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_the_job_is_idempotent(shops: tuple[Shop, Shop], alpha_products: list[Product]) -> None:
    alpha = shops[0]
    quality_summary_task.call(alpha.id)
    first = CatalogQualitySummary.objects.get()
    with CaptureQueriesContext(connection) as queries:
        quality_summary_task.call(alpha.id)
    again = CatalogQualitySummary.objects.get()
    assert (again.computed_at, again.fingerprint, again.worst) == (
        first.computed_at, first.fingerprint, first.worst,
    )  # fmt: skip
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert refresh_quality_summary(alpha.id + 1000) is None  # no such shop: nothing to do


def test_a_stale_card_queues_one_job_per_change(
    shops: tuple[Shop, Shop],
    alpha_products: list[Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    alpha = shops[0]
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert card(alpha).state == State.COMPUTING
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.args_kwargs) == (
        "mercato.catalog.tasks.quality_summary_task", {"args": [alpha.id], "kwargs": {}},
    )  # fmt: skip
    assert CatalogQualitySummary.objects.get().computed_at is None
    quality_summary_task.call(alpha.id)
    with django_capture_on_commit_callbacks(execute=True):
        assert card(alpha).state == State.FRESH
    alpha_products[0].save()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert card(alpha).state == State.UPDATING
    assert DBTaskResult.objects.count() == 2
    # A job not answering for a while (its worker stopped): the next view queues another.
    CatalogQualitySummary.objects.update(
        requested_at=timezone.now() - REQUEST_AGAIN_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert card(alpha).state == State.UPDATING
    assert DBTaskResult.objects.count() == 3
