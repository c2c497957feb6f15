"""`mercato worker`: a job worker on its own; several may run beside one `mercato serve`."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mercato.backoffice.worker import (
    DEFAULT_INTERVAL,
    DEFAULT_QUEUES,
    build_worker,
    start_recovery_thread,
)


class Command(BaseCommand):
    help = (
        "Run a background worker that executes queued jobs (imports, exports) until stopped "
        "with Ctrl+C or SIGTERM. Use it beside `mercato serve --no-worker`, or to add workers."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=DEFAULT_INTERVAL,
            metavar="S",
            help="Seconds to wait before looking again when no job is waiting "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--queue",
            default=",".join(DEFAULT_QUEUES),
            metavar="NAME",
            help="The queue to take jobs from; several separated by commas, * for all "
            "(default: %(default)s).",
        )

    def handle(self, *args: Any, interval: float, queue: str, **options: Any) -> None:
        worker = build_worker(queues=queue.split(","), interval=interval)
        self.stdout.write(f"Worker {worker.worker_id} waiting for jobs on queue(s) {queue}.")
        start_recovery_thread()
        worker.configure_signals()
        worker.run()
