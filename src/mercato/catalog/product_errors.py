"""The product error codes: one table, read by the validation, reports, API docs and console.

The 1xxx codes reject the line. The codes of an attribute's value come in twins: 2xxx when
the attribute is REQUIRED for the category (the line is rejected), 3xxx when it is only
recommended or optional (the value is dropped and the product goes on). Codes 1000-1006,
2006, 2010 and 2011 and their messages are those of the seller guide; the others follow the
same scheme. Codes 2020 to 2023 have no warning twin: a product cannot be loaded without
its category, with the EAN of another product, or as a variant that its group already has.
"""

from dataclasses import dataclass

DEFAULT_LOCALE = "fr_FR"
WARNING_OFFSET = 1000


@dataclass(frozen=True)
class ProductError:
    code: int
    fr: str
    en: str
    help_fr: str
    help_en: str

    @property
    def is_warning(self) -> bool:
        return 3000 <= self.code < 4000


def _entry(code: int, fr: str, en: str, help_fr: str, help_en: str) -> ProductError:
    return ProductError(code, fr, en, help_fr, help_en)


_REJECTING = [
    _entry(
        1000,
        "L'attribut {0} est obligatoire",
        "The attribute {0} is required",
        "Dans le fichier produit, entrez une valeur pour cet attribut obligatoire.",
        "In the product file, enter a value for this required attribute.",
    ),
    _entry(
        1001,
        "La catégorie {0} est inconnue",
        "The category {0} is unknown",
        "Vérifiez l'orthographe du code de catégorie (sans espace) ; une catégorie absente "
        "de la liste n'est pas dans le périmètre de la marketplace.",
        "Check the spelling of the category code (no spaces); a category missing from the "
        "list is outside the marketplace's scope.",
    ),
    _entry(
        1002,
        "Nombre de champs incorrect",
        "Incorrect number of fields",
        "Le fichier contient des valeurs dans des cellules sans en-tête de colonne, ou des "
        "en-têtes dupliqués.",
        "The file has values in cells without a column header, or duplicated headers.",
    ),
    _entry(
        1004,
        "La catégorie n'a pas pu être identifiée",
        "The category could not be identified",
        "Vérifiez que l'en-tête de la colonne de catégorie est écrit comme le nom d'attribut.",
        "Check that the header of the category column is spelled as the attribute name.",
    ),
    _entry(
        1006,
        "La catégorie de catalogue {0} doit être mappée à une catégorie de catalogue d'opérateur",
        "The catalog category {0} must be mapped to a leaf operator catalog category",
        "Vérifiez que la catégorie est acceptée sur la marketplace et sa syntaxe "
        "(ex : téléphone au lieu de smartphone).",
        "Check that the category is accepted on the marketplace, and its spelling "
        "(e.g. phone instead of smartphone).",
    ),
    _entry(
        2020,
        "La catégorie {0} n'est pas une catégorie feuille",
        "The category {0} is not a leaf category",
        "Choisissez la catégorie la plus précise : seules les catégories sans sous-catégorie "
        "reçoivent des produits.",
        "Choose the most precise category: only categories without subcategories hold products.",
    ),
    _entry(
        2021,
        "L'EAN {0} est déjà utilisé par le produit de la ligne {1}",
        "The EAN {0} is already used by the product on line {1}",
        "Chaque produit a son propre EAN : supprimez le doublon ou corrigez l'EAN.",
        "Every product has its own EAN: remove the duplicate or fix the EAN.",
    ),
    _entry(
        2022,
        "Le groupe de variantes {0} a déjà un produit avec les valeurs {1} (ligne {2})",
        "The variant group {0} already has a product with the values {1} (line {2})",
        "Les variantes d'un groupe diffèrent par leurs attributs de variante (couleur, "
        "capacité…) : corrigez ces valeurs ou le code de regroupement.",
        "The variants of a group differ on their variant attributes (colour, capacity…): "
        "fix these values or the variant group code.",
    ),
    _entry(
        2023,
        "Le groupe de variantes {0} a déjà un produit avec les valeurs {1} (produit {2})",
        "The variant group {0} already has a product with the values {1} (product {2})",
        "Les variantes d'un groupe diffèrent par leurs attributs de variante (couleur, "
        "capacité…) : corrigez ces valeurs ou le code de regroupement.",
        "The variants of a group differ on their variant attributes (colour, capacity…): "
        "fix these values or the variant group code.",
    ),
]

# The value errors, given once in their 2xxx form; the 3xxx twin has the same texts.
_VALUE_ERRORS = [
    _entry(
        2006,
        "L'attribut {0} n'est pas dans les valeurs possibles définies dans la liste de valeurs",
        "The attribute {0} is not in the possible values set in the value list",
        "Choisissez une valeur de la liste de valeurs de l'attribut (données de référence).",
        "Pick a value from the attribute's value list (reference data).",
    ),
    _entry(
        2010,
        "L'attribut {0} doit être un entier",
        "The attribute {0} must be an integer",
        "Entrez une valeur entière, sans décimales (par exemple 5, 47, 280).",
        "Enter a whole number, without decimals (e.g. 5, 47, 280).",
    ),
    _entry(
        2011,
        "L'attribut {0} doit être numérique",
        "The attribute {0} must be numeric",
        "Entrez un nombre, éventuellement décimal (par exemple 25,6, 12, 65,99).",
        "Enter a number, decimals allowed (e.g. 25.6, 12, 65.99).",
    ),
    _entry(
        2012,
        "L'attribut {0} doit valoir true ou false",
        "The attribute {0} must be true or false",
        "Entrez true (oui) ou false (non).",
        "Enter true (yes) or false (no).",
    ),
    _entry(
        2013,
        "L'attribut {0} doit être une date au format aaaa-mm-jj",
        "The attribute {0} must be a date in the yyyy-MM-dd format",
        "Par exemple, pour le 20 août 2022, entrez 2022-08-20.",
        "For example, for 20 August 2022, enter 2022-08-20.",
    ),
    _entry(
        2014,
        "L'attribut {0} dépasse la longueur maximale de {1} caractères",
        "The attribute {0} is longer than the maximum of {1} characters",
        "Raccourcissez la valeur.",
        "Shorten the value.",
    ),
    _entry(
        2015,
        "L'attribut {0} doit être supérieur ou égal à {1}",
        "The attribute {0} must be greater than or equal to {1}",
        "Entrez une valeur dans l'intervalle autorisé pour l'attribut.",
        "Enter a value within the attribute's allowed range.",
    ),
    _entry(
        2016,
        "L'attribut {0} doit être inférieur ou égal à {1}",
        "The attribute {0} must be less than or equal to {1}",
        "Entrez une valeur dans l'intervalle autorisé pour l'attribut.",
        "Enter a value within the attribute's allowed range.",
    ),
    _entry(
        2017,
        "L'attribut {0} contient plus de {1} éléments",
        "The attribute {0} has more than {1} items",
        "Gardez au plus le nombre d'éléments autorisé, séparés par |.",
        "Keep at most the allowed number of items, separated by |.",
    ),
    _entry(
        2018,
        "L'attribut {0} n'est pas un EAN valide",
        "The attribute {0} is not a valid EAN",
        "Un EAN a 13 chiffres dont le dernier est la clé de contrôle : recopiez-le depuis "
        "le code-barres.",
        "An EAN has 13 digits, the last one being the check digit: copy it from the barcode.",
    ),
    _entry(
        2019,
        "L'attribut {0} doit être l'URL d'un fichier {1}",
        "The attribute {0} must be the URL of a {1} file",
        "Donnez l'adresse http(s) d'une image dans un format accepté.",
        "Give the http(s) address of an image in an accepted format.",
    ),
]


def _warning_twin(error: ProductError) -> ProductError:
    return ProductError(
        error.code + WARNING_OFFSET, error.fr, error.en, error.help_fr, error.help_en
    )


PRODUCT_ERRORS: dict[int, ProductError] = {
    error.code: error for error in [*_REJECTING, *_VALUE_ERRORS, *map(_warning_twin, _VALUE_ERRORS)]
}

REQUIRED = 1000
UNKNOWN_CATEGORY = 1001
FIELD_COUNT = 1002
NO_CATEGORY_COLUMN = 1004
CATEGORY_NOT_MAPPED = 1006
NOT_IN_LIST = 2006
NOT_INTEGER = 2010
NOT_NUMERIC = 2011
NOT_BOOLEAN = 2012
NOT_DATE = 2013
TOO_LONG = 2014
BELOW_MIN = 2015
ABOVE_MAX = 2016
TOO_MANY_ITEMS = 2017
BAD_EAN = 2018
BAD_MEDIA = 2019
NOT_LEAF = 2020
DUPLICATE_EAN = 2021
VARIANT_IN_FILE = 2022
VARIANT_IN_CATALOG = 2023


def as_warning(code: int) -> int:
    """The 3xxx twin of a 2xxx value error."""
    return code + WARNING_OFFSET


def _error(code: int) -> ProductError:
    try:
        return PRODUCT_ERRORS[code]
    except KeyError:
        raise ValueError(f"unknown product error code {code}") from None


def render(code: int, locale: str = DEFAULT_LOCALE, *args: object) -> str:
    """The message of `code` in `locale` (fr_FR, en_US; es_ES falls back to English)."""
    error = _error(code)
    template = error.fr if locale == "fr_FR" else error.en
    return template.format(*args)


def explain(code: int, locale: str = DEFAULT_LOCALE) -> str:
    """The cause and fix of `code`, one line, in `locale` (as `render`)."""
    error = _error(code)
    return error.help_fr if locale == "fr_FR" else error.help_en
