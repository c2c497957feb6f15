"""The operator console: every model of the marketplace's configuration has its pages."""

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    Category,
    Product,
    ProductIdentifier,
    Value,
    ValueList,
)
from mercato.offers.models import LogisticClass, OfferField, OfferState
from mercato.shops.models import ApiKey, Channel, Shop, ShopMembership
from mercato.shops.services import create_shop, issue_api_key

APPS = ("shops", "catalog", "offers")
READ_ONLY = {ApiKey, Product, ProductIdentifier}


@pytest.fixture
def one_of_each(db: None) -> dict[type[Model], Model]:
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True)
    shop, user = create_shop("Boutique Alpha")
    issue_api_key(user)
    root = Category.objects.create(code="telephonie", label="Téléphonie")
    leaf = Category.objects.create(code="smartphones", label="Smartphones", parent=root, level=2)
    colours = ValueList.objects.create(code="couleurs", label="Couleurs")
    attribute = Attribute.objects.create(
        code="couleur", label="Couleur", type="LIST", value_list=colours
    )
    product = Product.objects.create(category=leaf, titles={"fr_FR": "Galaxy"}, title="Galaxy")
    return {
        Channel: Channel.objects.get(),
        Shop: shop,
        ShopMembership: ShopMembership.objects.get(),
        ApiKey: ApiKey.objects.get(),
        Category: leaf,
        ValueList: colours,
        Value: Value.objects.create(value_list=colours, code="noir", label="Noir"),
        Attribute: attribute,
        AttributeAttachment: AttributeAttachment.objects.create(
            attribute=attribute, category=leaf, requirement_level="REQUIRED"
        ),
        Product: product,
        ProductIdentifier: ProductIdentifier.objects.create(
            product=product, type="EAN", value="8806095299891"
        ),
        OfferState: OfferState.objects.create(code="11", label="Neuf"),
        LogisticClass: LogisticClass.objects.create(code="S", label="Petit"),
        OfferField: OfferField.objects.create(code="garantie", label="Garantie", type="INTEGER"),
    }


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered(one_of_each: dict[type[Model], Model]) -> None:
    registered = {m for m in admin.site._registry if m._meta.app_label in APPS}

    assert registered == set(one_of_each)


def test_list_change_and_add_pages_answer(
    admin_client: Client, one_of_each: dict[type[Model], Model]
) -> None:
    for model, obj in one_of_each.items():
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        add = admin_client.get(admin_url(model, "add")).status_code
        assert add == (403 if model in READ_ONLY else 200), model


def test_console_home_lists_the_apps(admin_client: Client, one_of_each: object) -> None:
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "mercato — console opérateur" in content
    for app in APPS:
        assert reverse("admin:app_list", args=[app]) in content


def test_the_console_needs_a_staff_login(client: Client, db: None) -> None:
    response = client.get(admin_url(Shop, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
