"""The content-quality score, table-driven on the reference marketplace's cases category."""

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from quality_cases import FULL

from mercato.catalog.configuration import read_marketplace
from mercato.catalog.quality import Quality, quality
from mercato.catalog.validation import CategoryRules, schema_from_configuration


@cache
def cases() -> CategoryRules:
    config = read_marketplace(Path(settings.REFERENCE_MARKETPLACE_DIR))
    return schema_from_configuration(config).categories["coques"]


def changed(**changes: Any) -> dict[str, Any]:
    product = {**FULL, "attributes": dict(FULL["attributes"])}
    for name, value in changes.items():
        if name in product:
            product[name] = value
        else:
            product["attributes"][name.replace("_", "-")] = value
    return product


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        (FULL, Quality(100, ())),
        (changed(media=["https://images.example.com/1.jpg"]),
         Quality(88, ("Add pictures: 1 of at least 2.",))),
        (changed(titles={"fr_FR": "Coque Apple mate"}),
         Quality(90, ("Take the brand out of the title: the site adds it.",))),
        (changed(titles={}), Quality(80, ("Give the product a French title.",))),
        (changed(descriptions={"fr_FR": "Coque."}),
         Quality(86, ("Write a description of at least 100 characters.",))),
        (changed(key_selling_points=""), Quality(90, ("Add key selling points.",))),
        (changed(case_finish="", color=""),
         Quality(80, ("Fill in more attributes: color, case-finish.",))),
        (changed(media=[], descriptions={}, key_selling_points="", color="", case_material="",
                 case_finish=""),
         Quality(20, ("Fill in more attributes: color, case-material, case-finish.",
                      "Add pictures: 0 of at least 2.",
                      "Write a description of at least 100 characters.",
                      "Add key selling points."))),
    ],
)  # fmt: skip
def test_quality(product: dict[str, Any], expected: Quality) -> None:
    assert quality(cases(), **product, locale="en_US") == expected


def test_the_advice_is_french_unless_english_is_asked() -> None:
    product = changed(media=[], descriptions={}, key_selling_points="", color="",
                      case_material="", case_finish="", titles={})  # fmt: skip
    assert quality(cases(), **product) == Quality(
        0,
        (
            "Renseignez plus d'attributs : color, case-material, case-finish.",
            "Ajoutez des photos : 0 sur 2 au moins.",
            "Donnez un titre français au produit.",
            "Écrivez une description d'au moins 100 caractères.",
            "Ajoutez des arguments clés.",
        ),
    )
    with_brand = changed(titles={"fr_FR": "Coque Apple mate"})
    assert quality(cases(), **with_brand).advice == (
        "Retirez la marque du titre : le site l'ajoute.",
    )
