"""`mercato serve` end to end on an ephemeral port, and the landing page it serves at /."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

import mercato
from mercato.backoffice.server import base_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_when_up(url: str, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return bytes(response.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_prints_the_urls_and_answers_http(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "MERCATO_HOME": str(tmp_path)}
    # /api/version and / touch no table: the server needs no migrated database here.
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "mercato", "serve", "--port", str(port), "--no-worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        version = get_when_up(f"http://127.0.0.1:{port}/api/version", timeout=30)
        home = get_when_up(f"http://127.0.0.1:{port}/", timeout=5)
    finally:
        server.terminate()
        out, _err = server.communicate(timeout=10)

    assert json.loads(version) == {"version": mercato.__version__}
    assert b'href="/operator/"' in home
    base = f"http://127.0.0.1:{port}"
    assert out.splitlines() == [
        f"Back office:       {base}/",
        f"Operator console:  {base}/operator/",
        f"Seller API:        {base}/api/  (documentation: {base}/api/docs)",
        "Jobs: no worker.",
        "Press Ctrl+C to stop.",
    ]


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),  # noqa: S104
        ("::", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("shop.example.org", "http://shop.example.org:8000"),
    ],
)
def test_base_url_is_the_address_to_open(host: str, url: str) -> None:
    assert base_url(host, 8000) == url


def test_home_page_links_the_operator_console_and_the_api_docs(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert '<a href="/operator/">Console opérateur</a>' in content
    assert '<a href="/api/docs">Documentation de l\'API vendeur</a>' in content
