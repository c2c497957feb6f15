"""French by default, English on request; every back-office string has its translation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from backoffice_cases import page
from django.test import Client

import mercato.backoffice

LOCALE = Path(mercato.backoffice.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def test_the_back_office_speaks_french_whatever_the_browser_asks(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="fr">' in html
    assert ">Tableau de bord</a>" in html
    assert '<button type="submit" name="language" value="en" lang="en" class="link">' in html


def test_the_switch_turns_every_page_to_english_and_back(alpha) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.post("/i18n/setlang/", {"language": "en", "next": "/seller/"})
    assert response.status_code == 302
    assert response["Location"] == "/seller/"
    html = page(alpha.client.get("/seller/"))
    assert '<html lang="en">' in html
    for text in ("Dashboard", "My stock", "Add an offer", "My offers", "Import a file"):
        assert f">{text}</" in html
    assert "Tableau de bord" not in html
    assert ">Import tracking</a>" in page(alpha.client.get("/seller/stock/imports/"))
    assert "Most common errors" in page(alpha.client.get("/seller/stock/imports/"))
    assert "The product does not exist" in page(alpha.client.get("/seller/stock/imports/"))
    assert ">Français</button>" in html
    alpha.client.post("/i18n/setlang/", {"language": "fr", "next": "/seller/"})
    assert ">Tableau de bord</a>" in page(alpha.client.get("/seller/"))


def test_the_login_page_follows_the_chosen_language(db: None) -> None:
    client = Client()
    assert "Connexion au back office vendeur" in page(client.get("/seller/login/"))
    client.cookies["django_language"] = "en"
    assert "Sign in to the seller back office" in page(client.get("/seller/login/"))


def test_every_message_has_its_english_translation() -> None:
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert len(entries) > 150
    untranslated = [
        entry
        for entry in entries
        if re.search(r'^msgstr(\[\d\])? ""$', entry, re.M) or "#, fuzzy" in entry
    ]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_committed_catalog_is_the_compiled_translation(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes()


def test_responses_say_their_language_and_vary_with_the_cookie(alpha) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.get("/seller/")
    assert response["Content-Language"] == "fr"
    assert "Cookie" in response["Vary"]
    alpha.client.cookies["django_language"] = "en"
    assert alpha.client.get("/seller/")["Content-Language"] == "en"
    alpha.client.cookies["django_language"] = "de"  # not offered: French
    assert alpha.client.get("/seller/")["Content-Language"] == "fr"
