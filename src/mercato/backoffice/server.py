"""The HTTP server of `mercato serve` and `mercato demo`: waitress, plus a job worker."""

from argparse import ArgumentParser

from waitress import serve

from mercato.backoffice.worker import start_recovery_thread, start_worker_thread


def add_listen_arguments(parser: ArgumentParser) -> None:
    """`--host` and `--port`, as `serve` and `demo` both take them."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="Address to listen on (default: %(default)s)."
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="Port to listen on (default: %(default)s)."
    )


def base_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on `host`:`port`."""
    # Listening on every address: the local one is the one to open.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "", "*") else host  # noqa: S104
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def serve_forever(*, host: str, port: int, threads: int, with_worker: bool) -> None:
    """Serve the WSGI application until interrupted; with a worker thread if asked."""
    from mercato.wsgi import application

    if with_worker:
        start_worker_thread()
        start_recovery_thread()
    serve(application, host=host, port=port, threads=threads)
