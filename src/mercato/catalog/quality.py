"""The content-quality score of a product: how well its page will sell, 0 to 100 (pure).

It follows the seller guide's five key advices: several good pictures first (at least two),
a clear title without the brand (the site adds it), a rich description, key selling points,
and as many attributes as the category offers. Each part weighs what `WEIGHTS` says; the
advice lists what would raise the score, most valuable first.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mercato.catalog.validation import CategoryRules

WEIGHTS = {"images": 25, "title": 20, "description": 15, "selling_points": 10, "attributes": 30}
MIN_IMAGES = 2
MIN_DESCRIPTION = 100  # characters: below, a description says little
SELLING_POINTS = "key-selling-points"
LOCALE = "fr_FR"
# Raised whenever the scoring below changes: the stored summaries then say they are stale.
VERSION = 1
# Filled by every product whatever its quality: they do not count as extra attributes.
_BASE = frozenset({"category", "sku", "ean", "brand", "variant-group-code", SELLING_POINTS})


# What would raise the score, in the seller's language (French unless English is asked).
_ADVICE = {
    "images": (
        "Ajoutez des photos : {images} sur {minimum} au moins.",
        "Add pictures: {images} of at least {minimum}.",
    ),
    "title": ("Donnez un titre français au produit.", "Give the product a French title."),
    "brand": (
        "Retirez la marque du titre : le site l'ajoute.",
        "Take the brand out of the title: the site adds it.",
    ),
    "description": (
        "Écrivez une description d'au moins {minimum} caractères.",
        "Write a description of at least {minimum} characters.",
    ),
    "selling_points": ("Ajoutez des arguments clés.", "Add key selling points."),
    "attributes": (
        "Renseignez plus d'attributs : {codes}.",
        "Fill in more attributes: {codes}.",
    ),
}


def _advice(key: str, locale: str, **params: object) -> str:
    french, english = _ADVICE[key]
    return (english if locale.startswith("en") else french).format(**params)


@dataclass(frozen=True)
class Quality:
    score: int
    advice: tuple[str, ...]


def _optional_codes(category: CategoryRules) -> list[str]:
    return [
        rule.code
        for rule in category.rules
        if not rule.required and rule.role[0] == "attributes" and rule.code not in _BASE
    ]


def rules_digest(categories: Mapping[str, CategoryRules]) -> str:
    """What the scores depend on in the catalog's rules, as a digest: which categories
    exist and their optional attributes (a change elsewhere changes no score)."""
    optional = sorted((code, _optional_codes(rules)) for code, rules in categories.items())
    return hashlib.sha256(json.dumps([VERSION, optional]).encode()).hexdigest()


def quality(
    category: CategoryRules,
    *,
    titles: Mapping[str, str],
    descriptions: Mapping[str, str],
    brand: str,
    media: Sequence[str],
    attributes: Mapping[str, object],
    locale: str = LOCALE,
) -> Quality:
    """The score, and the advice in `locale`'s language."""
    parts: list[tuple[int, str]] = []  # (points missed, advice)
    images = len(media)
    if images < MIN_IMAGES:
        missed = WEIGHTS["images"] * (MIN_IMAGES - images) // MIN_IMAGES
        parts.append((missed, _advice("images", locale, images=images, minimum=MIN_IMAGES)))
    title = titles.get(LOCALE, "").strip()
    if not title:
        parts.append((WEIGHTS["title"], _advice("title", locale)))
    elif brand and brand.casefold() in title.casefold():
        parts.append((WEIGHTS["title"] // 2, _advice("brand", locale)))
    description = descriptions.get(LOCALE, "").strip()
    if len(description) < MIN_DESCRIPTION:
        missed = WEIGHTS["description"] * (MIN_DESCRIPTION - len(description)) // MIN_DESCRIPTION
        parts.append((missed, _advice("description", locale, minimum=MIN_DESCRIPTION)))
    if not attributes.get(SELLING_POINTS):
        parts.append((WEIGHTS["selling_points"], _advice("selling_points", locale)))
    optional = _optional_codes(category)
    empty = [code for code in optional if attributes.get(code) in (None, "", [])]
    if empty:
        missed = WEIGHTS["attributes"] * len(empty) // len(optional)
        parts.append((missed, _advice("attributes", locale, codes=", ".join(empty))))
    parts.sort(key=lambda part: -part[0])
    score = 100 - sum(points for points, _ in parts)
    return Quality(max(score, 0), tuple(advice for points, advice in parts if points))
