"""The product error table: the guide's codes and messages, our own, and their rendering."""

import pytest

from mercato.catalog import product_errors
from mercato.catalog.product_errors import PRODUCT_ERRORS, explain, render


@pytest.mark.parametrize(
    ("code", "args", "fr", "en"),
    [
        (1000, ("brand",), "L'attribut brand est obligatoire", "The attribute brand is required"),
        (1001, ("tel",), "La catégorie tel est inconnue", "The category tel is unknown"),
        (1002, (), "Nombre de champs incorrect", "Incorrect number of fields"),
        (
            1004,
            (),
            "La catégorie n'a pas pu être identifiée",
            "The category could not be identified",
        ),
        (
            1006,
            ("tel",),
            "La catégorie de catalogue tel doit être mappée à une catégorie de catalogue "
            "d'opérateur",
            "The catalog category tel must be mapped to a leaf operator catalog category",
        ),
        (
            2006,
            ("color",),
            "L'attribut color n'est pas dans les valeurs possibles définies dans la liste de "
            "valeurs",
            "The attribute color is not in the possible values set in the value list",
        ),
        (
            3006,
            ("color",),
            "L'attribut color n'est pas dans les valeurs possibles définies dans la liste de "
            "valeurs",
            "The attribute color is not in the possible values set in the value list",
        ),
        (
            2010,
            ("ram",),
            "L'attribut ram doit être un entier",
            "The attribute ram must be an integer",
        ),
        (
            3010,
            ("ram",),
            "L'attribut ram doit être un entier",
            "The attribute ram must be an integer",
        ),
        (2011, ("dpi",), "L'attribut dpi doit être numérique", "The attribute dpi must be numeric"),
        (3011, ("dpi",), "L'attribut dpi doit être numérique", "The attribute dpi must be numeric"),
        (
            3012,
            ("smart-tv",),
            "L'attribut smart-tv doit valoir true ou false",
            "The attribute smart-tv must be true or false",
        ),
        (
            2013,
            ("release-date",),
            "L'attribut release-date doit être une date au format aaaa-mm-jj",
            "The attribute release-date must be a date in the yyyy-MM-dd format",
        ),
        (
            2014,
            ("sku", "40"),
            "L'attribut sku dépasse la longueur maximale de 40 caractères",
            "The attribute sku is longer than the maximum of 40 characters",
        ),
        (
            3015,
            ("ram", "1"),
            "L'attribut ram doit être supérieur ou égal à 1",
            "The attribute ram must be greater than or equal to 1",
        ),
        (
            2016,
            ("ram", "64"),
            "L'attribut ram doit être inférieur ou égal à 64",
            "The attribute ram must be less than or equal to 64",
        ),
        (
            3017,
            ("key-selling-points", "5"),
            "L'attribut key-selling-points contient plus de 5 éléments",
            "The attribute key-selling-points has more than 5 items",
        ),
        (
            2018,
            ("ean",),
            "L'attribut ean n'est pas un EAN valide",
            "The attribute ean is not a valid EAN",
        ),
        (
            3019,
            ("image-2", "gif, jpg"),
            "L'attribut image-2 doit être l'URL d'un fichier gif, jpg",
            "The attribute image-2 must be the URL of a gif, jpg file",
        ),
        (
            2020,
            ("telephonie",),
            "La catégorie telephonie n'est pas une catégorie feuille",
            "The category telephonie is not a leaf category",
        ),
        (
            2021,
            ("3000000000007", "4"),
            "L'EAN 3000000000007 est déjà utilisé par le produit de la ligne 4",
            "The EAN 3000000000007 is already used by the product on line 4",
        ),
        (
            2022,
            ("VG-1", "noir, 128GB", "3"),
            "Le groupe de variantes VG-1 a déjà un produit avec les valeurs noir, 128GB (ligne 3)",
            "The variant group VG-1 already has a product with the values noir, 128GB (line 3)",
        ),
        (
            2023,
            ("VG-1", "noir", "MP-A"),
            "Le groupe de variantes VG-1 a déjà un produit avec les valeurs noir (produit MP-A)",
            "The variant group VG-1 already has a product with the values noir (product MP-A)",
        ),
    ],
)
def test_render(code: int, args: tuple[str, ...], fr: str, en: str) -> None:
    assert render(code, "fr_FR", *args) == fr
    assert render(code, "en_US", *args) == en
    assert render(code, "es_ES", *args) == en
    if not args:
        assert render(code) == fr


def test_the_table_holds_exactly_these_codes() -> None:
    value_errors = [2006, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]
    assert sorted(PRODUCT_ERRORS) == sorted(
        [
            1000,
            1001,
            1002,
            1004,
            1006,
            2020,
            2021,
            2022,
            2023,
            *value_errors,
            *(c + 1000 for c in value_errors),
        ]
    )
    for code in value_errors:
        error, twin = PRODUCT_ERRORS[code], PRODUCT_ERRORS[code + 1000]
        assert (error.fr, error.en, error.help_fr, error.help_en) == (
            twin.fr,
            twin.en,
            twin.help_fr,
            twin.help_en,
        )
        assert (error.is_warning, twin.is_warning) == (False, True)


def test_every_entry_explains_its_cause_in_both_languages() -> None:
    for code, error in PRODUCT_ERRORS.items():
        assert error.help_fr.endswith("."), code
        assert error.help_en.endswith("."), code
        assert "\n" not in error.help_fr + error.help_en, code
    assert explain(2010) == "Entrez une valeur entière, sans décimales (par exemple 5, 47, 280)."
    assert explain(2010, "en_US") == "Enter a whole number, without decimals (e.g. 5, 47, 280)."


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("REQUIRED", 1000),
        ("UNKNOWN_CATEGORY", 1001),
        ("FIELD_COUNT", 1002),
        ("NO_CATEGORY_COLUMN", 1004),
        ("CATEGORY_NOT_MAPPED", 1006),
        ("NOT_IN_LIST", 2006),
        ("NOT_INTEGER", 2010),
        ("NOT_NUMERIC", 2011),
        ("NOT_BOOLEAN", 2012),
        ("NOT_DATE", 2013),
        ("TOO_LONG", 2014),
        ("BELOW_MIN", 2015),
        ("ABOVE_MAX", 2016),
        ("TOO_MANY_ITEMS", 2017),
        ("BAD_EAN", 2018),
        ("BAD_MEDIA", 2019),
        ("NOT_LEAF", 2020),
        ("DUPLICATE_EAN", 2021),
        ("VARIANT_IN_FILE", 2022),
        ("VARIANT_IN_CATALOG", 2023),
    ],
)
def test_the_names_the_validation_uses(name: str, code: int) -> None:
    assert getattr(product_errors, name) == code
    assert code in PRODUCT_ERRORS


def test_unknown_code() -> None:
    with pytest.raises(ValueError, match="unknown product error code 9999"):
        render(9999, "fr_FR")
