"""A phone case whose content follows every piece of the guide's advice: 100/100."""

from typing import Any

DESCRIPTION = "Une coque fine et résistante, qui protège le dos et les coins du téléphone. " * 2
FULL: dict[str, Any] = {
    "titles": {"fr_FR": "Coque mate iPhone 14"},
    "descriptions": {"fr_FR": DESCRIPTION},
    "brand": "apple",
    "media": ["https://images.example.com/1.jpg", "https://images.example.com/2.jpg"],
    "attributes": {
        "key-selling-points": "Fine|Résistante",
        "color": "bleu",
        "case-material": "silicone",
        "case-finish": "mat",
    },
}
