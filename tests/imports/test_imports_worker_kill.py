"""A real worker process, killed with SIGKILL in the middle of an import, then a new one.

The worker runs as `mercato worker` against the test database, so the test needs a database
that a second process can open: PostgreSQL (Django's SQLite test database lives in memory).
The same guarantees are checked on both databases, with a simulated crash, in
test_imports_guarantees.py and test_product_imports_overlap.py.
"""

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from offer_files import csv_file, ean13
from product_files import phone, product_file

from mercato.catalog.models import Product
from mercato.imports.models import ImportStatus, OfferImport, ProductImport, ProductIntegration
from mercato.imports.services import create_offer_import, create_product_import
from mercato.offers.models import Offer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a second process needs a database on disk"
    ),
]

LINES = 30_000


def start_worker(home: Path) -> subprocess.Popen[bytes]:
    settings_dict = connection.settings_dict
    url = (
        f"postgresql://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MERCATO_HOME": str(home),
        "MERCATO_IMPORT_STALE_SECONDS": "1",
        "MERCATO_IMPORT_BATCH_LINES": "2000",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "mercato", "worker", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def kill_worker_once(home: Path, condition: Callable[[], bool]) -> None:
    """Start a worker and kill it with SIGKILL as soon as `condition` holds."""
    worker = start_worker(home)
    try:
        wait_for(condition)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()


def run_worker_until(home: Path, condition: Callable[[], bool]) -> None:
    """Once the killed worker's heartbeat is stale, a new worker, until `condition` holds."""
    time.sleep(1.1)
    worker = start_worker(home)
    try:
        wait_for(condition)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_killed_worker_leaves_whole_batches_and_the_import_completes(  # type: ignore[no-untyped-def]
    reference_marketplace, make_seller, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    shop = make_seller("Boutique Kill").shop
    lines = [f"S{i:06d};{ean13(i % 200)};EAN;{i % 900 + 1}.00;{i % 50};11" for i in range(LINES)]
    content = csv_file("sku;product-id;product-id-type;price;quantity;state", *lines)
    offer_import, _ = create_offer_import(
        shop, content=io.BytesIO(content.encode()), file_name="offers.csv"
    )
    from mercato.imports.services import enqueue_offer_import

    enqueue_offer_import(offer_import.id)

    def progress() -> OfferImport:
        return OfferImport.objects.get(id=offer_import.id)

    kill_worker_once(tmp_path, lambda: progress().checkpoint_line > 0)
    killed = progress()
    assert killed.status == ImportStatus.RUNNING
    # Nothing beyond the last committed batch, and the counters match what is written.
    assert killed.lines_read == killed.checkpoint_line - 1
    assert Offer.objects.filter(shop=shop).count() == killed.offer_inserted == killed.lines_read
    assert killed.lines_read < LINES

    run_worker_until(tmp_path, lambda: progress().status == ImportStatus.COMPLETE)
    done = progress()
    assert (done.lines_read, done.lines_in_success, done.lines_in_error) == (LINES, LINES, 0)
    assert done.offer_inserted == LINES == Offer.objects.filter(shop=shop).count()
    assert done.attempts == 2


# Enough lines for the worker to integrate its first batches (20,000 records each) well
# before the file's transformation ends.
PRODUCTS = 150_000


def test_killed_worker_while_products_are_integrated_during_the_transformation(  # type: ignore[no-untyped-def]
    reference_marketplace, make_seller, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    shop = make_seller("Boutique Kill Produits").shop
    content = product_file(*(phone(n) for n in range(1, PRODUCTS + 1)))
    product_import = create_product_import(
        shop, content=io.BytesIO(content), file_name="products.csv", operator_format=True
    )

    def progress() -> ProductImport:
        return ProductImport.objects.get(id=product_import.id)

    def outcomes() -> int:
        return ProductIntegration.objects.filter(product_import_id=product_import.id).count()

    kill_worker_once(tmp_path, lambda: progress().products_created > 0)
    killed = progress()
    assert killed.status == "TRANSFORMATION_RUNNING"
    # Whole integration batches only, each with its outcomes and counters.
    created = Product.objects.filter(shop=shop).count()
    assert created % 20_000 == 0
    assert 0 < created == killed.products_created == killed.checkpoint_line == outcomes()

    run_worker_until(tmp_path, lambda: progress().status == "COMPLETE")
    done = progress()
    assert (done.transform_lines_read, done.transform_lines_in_success, done.attempts) == (
        PRODUCTS,
        PRODUCTS,
        2,
    )
    assert (done.products_created, done.products_matched, done.products_updated) == (
        PRODUCTS,
        0,
        0,
    )
    assert Product.objects.filter(shop=shop).count() == PRODUCTS == outcomes()
