"""The HTTP server of `mercato serve` and `mercato demo`: waitress, plus a job worker."""

from waitress import serve

from mercato.backoffice.worker import start_worker_thread


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
    serve(application, host=host, port=port, threads=threads)
