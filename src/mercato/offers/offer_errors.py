"""Offer import messages: the seller guide's table (chapter 3-B) and our own, in fr and en.

One table for the error reports, the API and the back office. Codes are stable identifiers; the
seller reads the message, in the shop's language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OfferMessage:
    code: str
    fr: str
    en: str
    fix_fr: str = ""
    fix_en: str = ""


_MESSAGES = (
    # The guide's messages, worded as the guide words them.
    OfferMessage(
        "product-unknown",
        "Le produit n'existe pas",
        "The product does not exist",
        "Vérifiez le couple product-id / product-id-type (EAN, UPC, ISBN, SHOP_SKU ou SKU).",
        "Check the product-id / product-id-type pair (EAN, UPC, ISBN, SHOP_SKU or SKU).",
    ),
    OfferMessage(
        "offer-not-found",
        "Aucune offre existante à mettre à jour",
        "No existing offer to update",
        "Vérifiez le SKU, ou utilisez le mode d'import « Normal » pour créer l'offre.",
        "Check the SKU, or use the NORMAL import mode to create the offer.",
    ),
    OfferMessage(
        "offer-delete-not-found",
        "Aucune offre existante à supprimer",
        "No existing offer to delete",
        "Vérifiez le SKU de l'offre à supprimer.",
        "Check the sku of the offer to delete.",
    ),
    OfferMessage(
        "sku-duplicated",
        "Le champ 'sku' est dupliqué dans le fichier source",
        "The 'sku' field is duplicated in the source file",
        "Chaque offre doit avoir un sku unique dans le fichier.",
        "Each offer needs a sku of its own in the file.",
    ),
    OfferMessage(
        "state-unknown",
        "L'état du produit est inconnu",
        "The state of the product is unknown",
        "En CSV ou XML, indiquez le code de l'état (11 = Neuf), pas son libellé.",
        "In CSV or XML files, give the state's code (11 = New), not its label.",
    ),
    OfferMessage(
        "product-differs",
        "Le produit lié à la nouvelle offre est différent du produit lié à l'offre existante",
        "The product linked to the new offer is different from the product linked to the "
        "existing offer",
        "Ce sku est déjà attribué à un autre produit (ou l'a été il y a moins de 30 jours) : "
        "utilisez un autre sku.",
        "This sku is (or was, less than 30 days ago) attached to another product: use another sku.",
    ),
    OfferMessage(
        "price-mandatory",
        "Le champ 'prix' est obligatoire",
        "The 'price' field is mandatory",
        "Indiquez un prix, sans symbole monétaire.",
        "Give a price, without a currency symbol.",
    ),
    OfferMessage(
        "logistic-class-unknown",
        "La famille logistique est inconnue",
        "The logistic family is unknown",
        "En CSV ou XML, indiquez le code de la classe logistique ; en Excel, son libellé.",
        "In CSV or XML files give the logistic class code; in Excel files, its label.",
    ),
    OfferMessage(
        "leadtime-invalid",
        "Le champ 'leadtime-to-ship' a une valeur invalide",
        "The 'leadtime-to-ship' field has an invalid value",
        "Un nombre entier de jours, de 0 au maximum de la classe logistique.",
        "A whole number of days, from 0 to the logistic class's maximum.",
    ),
    OfferMessage(
        "discount-dates-invalid",
        "La plage de dates de remise est incorrecte",
        "The discount range date is incorrect",
        "Dates au format aaaa-mm-jj (2022-08-20), la date de début au plus tard la date de fin.",
        "Dates as yyyy-mm-dd (2022-08-20), the start date on or before the end date.",
    ),
    OfferMessage(
        "discount-price-invalid",
        "Le prix de remise est incorrect : il ne doit pas être nul ou doit être inférieur au prix",
        "The discount price is incorrect : must not be null or must be lower than price",
        "Le prix remisé doit être strictement inférieur au prix de l'offre.",
        "The discount price must be strictly lower than the offer's price.",
    ),
    # Our own, for what the guide leaves unsaid.
    OfferMessage(
        "price-invalid",
        "Le prix « {value} » n'est pas un nombre : retirez le symbole monétaire et les lettres "
        "(exemple : 19.99 ou 19,99)",
        "The price '{value}' is not a number: remove the currency symbol and letters "
        "(for example 19.99 or 19,99)",
    ),
    OfferMessage(
        "price-precision",
        "Le prix « {value} » a plus de deux décimales",
        "The price '{value}' has more than two decimals",
    ),
    OfferMessage(
        "price-not-positive",
        "Le prix « {value} » doit être supérieur à 0",
        "The price '{value}' must be greater than 0",
    ),
    OfferMessage(
        "sku-missing",
        "Le champ 'sku' est obligatoire",
        "The 'sku' field is mandatory",
    ),
    OfferMessage(
        "sku-too-long",
        "Le champ 'sku' dépasse {max} caractères",
        "The 'sku' field is longer than {max} characters",
    ),
    OfferMessage(
        "product-id-missing",
        "Les champs 'product-id' et 'product-id-type' sont obligatoires pour créer une offre",
        "The 'product-id' and 'product-id-type' fields are mandatory to create an offer",
    ),
    OfferMessage(
        "product-id-type-unknown",
        "Le type d'identifiant produit « {value} » est inconnu : utilisez EAN, UPC, ISBN, "
        "SHOP_SKU ou SKU",
        "The product id type '{value}' is unknown: use EAN, UPC, ISBN, SHOP_SKU or SKU",
    ),
    OfferMessage(
        "state-missing",
        "Le champ 'state' est obligatoire (11 = Neuf)",
        "The 'state' field is mandatory (11 = New)",
    ),
    OfferMessage(
        "quantity-invalid",
        "La quantité « {value} » doit être un nombre entier positif ou nul",
        "The quantity '{value}' must be a whole number, zero or more",
    ),
    OfferMessage(
        "update-delete-invalid",
        "Le champ 'update-delete' vaut « {value} » : laissez-le vide, ou indiquez update ou delete",
        "The 'update-delete' field is '{value}': leave it empty, or use update or delete",
    ),
    OfferMessage(
        "channel-not-sold",
        "La boutique ne vend pas sur le canal {channel} : retirez la colonne {header} ou "
        "demandez l'ouverture du canal",
        "The shop does not sell on channel {channel}: remove column {header} or ask for the "
        "channel to be opened",
    ),
    OfferMessage(
        "field-not-integer",
        "Le champ '{field}' doit être un nombre entier",
        "The '{field}' field must be a whole number",
    ),
    OfferMessage(
        "field-out-of-range",
        "Le champ '{field}' doit être compris entre {min} et {max}",
        "The '{field}' field must be between {min} and {max}",
    ),
    OfferMessage(
        "field-not-in-list",
        "Le champ '{field}' vaut « {value} » : valeurs possibles {allowed}",
        "The '{field}' field is '{value}': possible values are {allowed}",
    ),
    OfferMessage(
        "line-too-long",
        "La ligne contient {count} valeurs pour {expected} colonnes d'en-tête",
        "The line has {count} values for {expected} header columns",
    ),
)

OFFER_MESSAGES: dict[str, OfferMessage] = {m.code: m for m in _MESSAGES}


def render(code: str, locale: str = "fr_FR", **params: object) -> str:
    """The message for `code` in the locale's language (French unless en/es is asked for)."""
    message = OFFER_MESSAGES[code]
    text = message.fr if locale.startswith("fr") else message.en
    return text.format(**params)
