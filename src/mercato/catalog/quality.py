"""The content-quality score of a product: how well its page will sell, 0 to 100 (pure).

It follows the seller guide's five key advices: several good pictures first (at least two),
a clear title without the brand (the site adds it), a rich description, key selling points,
and as many attributes as the category offers. Each part weighs what `WEIGHTS` says; the
advice lists what would raise the score, most valuable first.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mercato.catalog.validation import CategoryRules

WEIGHTS = {"images": 25, "title": 20, "description": 15, "selling_points": 10, "attributes": 30}
MIN_IMAGES = 2
MIN_DESCRIPTION = 100  # characters: below, a description says little
SELLING_POINTS = "key-selling-points"
LOCALE = "fr_FR"
# Filled by every product whatever its quality: they do not count as extra attributes.
_BASE = frozenset({"category", "sku", "ean", "brand", "variant-group-code", SELLING_POINTS})


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


def quality(
    category: CategoryRules,
    *,
    titles: Mapping[str, str],
    descriptions: Mapping[str, str],
    brand: str,
    media: Sequence[str],
    attributes: Mapping[str, object],
) -> Quality:
    parts: list[tuple[int, str]] = []  # (points missed, advice)
    images = len(media)
    if images < MIN_IMAGES:
        missed = WEIGHTS["images"] * (MIN_IMAGES - images) // MIN_IMAGES
        parts.append((missed, f"Add pictures: {images} of at least {MIN_IMAGES}."))
    title = titles.get(LOCALE, "").strip()
    if not title:
        parts.append((WEIGHTS["title"], "Give the product a French title."))
    elif brand and brand.casefold() in title.casefold():
        parts.append((WEIGHTS["title"] // 2, "Take the brand out of the title: the site adds it."))
    description = descriptions.get(LOCALE, "").strip()
    if len(description) < MIN_DESCRIPTION:
        missed = WEIGHTS["description"] * (MIN_DESCRIPTION - len(description)) // MIN_DESCRIPTION
        parts.append((missed, f"Write a description of at least {MIN_DESCRIPTION} characters."))
    if not attributes.get(SELLING_POINTS):
        parts.append((WEIGHTS["selling_points"], "Add key selling points."))
    optional = _optional_codes(category)
    empty = [code for code in optional if attributes.get(code) in (None, "", [])]
    if empty:
        missed = WEIGHTS["attributes"] * len(empty) // len(optional)
        parts.append((missed, f"Fill in more attributes: {', '.join(empty)}."))
    parts.sort(key=lambda part: -part[0])
    score = 100 - sum(points for points, _ in parts)
    return Quality(max(score, 0), tuple(advice for points, advice in parts if points))
