"""The dashboard's orders waiting for acceptance: the soonest deadline first, the time left,
in French and in English, only the shop's own, in a bounded number of queries."""

import html as html_lib
import re
from datetime import timedelta
from typing import Any

from backoffice_cases import make_offer, page
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mercato.catalog.models import Product
from mercato.orders.models import Order
from mercato.orders.selectors import awaiting_acceptance
from mercato.orders.services import Customer, Item, acceptance_delay, place_order
from mercato.shops.models import Shop

SECTION = re.compile(
    r'<section class="card[^"]*" aria-labelledby="orders-title">(.*?)</section>', re.S
)


def orders_card(html: str) -> str:
    """The card's text, one space between words."""
    found = SECTION.search(html)
    assert found is not None
    text = re.sub(r"<[^>]+>", " ", found.group(1))
    return " ".join(html_lib.unescape(text).split())


def place(shop: Shop, commercial_id: str, left: timedelta, lastname: str = "Martin") -> Order:
    """An order of the shop's first offer whose deadline is `left` (and 30 s) from now."""
    placed = timezone.now() - acceptance_delay() + left + timedelta(seconds=30)
    customer = Customer("C", "Camille", lastname)
    sku = shop.offers.order_by("id").values_list("sku", flat=True)[0]
    return place_order(shop, [Item(sku, 2)], customer, commercial_id=commercial_id, now=placed)


def sell(shop: Shop, products: list[Product]) -> None:
    make_offer(shop, products[0], f"{shop.id}-1", price="24.50")


def test_the_card_lists_waiting_orders_soonest_deadline_first_in_french(
    alpha: Any, beta: Any, products: list[Product]
) -> None:
    shop = alpha.seller.shop
    sell(shop, products)
    sell(beta.seller.shop, products)
    place(shop, "LATER", timedelta(days=2, hours=4, minutes=30), "Dubois")
    place(shop, "LATE", -timedelta(days=1, hours=2, minutes=30), "Bernard")
    place(shop, "SOON", timedelta(hours=3, minutes=20), "Petit")
    decided = place(shop, "DONE", timedelta(hours=1))
    Order.objects.filter(id=decided.id).update(state="SHIPPING")
    place(beta.seller.shop, "BETA", timedelta(hours=1), "Autre")

    card = orders_card(page(alpha.client.get("/seller/")))

    assert card == (
        "Commandes en attente d'acceptation 3 commandes à accepter ou refuser "
        "Commande Client Montant Temps restant Décision "
        "LATE-A Camille Bernard 49,00 EUR en retard de 1 j 2 h Accepter Refuser "
        "SOON-A Camille Petit 49,00 EUR 3 h 20 min Accepter Refuser "
        "LATER-A Camille Dubois 49,00 EUR 2 j 4 h Accepter Refuser "
        "Acceptez ou refusez chaque commande avant son échéance : passé ce délai, elle est "
        "refusée automatiquement."
    )


def test_the_card_speaks_english(alpha: Any, products: list[Product]) -> None:
    shop = alpha.seller.shop
    sell(shop, products)
    place(shop, "LATER", timedelta(days=2, hours=4, minutes=30))
    place(shop, "LATE", -timedelta(hours=2, minutes=6))  # 2 h 5 min 30 s ago
    alpha.client.cookies["django_language"] = "en"

    card = orders_card(page(alpha.client.get("/seller/")))

    assert card == (
        "Orders awaiting acceptance 2 orders to accept or refuse "
        "Order Customer Amount Time left Decision "
        "LATE-A Camille Martin 49.00 EUR overdue by 2 h 5 min Accept Refuse "
        "LATER-A Camille Martin 49.00 EUR 2 d 4 h Accept Refuse "
        "Accept or refuse each order before its deadline: after it, the order is refused "
        "automatically."
    )


def test_without_waiting_orders_the_card_says_so(
    alpha: Any, beta: Any, products: list[Product]
) -> None:
    sell(beta.seller.shop, products)
    place(beta.seller.shop, "BETA", timedelta(hours=1))
    assert orders_card(page(alpha.client.get("/seller/"))) == (
        "Commandes en attente d'acceptation Aucune commande en attente d'acceptation."
    )
    alpha.client.cookies["django_language"] = "en"
    assert orders_card(page(alpha.client.get("/seller/"))) == (
        "Orders awaiting acceptance No order awaiting acceptance."
    )


def test_the_card_shows_the_ten_soonest_and_counts_every_one(
    alpha: Any, products: list[Product]
) -> None:
    shop = alpha.seller.shop
    sell(shop, products)
    for hours in range(12):
        place(shop, f"H{hours:02}", timedelta(hours=hours + 1, minutes=10))

    card = orders_card(page(alpha.client.get("/seller/")))

    assert card.startswith("Commandes en attente d'acceptation 12 commandes à accepter")
    assert re.findall(r"H\d\d-A", card) == [f"H{hours:02}-A" for hours in range(10)]
    assert "Seules les 10 commandes dont l'échéance est la plus proche sont affichées." in card


def test_the_waiting_orders_cost_two_queries_whatever_their_number(
    alpha: Any, products: list[Product]
) -> None:
    shop = alpha.seller.shop
    sell(shop, products)
    for hours in range(30):
        place(shop, f"Q{hours}", timedelta(hours=hours + 1))

    with CaptureQueriesContext(connection) as queries:
        waiting = awaiting_acceptance(shop, limit=10)

    assert (waiting.count, len(waiting.orders), len(queries)) == (30, 10, 2)


def messages_in(html: str) -> list[str]:
    found = re.search(r'<ul class="messages" role="status">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li[^>]*>([^<]*)</li>", found.group(1)) if found else []
    return [html_lib.unescape(item) for item in items]


def decide(client: Client, order_id: str, decision: str) -> str:
    response = client.post(f"/seller/orders/{order_id}/decision/", {"decision": decision})
    assert (response.status_code, response["Location"]) == (302, "/seller/")
    return page(client.get("/seller/"))


def states(order: Order) -> tuple[str, list[str]]:
    order.refresh_from_db()
    return order.state, list(order.lines.values_list("state", flat=True))


def test_the_seller_accepts_or_refuses_an_order_from_the_card(
    alpha: Any, products: list[Product]
) -> None:
    sell(alpha.seller.shop, products)
    kept = place(alpha.seller.shop, "KEPT", timedelta(hours=5))
    dropped = place(alpha.seller.shop, "DROPPED", timedelta(hours=6))

    html = decide(alpha.client, "KEPT-A", "accept")
    assert messages_in(html) == ["Commande KEPT-A acceptée."]
    assert states(kept) == ("WAITING_DEBIT_PAYMENT", ["WAITING_DEBIT_PAYMENT"])
    alpha.client.cookies["django_language"] = "en"
    html = decide(alpha.client, "DROPPED-A", "refuse")
    assert messages_in(html) == ["Order DROPPED-A refused."]
    assert states(dropped) == ("REFUSED", ["REFUSED"])
    assert orders_card(html) == ("Orders awaiting acceptance No order awaiting acceptance.")


def test_a_decision_already_taken_or_unknown_changes_nothing(
    alpha: Any, products: list[Product]
) -> None:
    sell(alpha.seller.shop, products)
    order = place(alpha.seller.shop, "ONCE", timedelta(hours=5))
    decide(alpha.client, "ONCE-A", "refuse")

    assert messages_in(decide(alpha.client, "ONCE-A", "accept")) == [
        "La commande ONCE-A n'attend plus de décision."
    ]
    assert messages_in(decide(alpha.client, "ONCE-A", "maybe")) == [
        "Choisissez d'accepter ou de refuser la commande."
    ]
    assert states(order) == ("REFUSED", ["REFUSED"])


def test_another_shops_order_cannot_be_decided(
    alpha: Any, beta: Any, products: list[Product]
) -> None:
    sell(beta.seller.shop, products)
    order = place(beta.seller.shop, "BETA", timedelta(hours=5))

    response = alpha.client.post("/seller/orders/BETA-A/decision/", {"decision": "refuse"})

    assert response.status_code == 404
    assert states(order) == ("WAITING_ACCEPTANCE", ["WAITING_ACCEPTANCE"])


def test_a_decision_is_a_post_with_the_csrf_token(alpha: Any, products: list[Product]) -> None:
    sell(alpha.seller.shop, products)
    order = place(alpha.seller.shop, "CSRF", timedelta(hours=5))
    client = Client(enforce_csrf_checks=True)
    client.force_login(alpha.seller.user)

    assert client.get("/seller/orders/CSRF-A/decision/").status_code == 405
    forged = client.post("/seller/orders/CSRF-A/decision/", {"decision": "refuse"})
    assert forged.status_code == 403
    assert states(order) == ("WAITING_ACCEPTANCE", ["WAITING_ACCEPTANCE"])
    html = page(client.get("/seller/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        "/seller/orders/CSRF-A/decision/",
        {"decision": "accept", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert states(order)[0] == "WAITING_DEBIT_PAYMENT"
