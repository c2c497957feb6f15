"""The recovery sweep that workers run: imports whose worker died are queued again.

`transaction=True`: the sweep runs in its own thread, with its own database connection.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mercato.backoffice.worker import start_recovery_thread
from mercato.imports.models import ImportStatus, OfferImport, ProductImport, ProductImportStatus

pytestmark = pytest.mark.django_db(transaction=True)


def sweep_until_something_is_queued() -> None:
    stop = start_recovery_thread(every=0.05)
    try:
        deadline = time.monotonic() + 20
        while DBTaskResult.objects.count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    time.sleep(0.2)  # the sweep's last round ends


def test_stalled_import_is_queued_again_and_a_live_one_is_left(make_seller) -> None:  # type: ignore[no-untyped-def]
    shop = make_seller("Boutique Reprise").shop
    long_ago = timezone.now() - timedelta(minutes=5)
    common = {"shop": shop, "file_name": "o.csv", "file_path": "x", "file_sha256": "0" * 64}
    stalled = OfferImport.objects.create(
        **common, status=ImportStatus.RUNNING, heartbeat_at=long_ago, checkpoint_line=2001
    )
    live = OfferImport.objects.create(
        **common, status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    sweep_until_something_is_queued()
    stalled.refresh_from_db()
    live.refresh_from_db()
    assert (stalled.status, stalled.checkpoint_line) == (ImportStatus.WAITING, 2001)
    assert live.status == ImportStatus.RUNNING
    queued = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert queued == [{"args": [stalled.id], "kwargs": {}}]


def test_the_sweep_queues_a_stalled_product_import_too(make_seller) -> None:  # type: ignore[no-untyped-def]
    shop = make_seller("Boutique Produits").shop
    stalled = ProductImport.objects.create(
        shop=shop,
        file_name="p.csv",
        file_path="x",
        file_sha256="0" * 64,
        status=ProductImportStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
        checkpoint_line=40,
    )
    sweep_until_something_is_queued()
    stalled.refresh_from_db()
    assert (stalled.status, stalled.checkpoint_line) == (ProductImportStatus.SENT, 40)
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert queued == [
        ("mercato.imports.tasks.product_import_task", {"args": [stalled.id], "kwargs": {}})
    ]
