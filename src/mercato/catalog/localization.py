"""Labels in the caller's language.

Configuration objects keep their French label in `label` (French is the marketplace's
reference language) and the other languages in `labels` {"en": ..., "es": ...}. Product
texts are keyed by full locale instead (`titles` {"fr_FR": ..., "es_ES": ...}), because the
product file's columns are `title-fr_FR`, `title-es_ES`.
"""

from collections.abc import Mapping
from typing import TypedDict

from mercato.errors import InvalidInput

REFERENCE_LANGUAGE = "fr"
DEFAULT_LOCALE = "fr_FR"
LOCALES = {"fr_FR": "fr", "en_US": "en", "es_ES": "es"}
LANGUAGES = tuple(LOCALES.values())


class Translation(TypedDict):
    locale: str
    value: str


def parse_locale(raw: str | None) -> str:
    """A supported locale code; absent or empty means the default one."""
    if raw is None or raw == "":
        return DEFAULT_LOCALE
    if raw in LOCALES:
        return raw
    raise InvalidInput(
        f"Unsupported locale '{raw}': use one of {', '.join(LOCALES)} (default {DEFAULT_LOCALE})."
    )


def language_of(locale: str) -> str:
    return LOCALES[locale]


def localized(label: str, labels: Mapping[str, str] | None, language: str) -> str:
    """`label` in `language`, the French label when that translation is missing."""
    if language != REFERENCE_LANGUAGE and labels:
        translated = labels.get(language)
        if translated:
            return translated
    return label


def translations(label: str, labels: Mapping[str, str] | None) -> list[Translation]:
    """Every available language of a label, sorted by language code."""
    found: dict[str, str] = {}
    if label:
        found[REFERENCE_LANGUAGE] = label
    for language in LANGUAGES:
        if language != REFERENCE_LANGUAGE and labels and labels.get(language):
            found[language] = labels[language]
    return [Translation(locale=lang, value=found[lang]) for lang in sorted(found)]


def localized_text(texts: Mapping[str, str] | None, locale: str) -> str:
    """A text kept by locale (a product title): the caller's, else the French one, else ""."""
    if not texts:
        return ""
    return texts.get(locale) or texts.get(DEFAULT_LOCALE) or ""
