"""`mercato serve`: the web application (back office, operator console, API) and a worker."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mercato.backoffice.server import add_listen_arguments, base_url, serve_forever


class Command(BaseCommand):
    help = (
        "Serve mercato over HTTP with waitress: the back office at /, the operator console at "
        "/operator/ and the seller API at /api/. Unless --no-worker, a job worker runs in the "
        "same process."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_listen_arguments(parser)
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="worker",
            help="Do not run a job worker in this process (run `mercato worker` beside it).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=8,
            metavar="N",
            help="Threads answering HTTP requests (default: %(default)s).",
        )

    def handle(
        self, *args: Any, host: str, port: int, worker: bool, threads: int, **options: Any
    ) -> None:
        base = base_url(host, port)
        self.stdout.write(f"Back office:       {base}/")
        self.stdout.write(f"Operator console:  {base}/operator/")
        self.stdout.write(f"Seller API:        {base}/api/  (documentation: {base}/api/docs)")
        self.stdout.write("Jobs: " + ("a worker runs in this process." if worker else "no worker."))
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        serve_forever(host=host, port=port, threads=threads, with_worker=worker)
