"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) headless against
pytest-django's live server. They skip, saying why, only when that browser is absent; CI
installs it (.ci/run). No browser is ever downloaded.

MERCATO_SCREENSHOTS=DIR makes the tests save each main screen there (docs/screenshots).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_cases import CHROMIUM, PASSWORD

# Playwright's sync API runs an event loop in the test's thread; the test's own database
# calls (fixtures, checks) are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    """Save a full-page screenshot when MERCATO_SCREENSHOTS names a folder."""
    folder = os.environ.get("MERCATO_SCREENSHOTS")

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def seller(make_seller, reference_marketplace: None, tmp_media_root: Path):  # type: ignore[no-untyped-def]
    made = make_seller("Boutique Alpha", channels=["FR_B2C", "ES_B2C"])
    made.user.set_password(PASSWORD)
    made.user.save()
    return made
