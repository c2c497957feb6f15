"""Operator console for the catalog: product search and moderation, the category tree."""

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from mercato.catalog.models import Category, Product, ProductIdentifier
from mercato.catalog.tree import save_category

PRODUCTS = reverse("admin:catalog_product_changelist")


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    nodes: dict[str, Category] = {}
    for code, parent in [
        ("telephonie", None),
        ("smartphones", "telephonie"),
        ("coques", "smartphones"),
        ("informatique", None),
    ]:
        category = Category(code=code, label=code.title(), parent=nodes.get(parent or ""))
        save_category(category)
        nodes[code] = category
    return nodes


@pytest.fixture
def products(categories: dict[str, Category]) -> list[Product]:
    made = []
    for sku, title, brand, ean, status in [
        ("MP-A", "Galaxy S24 128 Go", "Samsung", "8806095299891", Product.Status.PENDING),
        ("MP-B", "iPhone 15 128 Go", "Apple", "0195949036774", Product.Status.PENDING),
        ("MP-C", "Galaxy A55", "Samsung", "8806095467436", Product.Status.LIVE),
    ]:
        product = Product.objects.create(
            product_sku=sku,
            category=categories["smartphones"],
            titles={"fr_FR": title},
            title=title,
            brand=brand,
            status=status,
            shop_sku=f"SELLER-{sku}",
        )
        ProductIdentifier.objects.create(product=product, type="EAN", value=ean)
        made.append(product)
    return made


def found(client: Client, query: str) -> list[str]:
    response = client.get(PRODUCTS, {"q": query})
    assert response.status_code == 200
    return sorted(p.product_sku for p in response.context["cl"].result_list)


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def moderate(client: Client, action: str, skus: list[str], reason: str = "") -> HttpResponse:
    ids = [
        str(pk) for pk in Product.objects.filter(product_sku__in=skus).values_list("pk", flat=True)
    ]
    data = {"action": action, "_selected_action": ids, "reason": reason}
    return client.post(PRODUCTS, data, follow=True)


def statuses() -> list[tuple[str, str, str]]:
    return list(Product.objects.values_list("product_sku", "status", "rejection_reason"))


def test_search_by_ean_finds_exactly_that_product(
    admin_client: Client, products: list[Product]
) -> None:
    assert found(admin_client, "8806095299891") == ["MP-A"]
    assert found(admin_client, "880609529989") == []


def test_search_by_title_brand_and_skus(admin_client: Client, products: list[Product]) -> None:
    assert found(admin_client, "galaxy") == ["MP-A", "MP-C"]
    assert found(admin_client, "Apple") == ["MP-B"]
    assert found(admin_client, "MP-C") == ["MP-C"]
    assert found(admin_client, "SELLER-MP-B") == ["MP-B"]


def test_filter_by_status(admin_client: Client, products: list[Product]) -> None:
    response = admin_client.get(PRODUCTS, {"status__exact": "PENDING"})

    assert sorted(p.product_sku for p in response.context["cl"].result_list) == ["MP-A", "MP-B"]


def test_accept_action(admin_client: Client, products: list[Product]) -> None:
    response = moderate(admin_client, "accept", ["MP-A", "MP-C"])

    assert messages_of(response) == ["1 product(s) accepted."]
    assert statuses() == [("MP-A", "LIVE", ""), ("MP-B", "PENDING", ""), ("MP-C", "LIVE", "")]


def test_reject_action_records_the_reason(admin_client: Client, products: list[Product]) -> None:
    response = moderate(admin_client, "reject", ["MP-A", "MP-B"], reason="Photos manquantes")

    assert messages_of(response) == ["2 product(s) rejected."]
    assert statuses() == [
        ("MP-A", "REJECTED", "Photos manquantes"),
        ("MP-B", "REJECTED", "Photos manquantes"),
        ("MP-C", "LIVE", ""),
    ]


def test_reject_action_without_a_reason_changes_nothing(
    admin_client: Client, products: list[Product]
) -> None:
    before = statuses()

    response = moderate(admin_client, "reject", ["MP-A"])

    assert messages_of(response) == ["A rejection needs a reason, which the shop will see."]
    assert statuses() == before


def category_form(category: Category, parent: Category | None) -> dict[str, str]:
    return {
        "code": category.code,
        "label": category.label,
        "labels": "{}",
        "parent": str(parent.pk) if parent else "",
        "position": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }


def levels() -> dict[str, tuple[str | None, int]]:
    return {c.code: (c.parent.code if c.parent else None, c.level) for c in Category.objects.all()}


def test_changing_a_parent_relevels_the_subtree(
    admin_client: Client, categories: dict[str, Category]
) -> None:
    smartphones = categories["smartphones"]
    change = reverse("admin:catalog_category_change", args=[smartphones.pk])

    response = admin_client.post(change, category_form(smartphones, categories["informatique"]))

    assert response.status_code == 302
    assert levels() == {
        "telephonie": (None, 1),
        "smartphones": ("informatique", 2),
        "coques": ("smartphones", 3),
        "informatique": (None, 1),
    }

    response = admin_client.post(change, category_form(smartphones, None))

    assert response.status_code == 302
    assert levels()["smartphones"] == (None, 1)
    assert levels()["coques"] == ("smartphones", 2)


def test_a_cycle_is_refused_on_the_form(
    admin_client: Client, categories: dict[str, Category]
) -> None:
    before = levels()
    telephonie = categories["telephonie"]
    change = reverse("admin:catalog_category_change", args=[telephonie.pk])

    response = admin_client.post(change, category_form(telephonie, categories["coques"]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": [
            "Category coques cannot be the parent of telephonie: "
            "it is telephonie itself or one of its descendants."
        ]
    }
    assert levels() == before


def test_adding_a_category_sets_its_level(
    admin_client: Client, categories: dict[str, Category]
) -> None:
    new = Category(code="chargeurs", label="Chargeurs")

    response = admin_client.post(
        reverse("admin:catalog_category_add"), category_form(new, categories["smartphones"])
    )

    assert response.status_code == 302
    assert levels()["chargeurs"] == ("smartphones", 3)


def test_category_list_reads_as_the_tree_with_product_counts(
    admin_client: Client, products: list[Product]
) -> None:
    response = admin_client.get(reverse("admin:catalog_category_changelist"))

    rows = [(c.code, c.level, c.product_count) for c in response.context["cl"].result_list]
    assert rows == [
        ("informatique", 1, 0),
        ("telephonie", 1, 0),
        ("smartphones", 2, 3),
        ("coques", 3, 0),
    ]
    assert "— — Coques" in response.content.decode()
