"""The dashboard's content-quality card reads the stored summary: fresh, stale (its last
values, being updated) or none yet (being computed, polled by htmx), in French and English;
the page queues the job once, and shows the shop's own products only."""

from datetime import UTC, datetime
from typing import Any

import pytest
from backoffice_cases import page
from django_tasks_db.models import DBTaskResult

from mercato.catalog.models import CatalogQualitySummary, Category, Product
from mercato.catalog.quality_summary import refresh_quality_summary
from mercato.shops.models import Shop

POLL = 'hx-get="/seller/quality/" hx-trigger="every 5s" hx-swap="outerHTML"'
COMPUTED_AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # 10:30 in Paris


def make(shop: Shop, sku: str, media: int) -> Product:
    """A case with a French title and `media` pictures, nothing else: 45 points missed
    besides the pictures (description 15, selling points 10, attributes 30)."""
    return Product.objects.create(
        product_sku=f"MP-{sku}", shop=shop, shop_sku=sku, title=f"Coque {sku}",
        category=Category.objects.get(code="coques"), titles={"fr_FR": f"Coque {sku}"},
        media=[f"https://images.example.com/{n}.jpg" for n in range(media)],
    )  # fmt: skip


@pytest.fixture
def catalog(alpha: Any, beta: Any) -> list[Product]:
    """Boutique Alpha's two products (scores 45 and 33), one of Boutique Beta's."""
    shop = alpha.seller.shop
    return [make(shop, "A-1", 2), make(shop, "A-2", 1), make(beta.seller.shop, "B-1", 0)]


def stored(shop: Shop) -> None:
    refresh_quality_summary(shop.id)
    CatalogQualitySummary.objects.filter(shop=shop).update(computed_at=COMPUTED_AT)


def quality_card(html: str) -> str:
    start = html.index('<section class="card" id="quality-card"')
    return html[start : html.index("</section>", start)]


def english(client: Any) -> Any:
    client.cookies["django_language"] = "en"
    return client


def test_a_fresh_summary_shows_the_average_and_the_worst_products(alpha, catalog) -> None:  # type: ignore[no-untyped-def]
    stored(alpha.seller.shop)
    card = quality_card(page(alpha.client.get("/seller/")))
    assert "hx-get" not in card and "Mise à jour" not in card
    assert "<strong>39/100</strong> en moyenne sur 2 produits" in card
    assert (
        '<ul class="worst-products"><li><strong>Coque A-2</strong> (33/100) : Renseignez plus '
        "d&#x27;attributs : color, case-material, case-finish. Écrivez une description "
        "d&#x27;au moins 100 caractères. Ajoutez des photos : 1 sur 2 au moins. Ajoutez des "
        "arguments clés.</li><li><strong>Coque A-1</strong> (45/100) : Renseignez plus "
        "d&#x27;attributs : color, case-material, case-finish. Écrivez une description "
        "d&#x27;au moins 100 caractères. Ajoutez des arguments clés.</li></ul>"
    ) in card
    card = quality_card(page(english(alpha.client).get("/seller/")))
    assert "<strong>39/100</strong> on average over 2 products" in card
    assert (
        "<li><strong>Coque A-1</strong> (45/100) : Fill in more attributes: color, "
        "case-material, case-finish. Write a description of at least 100 characters. Add key "
        "selling points.</li></ul>"
    ) in card


def test_a_stale_summary_shows_its_last_values_being_updated(alpha, catalog) -> None:  # type: ignore[no-untyped-def]
    stored(alpha.seller.shop)
    make(alpha.seller.shop, "A-3", 0)
    card = quality_card(page(alpha.client.get("/seller/")))
    assert POLL in card
    assert "<strong>39/100</strong> en moyenne sur 2 produits" in card
    assert "Mise à jour en cours (chiffres du 20/11/2026 10:30)" in card
    assert card.count("<li>") == 2  # the stored worst products, not A-3 yet
    card = quality_card(page(english(alpha.client).get("/seller/")))
    assert "<strong>39/100</strong> on average over 2 products" in card
    assert "Being updated (figures as of 11/20/2026 10:30 a.m.)" in card


def test_without_a_summary_the_card_is_being_computed_and_polls(alpha, catalog) -> None:  # type: ignore[no-untyped-def]
    card = quality_card(page(alpha.client.get("/seller/")))
    assert POLL in card
    assert (
        "Calcul en cours : la qualité du contenu de vos produits s'affichera ici dans "
        "quelques instants."
    ) in card
    assert "/100" not in card
    card = quality_card(page(english(alpha.client).get("/seller/quality/")))
    assert "Being computed: the content quality of your products will show here" in card
    refresh_quality_summary(alpha.seller.shop.id)  # the job, then the next poll
    card = quality_card(page(alpha.client.get("/seller/quality/")))
    assert "hx-get" not in card
    assert "<strong>39/100</strong> on average over 2 products" in card


def test_the_page_queues_the_job_once_when_it_commits(  # type: ignore[no-untyped-def]
    alpha, catalog, django_capture_on_commit_callbacks
) -> None:
    for url in ("/seller/", "/seller/", "/seller/quality/"):
        with django_capture_on_commit_callbacks(execute=True):
            page(alpha.client.get(url))
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [alpha.seller.shop.id], "kwargs": {}}
    assert Product.objects.filter(shop=alpha.seller.shop).count() == 2  # nothing else written


def test_a_shop_sees_its_own_products_only(alpha, beta, catalog) -> None:  # type: ignore[no-untyped-def]
    stored(alpha.seller.shop)
    stored(beta.seller.shop)
    card = quality_card(page(beta.client.get("/seller/")))
    assert "<strong>20/100</strong> en moyenne sur 1 produit" in card
    assert "<strong>Coque B-1</strong> (20/100)" in card
    assert "A-1" not in card and "A-2" not in card
    assert "B-1" not in quality_card(page(alpha.client.get("/seller/")))


def test_a_shop_without_products_says_so(beta) -> None:  # type: ignore[no-untyped-def]
    card = quality_card(page(beta.client.get("/seller/")))
    assert "<p>Aucun produit de la boutique pour le moment.</p>" in card
    assert "hx-get" not in card
    card = quality_card(page(english(beta.client).get("/seller/quality/")))
    assert "<p>No product of the shop yet.</p>" in card
