"""Fixtures shared by the whole suite."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from mercato.shops.models import Shop
from mercato.shops.services import create_shop, issue_api_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass
class Seller:
    shop: Shop
    user: AbstractBaseUser
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
