"""The integration takes the records while the file is still transformed: what it integrates
then, and a restart in the middle of it."""

import threading
from typing import Any

import pytest
from django.test import Client
from product_files import phone, product_file, send

from mercato.catalog.models import Product
from mercato.imports import product_pipeline, product_transformation
from mercato.imports.models import ProductImport, ProductIntegration
from mercato.imports.services import run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

Seen = tuple[str, int, int]  # status, lines read by the transformation, products created


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two lines, checked in lockstep with the job: a batch is checked once the
    one before is recorded, so that each recording takes one batch and what the job sees
    is the same in every run."""
    monkeypatch.setattr(product_transformation, "BATCH_LINES", 2)
    monkeypatch.setattr(product_pipeline, "INTEGRATION_LINES", 2)
    recorded = [threading.Semaphore(1)]
    transform = product_pipeline._transform
    transform_lines = product_pipeline.transform_lines
    record_transformed = product_pipeline.record_transformed

    def transformed(*args: Any) -> Any:  # a transformation (started again) starts in step
        recorded[0] = threading.Semaphore(1)
        return transform(*args)

    def checked(*args: Any) -> Any:
        assert recorded[0].acquire(timeout=10), "the job recorded no batch"
        return transform_lines(*args)

    def record(*args: Any) -> None:
        record_transformed(*args)
        recorded[0].release()

    monkeypatch.setattr(product_pipeline, "_transform", transformed)
    monkeypatch.setattr(product_pipeline, "transform_lines", checked)
    monkeypatch.setattr(product_pipeline, "record_transformed", record)


def watched(import_id: int, stop: Any = None) -> list[Seen]:
    seen: list[Seen] = []

    def progress(current: ProductImport) -> None:
        seen.append((current.status, current.transform_lines_read, current.products_created))
        if stop is not None and stop(current):
            raise RuntimeError("worker killed")

    run_product_import(import_id, progress)
    return seen


def outcome_lines(import_id: int) -> list[int]:
    lines = ProductIntegration.objects.filter(product_import_id=import_id).values_list("line")
    return sorted(line for (line,) in lines)


@pytest.mark.usefixtures("small_batches")
def test_products_are_integrated_while_the_rest_of_the_file_is_transformed(
    seller: Any, api: Client
) -> None:
    import_id = send(api, product_file(*(phone(n) for n in range(1, 8))))
    seen = watched(import_id)
    # Two records a batch, each taken once the next is written: the first two products are
    # created once the transformation has read six of the seven lines.
    assert seen[:5] == [
        ("TRANSFORMATION_RUNNING", 2, 0),
        ("TRANSFORMATION_RUNNING", 4, 0),
        ("TRANSFORMATION_RUNNING", 6, 0),
        ("TRANSFORMATION_RUNNING", 6, 2),
        ("TRANSFORMATION_RUNNING", 7, 2),
    ]
    assert seen[-1] == ("RUNNING", 7, 7)
    done = ProductImport.objects.get(id=import_id)
    assert (done.status, done.transform_lines_in_success, done.products_created) == (
        "COMPLETE",
        7,
        7,
    )
    assert Product.objects.filter(shop=seller.shop).count() == 7
    assert outcome_lines(import_id) == [2, 3, 4, 5, 6, 7, 8]


def test_the_batches_checked_while_the_job_was_busy_are_recorded_in_one_go(
    seller: Any, api: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(product_transformation, "BATCH_LINES", 2)
    import_id = send(api, product_file(*(phone(n) for n in range(1, 8))))
    first_recording, all_handed = threading.Event(), threading.Event()
    batches = product_pipeline.batches
    record_transformed = product_pipeline.record_transformed
    recorded: list[tuple[int, int]] = []  # lines read, lines reported

    def in_step(*args: Any) -> Any:
        # The first batch is alone when the job takes it; the job then stays busy until the
        # others are checked and handed over (the generator is asked for more only then).
        for number, batch in enumerate(batches(*args)):
            if number == 1:
                assert first_recording.wait(10)
            yield batch
        all_handed.set()

    def record(product_import: ProductImport, done: Any) -> None:
        if not recorded:
            first_recording.set()
            assert all_handed.wait(10)
        recorded.append((done.read, len(done.reported)))
        record_transformed(product_import, done)

    monkeypatch.setattr(product_pipeline, "batches", in_step)
    monkeypatch.setattr(product_pipeline, "record_transformed", record)
    run_product_import(import_id)
    assert recorded == [(2, 0), (5, 0)]  # seven lines in batches of two
    done = ProductImport.objects.get(id=import_id)
    assert (done.status, done.transform_lines_read, done.transform_lines_in_success) == (
        "COMPLETE",
        7,
        7,
    )
    assert done.products_created == 7
    assert outcome_lines(import_id) == [2, 3, 4, 5, 6, 7, 8]


@pytest.mark.usefixtures("small_batches")
def test_the_lines_are_checked_in_a_thread_that_opens_no_database_connection(
    seller: Any, api: Client
) -> None:
    import threading

    from django.db.backends.signals import connection_created

    import_id = send(api, product_file(*(phone(n) for n in range(1, 8))))
    opened: list[int] = []

    def record(**_: Any) -> None:
        opened.append(threading.get_ident())

    checking: list[int] = []
    transform_lines = product_transformation.transform_lines

    def checked(*args: Any) -> Any:
        checking.append(threading.get_ident())
        return transform_lines(*args)

    connection_created.connect(record)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(product_pipeline, "transform_lines", checked)
            run_product_import(import_id)
    finally:
        connection_created.disconnect(record)
    assert len(checking) == 4  # seven lines, two a batch
    assert threading.get_ident() not in checking
    assert set(opened) <= {threading.get_ident()}
    assert ProductImport.objects.get(id=import_id).products_created == 7


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize(
    ("phase", "integrated"),
    [
        ("TRANSFORMATION_RUNNING", 2),  # the file is transformed again from its start
        ("RUNNING", 4),  # the records are read again past the checkpoint
    ],
)
def test_a_stopped_worker_resumes_past_the_integrated_lines(
    seller: Any, api: Client, phase: str, integrated: int
) -> None:
    import_id = send(api, product_file(*(phone(n) for n in range(1, 8))))

    def after_products(current: ProductImport) -> bool:
        return current.status == phase and current.products_created > 0

    with pytest.raises(RuntimeError, match="worker killed"):
        watched(import_id, after_products)
    stopped = ProductImport.objects.get(id=import_id)
    assert (stopped.status, stopped.checkpoint_line, stopped.products_created) == (
        phase,
        integrated,
        integrated,
    )
    assert Product.objects.filter(shop=seller.shop).count() == integrated
    assert outcome_lines(import_id) == list(range(2, 2 + integrated))
    run_product_import(import_id)
    done = ProductImport.objects.get(id=import_id)
    assert (done.status, done.attempts, done.transform_lines_read) == ("COMPLETE", 2, 7)
    assert (done.products_created, done.products_matched, done.products_updated) == (7, 0, 0)
    assert sorted(Product.objects.filter(shop=seller.shop).values_list("shop_sku", flat=True)) == [
        f"S-{n}" for n in range(1, 8)
    ]
    assert outcome_lines(import_id) == [2, 3, 4, 5, 6, 7, 8]
    run_product_import(import_id)  # finished: nothing more
    assert Product.objects.filter(shop=seller.shop).count() == 7
    assert len(outcome_lines(import_id)) == 7


@pytest.mark.usefixtures("small_batches")
def test_a_transformation_started_again_counts_its_wrong_identifiers_once(
    seller: Any, api: Client
) -> None:
    lines = [phone(n) for n in range(1, 8)]
    lines[1] = phone(2, ean="4000000000001")  # a wrong check digit
    import_id = send(api, product_file(*lines))

    def after_products(current: ProductImport) -> bool:
        return current.status == "TRANSFORMATION_RUNNING" and current.products_created > 0

    with pytest.raises(RuntimeError, match="worker killed"):
        watched(import_id, after_products)
    assert ProductImport.objects.get(id=import_id).products_wrong_identifiers == 1
    run_product_import(import_id)
    done = ProductImport.objects.get(id=import_id)
    assert (done.status, done.transform_lines_in_error, done.products_wrong_identifiers) == (
        "COMPLETE",
        1,
        1,
    )
    assert done.products_created == 6
