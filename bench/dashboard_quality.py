"""The dashboard's time for a shop with many products of its own (issue 5: the content-quality
card), through the Django test client.

Usage (from the repository, with the project's virtualenv):

    .venv/bin/python bench/dashboard_quality.py                 # SQLite, in a temporary home
    DATABASE_URL=postgresql://root@127.0.0.1:5432/mercato_quality \\
        .venv/bin/python bench/dashboard_quality.py             # an empty database of yours
    ... --products 20000 --runs 3                               # a quick run

It migrates the database, loads the reference marketplace and opens a shop that owns
`--products` products (bulk-created, their content varied so that their scores differ).
Then it times the dashboard, `--runs` requests after one warm-up, in each state of the
stored summary: none yet (the first request queues its computation), the job that computes
it, fresh, and stale after one product changed. The data stays in the database: run again
on the same one (same MERCATO_HOME or DATABASE_URL) to time the pages on the same data.
"""

import argparse
import sys
import time

from backoffice_pages import BUDGET_MS, measure, setup_django, timed

SHOP = "Boutique Qualité"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per state")
    return parser.parse_args()


def create_products(shop: object, count: int) -> None:
    """`count` products of `shop`, in the reference marketplace's leaf categories."""
    from mercato.catalog.models import Category, Product

    leaves = list(Category.objects.filter(children__isnull=True).order_by("code"))
    Product.objects.bulk_create(
        (
            Product(
                product_sku=f"QUAL-{i:07d}",
                category=leaves[i % len(leaves)],
                shop=shop,
                shop_sku=f"OWN-{i:07d}",
                status=Product.Status.LIVE,
                titles={"fr_FR": f"Produit n°{i}"},
                title=f"Produit n°{i}",
                descriptions={"fr_FR": "Une description. " * (i % 9)},
                brand=("acme", "globex", "initech")[i % 3],
                media=[f"https://images.example.com/{i}-{n}.jpg" for n in range(i % 3)],
                attributes={"key-selling-points": "Solide"} if i % 2 else {},
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


def prepare(count: int) -> tuple[object, object]:
    from django.conf import settings
    from django.core.management import call_command

    from mercato.catalog.services import load_marketplace
    from mercato.shops.models import Shop
    from mercato.shops.services import create_shop, shop_owner

    call_command("migrate", verbosity=0)
    existing = Shop.objects.filter(name=SHOP).first()
    if existing is not None:
        print(f"reusing {existing.products.count()} products of an earlier run")
        return existing, shop_owner(existing)
    from pathlib import Path

    timed(
        "reference marketplace", lambda: load_marketplace(Path(settings.REFERENCE_MARKETPLACE_DIR))
    )
    shop, user = create_shop(SHOP, channels=["FR_B2C"])
    timed(f"{count} products of the shop", lambda: create_products(shop, count))
    return shop, user


def row(name: str, client: object, runs: int, slow: list[str]) -> None:
    median, slowest, queries = measure(client, "/seller/", runs)
    print(f"{name:40} {median:10.1f} {slowest:8.1f} {queries:8d}", flush=True)
    if slowest > BUDGET_MS:
        slow.append(name)


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    print(f"database: {connection.vendor}", flush=True)
    shop, user = prepare(args.products)
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    try:
        from mercato.catalog import quality_summary
    except ImportError:  # before the stored summary: the card scores every product
        quality_summary = None  # type: ignore[assignment]
    slow: list[str] = []
    print(f"\n{'dashboard':40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    if quality_summary is None:
        row("scored on every request", client, args.runs, slow)
    else:
        from mercato.catalog.models import CatalogQualitySummary, Product
        from mercato.catalog.tasks import quality_summary_task

        CatalogQualitySummary.objects.filter(shop=shop).delete()
        row("no summary yet (being computed)", client, args.runs, slow)
        start = time.perf_counter()
        quality_summary_task.call(shop.pk)
        job = time.perf_counter() - start
        row("summary fresh", client, args.runs, slow)
        product = Product.objects.filter(shop=shop).order_by("id").first()
        assert product is not None
        product.save(update_fields=["updated_at"])
        row("summary stale (last values shown)", client, args.runs, slow)
        print(f"\nthe job computing the summary: {job:.1f} s")
    print(f"over {BUDGET_MS} ms: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    sys.exit(main())
