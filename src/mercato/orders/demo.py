"""The demo's orders: a few orders waiting for each demo shop's acceptance, so that the
dashboard and OR11/OR21 have something to show. Placed once: a shop that already has its
demo orders gets no more, whatever became of them.

Callers own the transaction.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from mercato.catalog.models import Product
from mercato.offers.models import Offer
from mercato.offers.services import save_offer
from mercato.orders.models import Order
from mercato.orders.services import Customer, Item, acceptance_delay, place_order
from mercato.shops.models import Shop

DEMO_OFFERS = 3
# The time each demo order has left to be accepted: hours, some days, the whole delay.
TIME_LEFT = (timedelta(hours=5), timedelta(days=2, hours=3), timedelta(days=5))
CUSTOMERS = (
    ("Camille", "Martin", "12 rue de la Paix", "75002", "Paris"),
    ("Lucas", "Bernard", "8 quai Saint-Antoine", "69002", "Lyon"),
    ("Léa", "Dubois", "3 allée des Pins", "33000", "Bordeaux"),
)


def _demo_offers(shop: Shop) -> list[Offer]:
    """The shop's offers, or a few on the catalog's first live products when it has none."""
    offers = list(Offer.objects.filter(shop=shop).order_by("id")[:DEMO_OFFERS])
    if offers:
        return offers
    products = Product.objects.filter(status=Product.Status.LIVE).order_by("product_sku")
    for index, product in enumerate(products[:DEMO_OFFERS], start=1):
        save_offer(
            shop,
            {
                "sku": f"DEMO-{index}",
                "product-id": product.product_sku,
                "product-id-type": "SKU",
                "price": f"{100 * index + 49}.90",
                "quantity": "10",
                "state": "11",
                "leadtime-to-ship": "2",
            },
        )
    return list(Offer.objects.filter(shop=shop).order_by("id")[:DEMO_OFFERS])


def place_demo_orders(shop_ids: Sequence[int], now: datetime | None = None) -> list[Order]:
    """Place each shop's demo orders unless they were placed before; the orders placed."""
    now = now or timezone.now()
    return [order for shop in Shop.objects.filter(id__in=shop_ids) for order in _place(shop, now)]


def _place(shop: Shop, now: datetime) -> list[Order]:
    prefix = f"DEMO-{shop.id}-"
    if Order.objects.filter(shop=shop, commercial_id__startswith=prefix).exists():
        return []
    offers = _demo_offers(shop)
    if not offers:
        return []
    placed = []
    delay = acceptance_delay()
    for number, (left, customer) in enumerate(zip(TIME_LEFT, CUSTOMERS, strict=True), start=1):
        firstname, lastname, street, zip_code, city = customer
        items = [Item(offer.sku, quantity=1 + (number + i) % 2) for i, offer in enumerate(offers)]
        placed.append(
            place_order(
                shop,
                items[: 1 + number % len(items)],
                Customer(
                    customer_id=f"DEMO-CUSTOMER-{number}",
                    firstname=firstname,
                    lastname=lastname,
                    shipping_address={
                        "firstname": firstname,
                        "lastname": lastname,
                        "street_1": street,
                        "zip_code": zip_code,
                        "city": city,
                        "country": "France",
                        "country_iso_code": "FRA",
                    },
                ),
                commercial_id=f"{prefix}{number}",
                # Never past the deadline: the worker would refuse it at once.
                now=now - delay + min(left, delay),
            )
        )
    return placed
