"""Back-office page times with 100,000 offers in the shop, through the Django test client.

Usage (from the repository, with the project's virtualenv):

    .venv/bin/python bench/backoffice_pages.py                  # SQLite, in a temporary home
    DATABASE_URL=postgresql://root@127.0.0.1:5432/mercato_backoffice \\
        .venv/bin/python bench/backoffice_pages.py              # an empty database of yours
    ... --offers 20000 --runs 3                                 # a quick run

It migrates the database, loads the reference marketplace, adds one catalog product per
offer (bulk-created: the catalog has no bulk path of its own to time here), opens a shop on
FR_B2C and ES_B2C and gives it `--offers` offers through the offer import (an offer file
created with `create_offer_import` and run in this process, the bulk path the API uses),
plus a competitor's offers on the first products. Then it signs the seller in and requests
each page `--runs` times after one warm-up request, printing the median and the slowest
time and the number of SQL queries of one request. The data stays in the database: run it
on an empty one; run again on the same database (same MERCATO_HOME or DATABASE_URL), it
times the pages on the data already there.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BUDGET_MS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page")
    return parser.parse_args()


def setup_django() -> None:
    if "DATABASE_URL" not in os.environ and "MERCATO_HOME" not in os.environ:
        os.environ["MERCATO_HOME"] = tempfile.mkdtemp(prefix="mercato-bench-pages-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mercato.settings")
    os.environ.setdefault("MERCATO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def timed(label: str, action: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.1f} s", flush=True)
    return result


def create_products(count: int) -> list[str]:
    """`count` live products with an EAN each; their EANs."""
    from mercato.catalog.models import Category, Product, ProductIdentifier

    leaf = Category.objects.filter(children__isnull=True).order_by("code").first()
    assert leaf is not None, "the reference marketplace has no leaf category"
    eans = [f"{4_000_000_000_000 + i}" for i in range(count)]
    products = Product.objects.bulk_create(
        (
            Product(
                product_sku=f"BENCH-{i:07d}",
                category=leaf,
                titles={"fr_FR": f"Produit de banc n°{i}"},
                title=f"Produit de banc n°{i}",
                brand=("acme", "globex", "initech")[i % 3],
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    ProductIdentifier.objects.bulk_create(
        (
            ProductIdentifier(product=p, type="EAN", value=e)
            for p, e in zip(products, eans, strict=True)
        ),
        batch_size=5000,
    )
    return eans


def offer_file(eans: list[str], prefix: str) -> bytes:
    header = (
        "sku;product-id;product-id-type;price;quantity;state;discount-price;"
        "leadtime-to-ship;logistic-class;warranty;price[channel=ES_B2C]"
    )
    lines = [header]
    for i, ean in enumerate(eans):
        price = 10 + i % 990
        discount = f"{price - 1}" if i % 7 == 0 else ""
        quantity = 0 if i % 13 == 0 else i % 50
        spain = f"{price + 2}" if i % 3 == 0 else ""
        lines.append(f"{prefix}-{i:07d};{ean};EAN;{price};{quantity};11;{discount};2;S;24;{spain}")
    return "\n".join(lines).encode()


def import_offers(shop: object, content: bytes) -> object:
    from django.db import transaction

    from mercato.imports.services import create_offer_import, run_offer_import

    with transaction.atomic():
        offer_import, _ = create_offer_import(
            shop,
            content=io.BytesIO(content),
            file_name="bench.csv",
            enqueue=False,  # type: ignore[arg-type]
        )
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    return offer_import


def prepare(offers: int) -> tuple[object, object, int]:
    from django.conf import settings
    from django.core.management import call_command

    from mercato.catalog.services import load_marketplace
    from mercato.imports.models import OfferImport
    from mercato.shops.models import Shop
    from mercato.shops.services import create_shop, shop_owner

    call_command("migrate", verbosity=0)
    existing = Shop.objects.filter(name="Boutique Banc").first()
    if existing is not None:
        # A database prepared by an earlier run: time the pages again on the same data.
        first_import = OfferImport.objects.filter(shop=existing).order_by("id").first()
        assert first_import is not None
        print(f"reusing {existing.offers.count()} offers of an earlier run")
        return existing, shop_owner(existing), first_import.id
    timed(
        "reference marketplace", lambda: load_marketplace(Path(settings.REFERENCE_MARKETPLACE_DIR))
    )
    eans = timed(f"{offers} catalog products", lambda: create_products(offers))
    shop, user = create_shop("Boutique Banc", channels=["FR_B2C", "ES_B2C"])
    rival, _ = create_shop("Boutique Rivale", channels=["FR_B2C"])
    offer_import = timed(
        f"import of {offers} offers",
        lambda: import_offers(shop, offer_file(eans, "SKU")),  # type: ignore[arg-type]
    )
    print(
        f"  lines in success {offer_import.lines_in_success}, "  # type: ignore[attr-defined]
        f"in error {offer_import.lines_in_error}"  # type: ignore[attr-defined]
    )
    timed("competitor's 1000 offers", lambda: import_offers(rival, offer_file(eans[:1000], "R")))  # type: ignore[arg-type]
    return shop, user, offer_import.id  # type: ignore[attr-defined]


def pages(shop: object, import_id: int) -> list[tuple[str, str]]:
    from mercato.offers.models import Offer

    first = Offer.objects.filter(shop=shop).order_by("sku").first()
    assert first is not None
    last_page = -(-Offer.objects.filter(shop=shop).count() // 50)
    return [
        ("Tableau de bord", "/seller/"),
        ("Ajouter une offre: search by name", "/seller/stock/add/?q=banc+n%C2%B04242"),
        ("Ajouter une offre: search by EAN", "/seller/stock/add/?q=4000000004242"),
        ("Vendre ce produit (form)", f"/seller/stock/sell/{first.product_id}/"),
        ("Liste de mes offres", "/seller/stock/offers/"),
        ("  sorted by price", "/seller/stock/offers/?sort=-price"),
        ("  last page", f"/seller/stock/offers/?page={last_page}"),
        ("  offline only", "/seller/stock/offers/?availability=inactive"),
        ("  search a title", "/seller/stock/offers/?q=banc+n%C2%B04242"),
        ("  search a sku", "/seller/stock/offers/?q=SKU-0004242"),
        ("Éditer le prix", f"/seller/stock/offers/{first.id}/price/"),
        ("Importer par fichier", "/seller/stock/import/"),
        ("Suivi des imports", "/seller/stock/imports/"),
        ("  import row (htmx poll)", f"/seller/stock/imports/{import_id}/row/"),
        ("  import detail", f"/seller/stock/imports/{import_id}/"),
        ("Modèle de fichier produits (form)", "/seller/stock/import/template/"),
        ("Créer un produit: category", "/seller/products/new/"),
        ("Créer un produit: form", "/seller/products/new/smartphones/"),
        ("Assistant de configuration", "/seller/products/mapping/"),
        ("Mon compte", "/seller/account/"),
    ]


def measure(client: object, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # Django resets its own query log when a request starts: count with a wrapper instead.
    with connection.execute_wrapper(count):
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), len(queries)


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    print(f"database: {connection.vendor}", flush=True)
    shop, user, import_id = prepare(args.offers)
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    print(f"\n{'page':40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    slow = []
    for name, url in pages(shop, import_id):
        median, slowest, queries = measure(client, url, args.runs)
        print(f"{name:40} {median:10.1f} {slowest:8.1f} {queries:8d}", flush=True)
        if slowest > BUDGET_MS:
            slow.append(name.strip())
    print(f"\nover {BUDGET_MS} ms: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    sys.exit(main())
