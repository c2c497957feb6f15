"""The background worker that runs queued jobs (imports, exports), alone or inside `serve`."""

import logging
import os
import socket
import threading
import time

from django.db import connections, transaction
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

DEFAULT_QUEUES = ("default",)
DEFAULT_INTERVAL = 1.0
# After an unexpected error (database restarting…) the in-process worker waits, then resumes:
# a server whose worker died silently would accept jobs that never run.
RESTART_DELAY = 5.0

logger = logging.getLogger(__name__)


def build_worker(
    *,
    queues: tuple[str, ...] | list[str] = DEFAULT_QUEUES,
    interval: float = DEFAULT_INTERVAL,
    max_tasks: int | None = None,
    startup_delay: bool = True,
) -> Worker:
    """A django-tasks-db worker on our backend; `queues` may be ["*"] for every queue."""
    return Worker(
        queue_names=list(queues),
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=startup_delay,
        max_tasks=max_tasks,
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}",
        excluded_queue_names=[],
    )


def _run(worker: Worker, restart_delay: float) -> None:
    try:
        while worker.running:
            try:
                worker.run()
                return
            except Exception:
                logger.exception("The job worker failed; it resumes in %.0f s.", restart_delay)
                time.sleep(restart_delay)
    finally:
        # The thread's own database connections would otherwise stay open until exit.
        connections.close_all()


def _sweep(stop: threading.Event, every: float) -> None:
    from mercato.imports.services import recover_offer_imports, recover_product_imports

    while not stop.is_set():
        try:
            with transaction.atomic():
                offers = recover_offer_imports()
                products = recover_product_imports()
            if offers:
                logger.warning("Offer imports %s had lost their worker: queued again.", offers)
            if products:
                logger.warning("Product imports %s had lost their worker: queued again.", products)
        except Exception:
            logger.exception("Looking for stalled imports failed; trying again later.")
        finally:
            connections.close_all()
        _expire_orders()
        stop.wait(every)


def _expire_orders() -> None:
    """Refuse the orders whose acceptance deadline has passed; on its own, so that a failure
    of either sweep does not hold the other back."""
    from mercato.orders.tasks import expire_overdue_orders

    try:
        refused = expire_overdue_orders()
        if refused:
            logger.info("Orders %s were not accepted in time: refused.", refused)
    except Exception:
        logger.exception("Refusing overdue orders failed; trying again later.")
    finally:
        connections.close_all()


def start_recovery_thread(every: float | None = None) -> threading.Event:
    """Queue again, now and every minute, the imports whose worker died, and refuse the orders
    not accepted in time; set() the event to stop."""
    from mercato.imports.pipeline import stale_after

    stop = threading.Event()
    period = stale_after().total_seconds() if every is None else every
    threading.Thread(
        target=_sweep, args=(stop, period), name="mercato-recovery", daemon=True
    ).start()
    return stop


def start_worker_thread(
    *,
    queues: tuple[str, ...] | list[str] = DEFAULT_QUEUES,
    interval: float = DEFAULT_INTERVAL,
    max_tasks: int | None = None,
    restart_delay: float = RESTART_DELAY,
) -> tuple[threading.Thread, Worker]:
    """Run a worker in a daemon thread of this process; `worker.running = False` stops it.

    Signals stay with the main thread (the server's): the thread dies with the process.
    """
    worker = build_worker(
        queues=queues, interval=interval, max_tasks=max_tasks, startup_delay=False
    )
    thread = threading.Thread(
        target=_run, args=(worker, restart_delay), name="mercato-worker", daemon=True
    )
    thread.start()
    return thread, worker
