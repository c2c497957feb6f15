"""What the browser tests share besides fixtures."""

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent: install Debian's chromium package (.ci/run does)",
)
PASSWORD = "correct horse battery staple"


def sign_in(tab: Any, live_server: Any, seller: Any) -> None:
    tab.goto(f"{live_server.url}/seller/")
    tab.get_by_label("Identifiant").fill(seller.user.username)
    tab.get_by_label("Mot de passe").fill(PASSWORD)
    tab.get_by_role("button", name="Se connecter").click()
    tab.get_by_role("heading", name="Tableau de bord").wait_for()


def menu(tab: Any, name: str) -> None:
    tab.get_by_role("navigation").get_by_role("link", name=name).click()
