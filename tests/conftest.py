"""Fixtures shared by the whole suite."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from mercato.shops.models import Shop
from mercato.shops.services import create_shop, issue_api_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass
class Seller:
    shop: Shop
    user: User
    key: str


@pytest.fixture
def reference_dir() -> Path:
    return Path(settings.REFERENCE_MARKETPLACE_DIR)


@pytest.fixture
def reference_marketplace(db: None, reference_dir: Path) -> None:
    """The bundled reference marketplace, loaded as `mercato setup` loads it."""
    from mercato.catalog.services import load_marketplace

    load_marketplace(reference_dir)


@pytest.fixture
def make_seller(db: None):  # type: ignore[no-untyped-def]
    def make(name: str, **kwargs: object) -> Seller:
        shop, user = create_shop(name, **kwargs)  # type: ignore[arg-type]
        return Seller(shop=shop, user=user, key=issue_api_key(user))

    return make


@pytest.fixture
def seller(make_seller) -> Seller:  # type: ignore[no-untyped-def]
    return make_seller("Boutique Alpha")


@pytest.fixture
def api(seller: Seller) -> Client:
    """A client that sends `seller`'s API key on every request."""
    return Client(HTTP_AUTHORIZATION=seller.key)


@dataclass
class SmallCatalog:
    """A 3-level tree, two value lists, attributes attached at every depth, three products.

    audio; maison > cuisine > (bouilloires, cafetieres); maison > jardin. Products: MP-B
    (cafetieres, EAN 3000000000007 + UPC 012345678905) and MP-A (bouilloires, EAN
    3000000000014) are live; MP-C (EAN 3000000000021) waits for review, from another shop.
    """

    pending_owner_key: str


# code, label, translations, parent code, position
SMALL_TREE = [
    ("audio", "Audio", {}, None, 0),
    ("maison", "Maison", {"en": "Home", "es": "Casa"}, None, 1),
    ("cuisine", "Cuisine", {"en": "Kitchen", "es": "Cocina"}, "maison", 1),
    ("jardin", "Jardin", {"en": "Garden"}, "maison", 2),
    ("cafetieres", "Cafetières", {"en": "Coffee makers"}, "cuisine", 1),
    ("bouilloires", "Bouilloires", {"en": "Kettles", "es": "Hervidores"}, "cuisine", 0),
]
# code, label, English label, type, type parameter, category, requirement level, position, extra
SMALL_ATTRIBUTES: list[tuple[str, str, str, str, str, str | None, str, int, dict[str, object]]] = [
    ("category", "Catégorie", "Category", "CATEGORY", "", None, "REQUIRED", 0,
     {"description": "Code de la catégorie feuille"}),
    ("sku", "SKU produit", "Shop SKU", "TEXT", "", None, "REQUIRED", 1,
     {"validations": "MAX_LENGTH|40"}),
    ("ean", "EAN", "", "TEXT", "", None, "REQUIRED", 2, {"validations": "EAN13"}),
    ("title-fr_FR", "Titre FR", "Title (French)", "TEXT", "", None, "REQUIRED", 3, {}),
    ("image-1", "Image 1", "", "MEDIA", "jpg|png", None, "RECOMMENDED", 4,
     {"validations": "MAX_SIZE_KB|10244"}),
    ("color", "Couleur", "Colour", "LIST", "couleurs", "maison", "RECOMMENDED", 0,
     {"variant": True}),
    ("power-w", "Puissance (W)", "Power (W)", "INTEGER", "", "cuisine", "REQUIRED", 0,
     {"validations": "MIN|1,MAX|5000"}),
    ("capacity-l", "Capacité (L)", "", "DECIMAL", "", "cafetieres", "OPTIONAL", 0, {}),
    ("release-date", "Date de sortie", "", "DATE", "yyyy-MM-dd", "audio", "OPTIONAL", 0, {}),
    ("area-m2", "Surface (m²)", "", "INTEGER", "", "jardin", "OPTIONAL", 0, {}),
]  # fmt: skip
# list code, label, translations, values as (code, label, translations, position)
SMALL_VALUE_LISTS = [
    ("couleurs", "Couleurs", {"en": "Colours", "es": "Colores"},
     [("noir", "Noir", {"en": "Black", "es": "Negro"}, 1), ("blanc", "Blanc", {"en": "White"}, 0)]),
    ("marques", "Marques", {}, [("acme", "Acme", {}, 0)]),
]  # fmt: skip
# sku, category, titles, status, identifiers
SMALL_PRODUCTS = [
    ("MP-B", "cafetieres", {"fr_FR": "Cafetière filtre", "es_ES": "Cafetera de filtro"}, "LIVE",
     [("EAN", "3000000000007"), ("UPC", "012345678905")]),
    ("MP-A", "bouilloires", {"fr_FR": "Bouilloire"}, "LIVE", [("EAN", "3000000000014")]),
    ("MP-C", "bouilloires", {"fr_FR": "Bouilloire en attente"}, "PENDING",
     [("EAN", "3000000000021")]),
]  # fmt: skip


@pytest.fixture
def small_catalog(make_seller) -> SmallCatalog:  # type: ignore[no-untyped-def]
    from mercato.catalog import models as catalog

    categories: dict[str, catalog.Category] = {}
    for code, label, labels, parent_code, position in SMALL_TREE:
        parent = categories[parent_code] if parent_code else None
        categories[code] = catalog.Category.objects.create(
            code=code, label=label, labels=labels, parent=parent, position=position,
            level=parent.level + 1 if parent else 1,
        )  # fmt: skip
    lists = {}
    for list_code, label, labels, values in SMALL_VALUE_LISTS:
        lists[list_code] = catalog.ValueList.objects.create(
            code=list_code, label=label, labels=labels
        )
        for code, value_label, value_labels, position in values:
            catalog.Value.objects.create(
                value_list=lists[list_code], code=code, label=value_label, labels=value_labels,
                position=position,
            )  # fmt: skip
    for code, label, en, type_, parameter, category, level, position, extra in SMALL_ATTRIBUTES:
        attribute = catalog.Attribute.objects.create(
            code=code, label=label, labels={"en": en} if en else {}, type=type_,
            type_parameter=parameter, value_list=lists.get(parameter),
        )  # fmt: skip
        catalog.AttributeAttachment.objects.create(
            attribute=attribute, category=categories.get(category or ""),
            requirement_level=level, position=position, **extra,
        )  # fmt: skip
    owner = make_seller("Boutique Beta")
    for sku, category, titles, status, identifiers in SMALL_PRODUCTS:
        product = catalog.Product.objects.create(
            product_sku=sku, category=categories[category], titles=titles, title=titles["fr_FR"],
            status=status, shop=owner.shop if status == "PENDING" else None,
        )  # fmt: skip
        for id_type, value in identifiers:
            catalog.ProductIdentifier.objects.create(product=product, type=id_type, value=value)
    return SmallCatalog(pending_owner_key=owner.key)


@pytest.fixture
def tmp_media_root(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Stored files (imports, reports) go under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)
