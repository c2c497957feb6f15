"""The demo accounts: two shops (API key and back-office login each) and an operator, with
fresh credentials on every run.

Keys and passwords are stored hashed and shown once, so each run issues new ones rather than
printing old ones it cannot know. Callers own the transaction.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from mercato.shops.models import Shop
from mercato.shops.services import create_shop, issue_shop_api_key, shop_owner

OPERATOR_USERNAME = "operator"
DEMO_SHOPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Demo Electro", ("FR_B2C", "ES_B2C")),
    ("Demo Reconditionné", ("FR_B2C",)),
)


@dataclass(frozen=True)
class DemoShop:
    id: int
    name: str
    api_key: str
    username: str  # the seller's back-office login
    password: str


@dataclass(frozen=True)
class DemoAccess:
    operator_username: str
    operator_password: str
    shops: list[DemoShop]


def _demo_shop(name: str, channels: tuple[str, ...]) -> DemoShop:
    shop = Shop.objects.filter(name=name).first()
    if shop is None:
        shop, _user = create_shop(name, channels=channels)
    seller = shop_owner(shop)
    password = _new_password()
    seller.set_password(password)
    seller.save(update_fields=["password"])
    return DemoShop(
        id=shop.id,
        name=shop.name,
        api_key=issue_shop_api_key(shop.id),
        username=seller.get_username(),
        password=password,
    )


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def _reset_operator() -> str:
    password = _new_password()
    operator, _created = get_user_model().objects.get_or_create(username=OPERATOR_USERNAME)
    operator.is_staff = True
    operator.is_superuser = True
    operator.is_active = True
    operator.set_password(password)
    operator.save()
    return password


def prepare_demo() -> DemoAccess:
    """Create the demo shops and operator when absent, and give them new credentials."""
    shops = [_demo_shop(name, channels) for name, channels in DEMO_SHOPS]
    return DemoAccess(
        operator_username=OPERATOR_USERNAME,
        operator_password=_reset_operator(),
        shops=shops,
    )
