"""Why the mapping assistant refuses a mapping: one table of codes, in fr and en.

A refused mapping (saved from the assistant, or sent as a file) raises `MappingRefused`,
which names every wrong entry by its code and parameters; the reader renders it in their
language (the back office: its interface's). `message` is the default language's text.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mercato.errors import InvalidInput

DEFAULT_LOCALE = "fr_FR"


@dataclass(frozen=True)
class MappingText:
    code: str
    fr: str
    en: str


_TEXTS = (
    # A mapping saved from the assistant.
    MappingText(
        "column-no-name",
        "Mapping de colonne vers « {target} » : la colonne source n'a pas de nom.",
        "Column mapping to '{target}': the source column has no name.",
    ),
    MappingText(
        "column-not-attribute",
        "La colonne « {source} » est mappée à « {target} », qui n'est pas un attribut : "
        "utilisez un code d'attribut (PM11).",
        "Column '{source}' is mapped to '{target}', which is no attribute: use an attribute "
        "code (PM11).",
    ),
    MappingText(
        "category-not-leaf",
        "La catégorie « {source} » est mappée à « {target} », qui n'est pas une catégorie "
        "feuille : utilisez le code d'une catégorie sans sous-catégorie (H11).",
        "Category '{source}' is mapped to '{target}', which is no leaf category: use the code "
        "of a category without subcategories (H11).",
    ),
    MappingText(
        "values-not-list",
        "Des valeurs sont mappées pour « {attribute} », qui n'est pas un attribut de type "
        "liste : ne mappez que les valeurs des attributs LIST.",
        "Values are mapped for '{attribute}', which is no list attribute: map values of LIST "
        "attributes only.",
    ),
    MappingText(
        "value-not-in-list",
        "La valeur « {source} » de « {attribute} » est mappée à « {target} », qui n'est pas "
        "dans sa liste de valeurs : utilisez un code de valeur (VL11).",
        "Value '{source}' of '{attribute}' is mapped to '{target}', which is not in its value "
        "list: use a value code (VL11).",
    ),
    # A mapping file: the file, then each of its wrong lines.
    MappingText(
        "missing-columns",
        "Le fichier de mapping n'a pas de colonne {missing} : son en-tête doit être {header}.",
        "The mapping file has no column {missing}: its header must be {header}.",
    ),
    MappingText(
        "line",
        "Ligne {line}, colonne « {column} » : {message}",
        "Line {line}, column '{column}': {message}",
    ),
    MappingText(
        "unknown-type",
        "« {kind} » n'est pas un type : utilisez {types}.",
        "'{kind}' is no type: use {types}.",
    ),
    MappingText(
        "required",
        "La colonne {name} est vide : remplissez-la.",
        "The {name} is empty: fill it.",
    ),
    MappingText(
        "unknown-attribute",
        "« {target} » n'est pas un attribut : utilisez un code d'attribut (PM11).",
        "'{target}' is no attribute: use an attribute code (PM11).",
    ),
    MappingText(
        "not-a-leaf",
        "« {target} » n'est pas une catégorie feuille : utilisez le code d'une catégorie sans "
        "sous-catégorie (H11).",
        "'{target}' is no leaf category: use the code of a category without subcategories (H11).",
    ),
    MappingText(
        "not-a-list",
        "« {attribute} » n'est pas un attribut de type liste : indiquez l'attribut LIST dont "
        "c'est une valeur.",
        "'{attribute}' is no list attribute: name the LIST attribute whose value this is.",
    ),
    MappingText(
        "unknown-value",
        "« {target} » n'est pas dans la liste de valeurs de « {attribute} » : utilisez l'un de "
        "ses codes (VL11).",
        "'{target}' is not in the value list of '{attribute}': use one of its codes (VL11).",
    ),
    MappingText(
        "duplicate",
        "« {source} » est déjà mappé à la ligne {first} : gardez l'une des deux lignes.",
        "'{source}' is already mapped on line {first}: keep one of the two lines.",
    ),
)

MAPPING_TEXTS: dict[str, MappingText] = {text.code: text for text in _TEXTS}


def render(code: str, params: Mapping[str, object], locale: str = DEFAULT_LOCALE) -> str:
    """The message in the locale's language: French for fr_*, English otherwise."""
    text = MAPPING_TEXTS[code]
    return (text.fr if locale.startswith("fr") else text.en).format(**params)


@dataclass(frozen=True)
class MappingProblem:
    """A wrong entry of a mapping: its code and parameters."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        return render(self.code, self.params, locale)


class Renderable(Protocol):
    def render(self, locale: str = DEFAULT_LOCALE) -> str: ...


class MappingRefused(InvalidInput):
    """The mapping is refused, nothing saved: every wrong entry, in the reader's language."""

    def __init__(self, problems: Sequence[Renderable]) -> None:
        self.problems = list(problems)
        super().__init__(self.render(DEFAULT_LOCALE), code="mapping_refused")

    def render(self, locale: str) -> str:
        return " ".join(problem.render(locale) for problem in self.problems)
