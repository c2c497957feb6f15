"""Fixtures of the seller back office's tests: signed-in sellers on the reference marketplace."""

import pytest
from backoffice_cases import PASSWORD, SignedIn
from django.test import Client

from mercato.catalog.models import Product


@pytest.fixture
def products(reference_marketplace: None) -> list[Product]:
    """The reference marketplace's first live products, by marketplace sku."""
    return list(Product.objects.filter(status=Product.Status.LIVE).order_by("product_sku")[:5])


@pytest.fixture
def sign_in(make_seller, reference_marketplace: None):  # type: ignore[no-untyped-def]
    """A seller whose user has a password, signed in on a fresh client."""

    def make(name: str, channels: tuple[str, ...] = ("FR_B2C", "ES_B2C")) -> SignedIn:
        seller = make_seller(name, channels=list(channels))
        seller.user.set_password(PASSWORD)
        seller.user.save()
        client = Client()
        client.force_login(seller.user)
        return SignedIn(client, seller)

    return make


@pytest.fixture
def alpha(sign_in) -> SignedIn:  # type: ignore[no-untyped-def]
    return sign_in("Boutique Alpha")


@pytest.fixture
def beta(sign_in) -> SignedIn:  # type: ignore[no-untyped-def]
    return sign_in("Boutique Beta", channels=("FR_B2C",))
