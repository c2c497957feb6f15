"""Labels in the caller's language, French when a translation is missing."""

import pytest

from mercato.catalog.localization import (
    language_of,
    localized,
    localized_text,
    parse_locale,
    translations,
)
from mercato.errors import InvalidInput

LABELS = {"en": "Phones", "es": "Telefonía"}


@pytest.mark.parametrize(
    ("labels", "language", "expected"),
    [
        (LABELS, "fr", "Téléphonie"),
        (LABELS, "en", "Phones"),
        (LABELS, "es", "Telefonía"),
        ({"en": "Phones"}, "es", "Téléphonie"),
        ({"en": "Phones", "es": ""}, "es", "Téléphonie"),
        ({}, "en", "Téléphonie"),
        (None, "en", "Téléphonie"),
        ({"fr": "Ignorée"}, "fr", "Téléphonie"),
    ],
)
def test_localized(labels: dict[str, str] | None, language: str, expected: str) -> None:
    assert localized("Téléphonie", labels, language) == expected


@pytest.mark.parametrize(
    ("label", "labels", "expected"),
    [
        (
            "Téléphonie",
            LABELS,
            [
                {"locale": "en", "value": "Phones"},
                {"locale": "es", "value": "Telefonía"},
                {"locale": "fr", "value": "Téléphonie"},
            ],
        ),
        (
            "Noir",
            {"en": "Black"},
            [{"locale": "en", "value": "Black"}, {"locale": "fr", "value": "Noir"}],
        ),
        ("Noir", {"en": "", "de": "Schwarz"}, [{"locale": "fr", "value": "Noir"}]),
        ("", {}, []),
    ],
)
def test_translations(label: str, labels: dict[str, str], expected: list[dict[str, str]]) -> None:
    assert translations(label, labels) == expected


@pytest.mark.parametrize(
    ("texts", "locale", "expected"),
    [
        ({"fr_FR": "Cafetière", "es_ES": "Cafetera"}, "es_ES", "Cafetera"),
        ({"fr_FR": "Cafetière", "es_ES": "Cafetera"}, "fr_FR", "Cafetière"),
        ({"fr_FR": "Cafetière", "es_ES": "Cafetera"}, "en_US", "Cafetière"),
        ({"fr_FR": "Cafetière", "es_ES": ""}, "es_ES", "Cafetière"),
        ({"es_ES": "Cafetera"}, "fr_FR", ""),
        ({}, "fr_FR", ""),
    ],
)
def test_localized_text(texts: dict[str, str], locale: str, expected: str) -> None:
    assert localized_text(texts, locale) == expected


@pytest.mark.parametrize(
    ("raw", "locale", "language"),
    [
        (None, "fr_FR", "fr"),
        ("", "fr_FR", "fr"),
        ("en_US", "en_US", "en"),
        ("es_ES", "es_ES", "es"),
    ],
)
def test_parse_locale(raw: str | None, locale: str, language: str) -> None:
    assert parse_locale(raw) == locale
    assert language_of(locale) == language


@pytest.mark.parametrize("raw", ["en", "EN_us", "de_DE", "fr-FR"])
def test_an_unsupported_locale_is_invalid(raw: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_locale(raw)
    assert raised.value.message == (
        f"Unsupported locale '{raw}': use one of fr_FR, en_US, es_ES (default fr_FR)."
    )
