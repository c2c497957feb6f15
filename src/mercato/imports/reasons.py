"""Why an import failed, or what it did, as a whole: one table of reason codes, in fr and en.

An import stores its reason as a code and its parameters (`reason_code`, `reason_params`);
each reader renders it in their own language: the API after its `locale`, the back office
after its interface's language, the CLI after `--locale`. A parameter may itself be a
reason (`{"code": ..., "params": ...}`), a list of them (rendered one after the other), or
a text: imports stored before the codes keep their text in `reason_status`, and a reason
built on one of them carries that text as it is. The guide's wording is kept where it has
one (its UTF-8 advice, "le rapport d'erreur de la transformation").
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

DEFAULT_LOCALE = "fr_FR"
SEVERAL = "several"


@dataclass(frozen=True)
class ReasonText:
    code: str
    fr: str
    en: str
    # The wording when the `count` parameter is 1 ("1 ligne intégrée", not "1 lignes").
    count: str = ""
    fr_one: str = ""
    en_one: str = ""


_TEXTS = (
    # The file cannot be read.
    ReasonText(
        "not-utf8",
        "Le fichier n'est pas encodé en UTF-8 (ligne {line}, octet 0x{byte}) : enregistrez-le "
        "au format « CSV UTF-8 » depuis Excel, ou convertissez-le en UTF-8, puis envoyez-le "
        "à nouveau.",
        "The file is not encoded in UTF-8 (line {line}, byte 0x{byte}): save it as 'CSV UTF-8' "
        "from Excel, or convert it to UTF-8, and send it again.",
    ),
    ReasonText(
        "not-utf8-truncated",
        "Le fichier n'est pas encodé en UTF-8 (ligne {line}, caractère tronqué à la fin) : "
        "convertissez-le en UTF-8 et envoyez-le à nouveau.",
        "The file is not encoded in UTF-8 (line {line}, truncated character at the end): "
        "convert it to UTF-8 and send it again.",
    ),
    ReasonText(
        "empty-file",
        "Le fichier est vide : sa première ligne doit être l'en-tête.",
        "The file is empty: its first line must be the header.",
    ),
    ReasonText(
        "not-a-workbook",
        "Le fichier n'a pas pu être lu comme un classeur Excel ({detail}) : enregistrez-le "
        "au format .xlsx et envoyez-le à nouveau.",
        "The file could not be read as an Excel workbook ({detail}): save it as .xlsx and "
        "send it again.",
    ),
    ReasonText(
        "empty-sheet",
        "La première feuille est vide : sa première ligne doit être l'en-tête.",
        "The first sheet is empty: its first row must be the header.",
    ),
    ReasonText(
        "xml-malformed",
        "Le fichier XML est mal formé : {detail}. Corrigez-le et envoyez-le à nouveau.",
        "The XML file is malformed: {detail}. Fix it and send it again.",
    ),
    ReasonText(
        "xml-no-record",
        "Le fichier XML ne contient aucun élément <offer> ou <product>.",
        "The XML file holds no <offer> or <product> element.",
    ),
    ReasonText(
        "file-missing",
        "Le fichier importé n'est plus conservé : envoyez-le à nouveau.",
        "The imported file is no longer stored: send it again.",
    ),
    ReasonText(
        "transformed-file-missing",
        "Le fichier transformé n'est plus conservé : envoyez le fichier à nouveau.",
        "The transformed file is no longer stored: send the file again.",
    ),
    # The header of an offer file.
    ReasonText(
        "column-twice",
        "La colonne « {column} » apparaît deux fois dans l'en-tête : gardez-en une.",
        "The column '{column}' appears twice in the header: keep one.",
    ),
    ReasonText(
        "default-channel-column",
        "La colonne « {column} » désigne le canal par défaut {channel} : utilisez la colonne "
        "« {base} » pour ses prix.",
        "The column '{column}' names the default channel {channel}: use the column '{base}' "
        "for its prices.",
    ),
    ReasonText(
        "unknown-channel",
        "La colonne « {column} » désigne le canal inconnu « {channel} » : les canaux connus "
        "sont {known}.",
        "The column '{column}' names the unknown channel '{channel}': known channels are {known}.",
    ),
    ReasonText(
        "no-sku-column",
        "L'en-tête n'a pas de colonne « sku » : chaque ligne d'offre a besoin de son sku.",
        "The header has no 'sku' column: every offer line needs its sku.",
    ),
    # The import as a whole.
    ReasonText(
        "offer-import-stopped",
        "L'import s'est arrêté {attempts} fois avant sa fin ; les lignes jusqu'à la ligne "
        "{line} sont appliquées. Envoyez le fichier à nouveau.",
        "The import stopped {attempts} times before its end; the lines up to line {line} are "
        "applied. Send the file again.",
    ),
    ReasonText(
        "product-import-stopped",
        "L'import s'est arrêté {attempts} fois avant sa fin. Envoyez le fichier à nouveau.",
        "The import stopped {attempts} times before its end. Send the file again.",
    ),
    ReasonText(
        "replace-no-valid-line",
        "Import en mode remplacement sans aucune ligne valide : aucune offre n'a été "
        "supprimée. Corrigez les lignes du rapport d'erreurs et envoyez le fichier à nouveau.",
        "REPLACE import with no valid line: no offer was deleted. Fix the lines of the error "
        "report and send the file again.",
    ),
    ReasonText(
        "products-failed",
        "Les produits du fichier n'ont pas pu être importés (import de produits {import_id} : "
        "{reason}) ; aucune offre n'a été importée. Corrigez le fichier et envoyez-le à nouveau.",
        "The products of the file could not be imported (product import {import_id}: "
        "{reason}); no offer was imported. Fix the file and send it again.",
    ),
    # What a complete import did.
    ReasonText(
        "lines-integrated",
        "{read} lignes intégrées.",
        "{read} lines integrated.",
        count="read",
        fr_one="{read} ligne intégrée.",
        en_one="{read} line integrated.",
    ),
    ReasonText(
        "lines-in-error",
        "{errors} lignes en erreur sur {read} : téléchargez le rapport d'erreurs pour les "
        "corriger.",
        "{errors} of {read} lines in error: download the error report to fix them.",
        count="errors",
        fr_one="{errors} ligne en erreur sur {read} : téléchargez le rapport d'erreurs pour la "
        "corriger.",
        en_one="{errors} of {read} lines in error: download the error report to fix it.",
    ),
    ReasonText(
        "lines-transformed",
        "{transformed} lignes transformées sur {read}.",
        "{transformed} of {read} lines transformed.",
    ),
    ReasonText(
        "transformation-errors",
        "{errors} lignes en erreur : vous pouvez télécharger le rapport d'erreur de la "
        "transformation pour les corriger.",
        "{errors} lines in error: download the transformation error report to fix them.",
        count="errors",
        fr_one="{errors} ligne en erreur : vous pouvez télécharger le rapport d'erreur de la "
        "transformation pour la corriger.",
        en_one="{errors} line in error: download the transformation error report to fix it.",
    ),
    ReasonText(
        "columns-ignored",
        "Colonnes ignorées, mappées à aucun attribut : {columns} (mappez-les dans l'assistant "
        "de configuration si elles contiennent des données produit).",
        "Columns ignored, mapped to no attribute: {columns} (map them in the mapping "
        "assistant if they hold product data).",
    ),
    ReasonText(
        "categories-not-mapped",
        "Catégories non mappées : {count}.",
        "Categories not mapped: {count}.",
    ),
    ReasonText(
        "values-not-mapped",
        "Valeurs non mappées à leur liste de valeurs : {count}.",
        "Values not mapped to their value lists: {count}.",
    ),
    ReasonText(
        "products-integrated",
        "{created} produits créés, {matched} trouvés au catalogue par leur EAN, {updated} "
        "produits de la boutique renvoyés en validation, {invalid} refusés.",
        "{created} products created, {matched} matched to catalog products by EAN, "
        "{updated} of the shop's products sent again for review, {invalid} refused.",
    ),
    ReasonText(
        "products-integrated-with-errors",
        "{created} produits créés, {matched} trouvés au catalogue par leur EAN, {updated} "
        "produits de la boutique renvoyés en validation, {invalid} refusés : téléchargez le "
        "rapport d'erreurs pour les corriger.",
        "{created} products created, {matched} matched to catalog products by EAN, "
        "{updated} of the shop's products sent again for review, {invalid} refused: "
        "download the error report to fix them.",
    ),
    # Several reasons, one after the other (`reasons`).
    ReasonText(SEVERAL, "{reasons}", "{reasons}"),
)

REASONS: dict[str, ReasonText] = {text.code: text for text in _TEXTS}


@dataclass(frozen=True)
class Reason:
    """A reason code and its parameters, as stored; rendered when read."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in REASONS:
            raise ValueError(f"unknown import reason code {self.code!r}")

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        return render(self.code, self.params, locale)

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params)}


def several(*reasons: "Reason | str") -> Reason:
    """One reason made of these, one after the other; a lone reason stays itself."""
    parts: list[object] = []
    for reason in reasons:
        if isinstance(reason, Reason) and reason.code == SEVERAL:
            parts.extend(cast(list[object], reason.params.get("reasons", [])))
        elif isinstance(reason, Reason):
            parts.append(reason.as_json())
        elif reason:
            parts.append(reason)  # the text of an import stored before codes
    if len(parts) == 1 and isinstance(parts[0], dict):
        return Reason(parts[0]["code"], parts[0]["params"])
    return Reason(SEVERAL, {"reasons": parts})


def _value(value: object, locale: str) -> object:
    if isinstance(value, Mapping) and "code" in value:
        return render(str(value["code"]), value.get("params") or {}, locale)
    if isinstance(value, list):
        return " ".join(str(_value(item, locale)) for item in value)
    return value


def render(code: str, params: Mapping[str, object], locale: str = DEFAULT_LOCALE) -> str:
    """The reason in the locale's language: French for fr_*, English otherwise (as the
    offer and product line errors)."""
    text = REASONS[code]
    one = bool(text.count) and params.get(text.count) == 1
    french, english = (text.fr_one, text.en_one) if one else (text.fr, text.en)
    template = french if locale.startswith("fr") else english
    return template.format(**{name: _value(value, locale) for name, value in params.items()})


class ImportFailed(Exception):
    """The file as a whole is refused: the import fails with this reason."""

    def __init__(self, code: "str | Reason", **params: object) -> None:
        self.reason = code if isinstance(code, Reason) else Reason(code, params)
        super().__init__(self.reason.render("en_US"))  # for the logs


class WithReason(Protocol):
    reason_code: str
    reason_params: dict[str, object]
    reason_status: str


def stored_reason(found: WithReason) -> Reason | str:
    """An import's reason as stored: its code, or the text of an import stored before codes
    (or with a code this version does not know: its text was written with it)."""
    if found.reason_code in REASONS:
        return Reason(found.reason_code, found.reason_params or {})
    return found.reason_status


def reason_text(found: WithReason, locale: str = DEFAULT_LOCALE) -> str:
    """An import's reason in the locale's language ("" when it has none)."""
    reason = stored_reason(found)
    return reason.render(locale) if isinstance(reason, Reason) else reason


def set_reason(found: WithReason, reason: Reason | str) -> list[str]:
    """Store `reason` on the import; the fields to save. The text stays filled (in the
    default language) for whoever reads the column itself."""
    if isinstance(reason, Reason):
        found.reason_code, found.reason_params = reason.code, dict(reason.params)
        found.reason_status = reason.render(DEFAULT_LOCALE)
    else:
        found.reason_code, found.reason_params, found.reason_status = "", {}, reason
    return ["reason_code", "reason_params", "reason_status"]
