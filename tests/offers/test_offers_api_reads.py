"""OF21 (list offers), OF22 (one offer), OF26 (its quantity) and A01's active offer count."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contract import assert_matches_contract
from mercato.catalog.models import Product
from mercato.offers.models import LogisticClass, Offer, OfferField
from mercato.offers.selectors import active_offers_count
from mercato.shops.models import Channel, Shop


@pytest.fixture
def marketplace(db: None) -> None:
    """Two channels, two logistic classes, three offer fields: enough to describe offers."""
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True, position=0)
    Channel.objects.create(
        code="ES_B2C", label="Espagne - B2C", labels={"en": "Spain - B2C"}, position=1
    )
    LogisticClass.objects.create(code="S", label="Petit colis", labels={"en": "Small parcel"})
    LogisticClass.objects.create(
        code="M", label="Colis moyen", labels={"en": "Medium parcel"}, position=1
    )
    OfferField.objects.create(code="warranty", label="Garantie", type="INTEGER", position=0)
    OfferField.objects.create(code="warehouse-location", label="Entrepôt", type="LIST", position=1)
    OfferField.objects.create(
        code="gift-options", label="Options cadeau", type="LIST_MULTIPLE_VALUES", position=2
    )


@pytest.fixture
def alpha(marketplace: None, small_catalog: object, make_seller) -> Any:  # type: ignore[no-untyped-def]
    return make_seller("Boutique Alpha", channels=["FR_B2C", "ES_B2C"])


@pytest.fixture
def alpha_api(alpha: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=alpha.key)


def product(sku: str) -> Product:
    return Product.objects.get(product_sku=sku)


def make_offer(shop: Shop, sku: str, product_sku: str, **values: Any) -> Offer:
    defaults: dict[str, Any] = {"state": "11", "quantity": 5, "price": Decimal("50.00")}
    return Offer.objects.create(
        shop=shop, sku=sku, product=product(product_sku), **{**defaults, **values}
    )


TODAY = timezone.localdate()


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def iso_day(offset: int) -> str:
    """A discount day as the API writes it: its first instant, in the marketplace's zone."""
    start = datetime.combine(day(offset), time.min, tzinfo=timezone.get_current_timezone())
    return start.isoformat()


@pytest.fixture
def full_offer(alpha: Any) -> Offer:
    """Every field set: a running discount, a Spanish price, a logistic class, fields."""
    return make_offer(
        alpha.shop,
        "SKU-B",
        "MP-B",
        quantity=7,
        price=Decimal("100.00"),
        discount_price=Decimal("80.00"),
        discount_start=day(-1),
        discount_end=day(1),
        channel_prices={
            "ES_B2C": {
                "price": "110.00",
                "discount_price": "99.00",
                "discount_start": day(2).isoformat(),
                "discount_end": None,
            }
        },
        logistic_class="M",
        leadtime_to_ship=3,
        description="Cafetière comme neuve",
        internal_description="Lot 42",
        price_additional_info="Éco-participation incluse",
        additional_fields={"warranty": "24", "warehouse-location": "France", "gift-options": "a|b"},
    )


def volume(price: float, origin: float, discount: float | None) -> list[dict[str, Any]]:
    return [
        {
            "price": price,
            "quantity_threshold": 1,
            "unit_discount_price": discount,
            "unit_origin_price": origin,
        }
    ]


DEFAULT_PRICING = {
    "channel_code": None,
    "context": None,
    "discount_start_date": iso_day(-1),
    "discount_end_date": iso_day(1),
    "price": 80.0,
    "unit_discount_price": 80.0,
    "unit_origin_price": 100.0,
    "volume_prices": volume(80.0, 100.0, 80.0),
}
# Its discount starts in two days: today the origin price applies.
SPANISH_PRICING = {
    "channel_code": "ES_B2C",
    "context": {"channel_codes": ["ES_B2C"]},
    "discount_start_date": iso_day(2),
    "discount_end_date": None,
    "price": 110.0,
    "unit_discount_price": 99.0,
    "unit_origin_price": 110.0,
    "volume_prices": volume(110.0, 110.0, 99.0),
}


def full_offer_body(offer: Offer) -> dict[str, Any]:
    return {
        "offer_id": offer.id,
        "shop_sku": "SKU-B",
        "product_sku": "MP-B",
        "product_title": "Cafetière filtre",
        "product_description": None,
        "product_brand": None,
        "product_references": [
            {"reference": "3000000000007", "reference_type": "EAN"},
            {"reference": "012345678905", "reference_type": "UPC"},
        ],
        "category_code": "cafetieres",
        "category_label": "Cafetières",
        "state_code": "11",
        "quantity": 7,
        "price": 80.0,
        "currency_iso_code": "EUR",
        "description": "Cafetière comme neuve",
        "internal_description": "Lot 42",
        "price_additional_info": "Éco-participation incluse",
        "leadtime_to_ship": 3,
        "logistic_class": {"code": "M", "label": "Colis moyen"},
        "channels": ["FR_B2C", "ES_B2C"],
        "all_prices": [DEFAULT_PRICING, SPANISH_PRICING],
        "applicable_pricing": DEFAULT_PRICING,
        "discount": {
            "discount_price": 80.0,
            "origin_price": 100.0,
            "start_date": iso_day(-1),
            "end_date": iso_day(1),
        },
        "active": True,
        "inactivity_reasons": [],
        "offer_additional_fields": [
            {"code": "warranty", "type": "NUMERIC", "value": "24"},
            {"code": "warehouse-location", "type": "LIST", "value": "France"},
            {"code": "gift-options", "type": "MULTIPLE_VALUES_LIST", "value": ["a", "b"]},
        ],
        "allow_quote_requests": False,
        "min_order_quantity": 1,
        "max_order_quantity": None,
        "package_quantity": 1,
        "min_quantity_alert": None,
        "min_shipping_price": None,
        "min_shipping_price_additional": None,
        "min_shipping_type": None,
        "min_shipping_zone": None,
        "shipping_deadline": None,
        "fulfillment": {"center": {"code": "DEFAULT"}},
    }


def get(client: Client, url: str, operation_id: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation_id, 200, body)
    return body


def test_of22_describes_an_offer_with_every_contract_key(
    alpha_api: Client, full_offer: Offer
) -> None:
    body = get(alpha_api, f"/api/offers/{full_offer.id}", "OF22")
    assert body == full_offer_body(full_offer)


def test_of22_localizes_labels_and_titles(alpha_api: Client, full_offer: Offer) -> None:
    english = get(alpha_api, f"/api/offers/{full_offer.id}?locale=en_US", "OF22")
    spanish = get(alpha_api, f"/api/offers/{full_offer.id}?locale=es_ES", "OF22")
    assert (
        english["product_title"],
        english["category_label"],
        english["logistic_class"],
    ) == ("Cafetière filtre", "Coffee makers", {"code": "M", "label": "Medium parcel"})
    assert (spanish["product_title"], spanish["category_label"]) == (
        "Cafetera de filtro",
        "Cafetières",
    )


def test_of22_prices_on_the_channel_asked_for(alpha_api: Client, full_offer: Offer) -> None:
    body = get(alpha_api, f"/api/offers/{full_offer.id}?pricing_channel_code=ES_B2C", "OF22")
    assert body == {
        **full_offer_body(full_offer),
        "price": 110.0,
        "applicable_pricing": SPANISH_PRICING,
        "discount": {
            "discount_price": 99.0,
            "origin_price": 110.0,
            "start_date": iso_day(2),
            "end_date": None,
        },
    }


@pytest.mark.parametrize(
    ("start", "end", "price"),
    [
        (None, None, 40.0),  # permanent
        (0, 0, 40.0),  # bounds inclusive
        (-5, None, 40.0),
        (None, 3, 40.0),
        (1, None, 50.0),  # not started
        (-3, -1, 50.0),  # over
    ],
)
def test_a_discount_applies_only_inside_its_dates(
    alpha: Any, alpha_api: Client, start: int | None, end: int | None, price: float
) -> None:
    offer = make_offer(
        alpha.shop,
        "SKU-D",
        "MP-A",
        discount_price=Decimal("40.00"),
        discount_start=None if start is None else day(start),
        discount_end=None if end is None else day(end),
    )
    body = get(alpha_api, f"/api/offers/{offer.id}", "OF22")
    assert (body["price"], body["applicable_pricing"]["price"]) == (price, price)
    assert body["discount"] == {
        "discount_price": 40.0,
        "origin_price": 50.0,
        "start_date": None if start is None else iso_day(start),
        "end_date": None if end is None else iso_day(end),
    }


@pytest.mark.parametrize(
    ("product_sku", "offer_values", "shop_state", "query", "reasons"),
    [
        ("MP-A", {}, "OPEN", "", []),
        ("MP-C", {}, "OPEN", "", ["PRODUCT_STATUS_PENDING"]),
        ("MP-A", {"quantity": 0}, "OPEN", "", ["ZERO_QUANTITY"]),
        ("MP-A", {}, "SUSPENDED", "", ["SHOP_NOT_OPEN"]),
        ("MP-A", {}, "OPEN", "?pricing_channel_code=ES_B2C", ["NO_ACTIVE_PRICE"]),
        (
            "MP-A",
            {"channel_prices": {"ES_B2C": {"price": "55.00"}}},
            "OPEN",
            "?pricing_channel_code=ES_B2C",
            [],
        ),
        ("MP-C", {"quantity": 0}, "CLOSE", "", ["PRODUCT_STATUS_PENDING", "SHOP_NOT_OPEN",
                                                  "ZERO_QUANTITY"]),
    ],
)  # fmt: skip
def test_active_and_inactivity_reasons(
    alpha: Any,
    alpha_api: Client,
    product_sku: str,
    offer_values: dict[str, Any],
    shop_state: str,
    query: str,
    reasons: list[str],
) -> None:
    offer = make_offer(alpha.shop, "SKU-X", product_sku, **offer_values)
    Shop.objects.filter(id=alpha.shop.id).update(state=shop_state)
    body = get(alpha_api, f"/api/offers/{offer.id}{query}", "OF22")
    assert (body["active"], body["inactivity_reasons"]) == (not reasons, reasons)
    quantity = get(alpha_api, f"/api/offers/{offer.id}/quantity", "OF26")
    default_active = not [r for r in reasons if r != "NO_ACTIVE_PRICE"]
    assert quantity == {"offer_id": offer.id, "quantity": offer.quantity if default_active else 0}


def test_a_channel_the_shop_does_not_sell_on(
    marketplace: None,
    small_catalog: object,
    make_seller,  # type: ignore[no-untyped-def]
) -> None:
    french_only = make_seller("Boutique France")  # the default channel only
    offer = make_offer(
        french_only.shop, "SKU-F", "MP-A", channel_prices={"ES_B2C": {"price": "55.00"}}
    )
    client = Client(HTTP_AUTHORIZATION=french_only.key)
    body = get(client, f"/api/offers/{offer.id}?pricing_channel_code=ES_B2C", "OF22")
    assert (body["channels"], len(body["all_prices"])) == (["FR_B2C"], 1)
    assert (body["active"], body["inactivity_reasons"]) == (False, ["NO_CHANNEL_ON_SHOP"])
    assert body["applicable_pricing"]["channel_code"] is None  # the default prices


def test_an_unknown_pricing_channel_is_a_bad_request(alpha_api: Client, full_offer: Offer) -> None:
    for path in (f"/api/offers/{full_offer.id}", "/api/offers"):
        response = alpha_api.get(f"{path}?pricing_channel_code=IT")
        assert response.status_code == 400
        assert response.json() == {
            "message": "Unknown pricing_channel_code 'IT': known channels are ES_B2C, FR_B2C.",
            "status": 400,
        }


def test_another_shops_offer_is_not_found(
    alpha: Any,
    alpha_api: Client,
    make_seller,  # type: ignore[no-untyped-def]
) -> None:
    other = make_seller("Boutique Gamma")
    theirs = make_offer(other.shop, "SKU-G", "MP-A")
    missing = theirs.id + 1000
    for offer_id in (theirs.id, missing):
        for url in (f"/api/offers/{offer_id}", f"/api/offers/{offer_id}/quantity"):
            response = alpha_api.get(url)
            assert response.status_code == 404
            assert response.json() == {"message": f"Offer {offer_id} not found.", "status": 404}
    assert get(alpha_api, "/api/offers", "OF21") == {"offers": [], "total_count": 0}


@pytest.fixture
def listed(alpha: Any, full_offer: Offer, make_seller) -> list[Offer]:  # type: ignore[no-untyped-def]
    make_offer(make_seller("Boutique Gamma").shop, "SKU-A1", "MP-A")  # never listed
    return [
        full_offer,
        make_offer(alpha.shop, "SKU-A1", "MP-A", state="10"),
        make_offer(alpha.shop, "SKU-A2", "MP-A", state="12"),
        make_offer(alpha.shop, "SKU-C", "MP-C", state="10"),
    ]


@pytest.mark.parametrize(
    ("query", "skus", "total"),
    [
        ("", ["SKU-B", "SKU-A1", "SKU-A2", "SKU-C"], 4),
        ("?offer_state_codes=10", ["SKU-A1", "SKU-C"], 2),
        ("?offer_state_codes=12,%2011", ["SKU-B", "SKU-A2"], 2),
        ("?sku=SKU-A2", ["SKU-A2"], 1),
        ("?sku=SKU", [], 0),
        ("?product_id=MP-A", ["SKU-A1", "SKU-A2"], 2),
        ("?product_id=MP-A&offer_state_codes=12", ["SKU-A2"], 1),
        ("?favorite=true", [], 0),
        ("?favorite=false", ["SKU-B", "SKU-A1", "SKU-A2", "SKU-C"], 4),
        ("?max=2", ["SKU-B", "SKU-A1"], 4),
        ("?max=2&offset=2", ["SKU-A2", "SKU-C"], 4),
        ("?max=3&offset=3", ["SKU-C"], 4),
        ("?offset=4", [], 4),
        ("?pricing_customer_organization_id=ORG-1", ["SKU-B", "SKU-A1", "SKU-A2", "SKU-C"], 4),
    ],
)
def test_of21_filters_and_pages(
    alpha_api: Client, listed: list[Offer], query: str, skus: list[str], total: int
) -> None:
    body = get(alpha_api, f"/api/offers{query}", "OF21")
    assert [o["shop_sku"] for o in body["offers"]] == skus
    assert body["total_count"] == total


def test_of21_offers_are_described_as_by_of22(
    alpha_api: Client, listed: list[Offer], full_offer: Offer
) -> None:
    body = get(alpha_api, "/api/offers?sku=SKU-B&pricing_channel_code=ES_B2C", "OF21")
    single = get(alpha_api, f"/api/offers/{full_offer.id}?pricing_channel_code=ES_B2C", "OF22")
    assert body == {"offers": [single], "total_count": 1}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("max=0", "Parameter 'max': Input should be greater than or equal to 1, got '0'."),
        ("max=101", "Parameter 'max': Input should be less than or equal to 100, got '101'."),
        ("offset=-1", "Parameter 'offset': Input should be greater than or equal to 0, got '-1'."),
        ("favorite=maybe", "Parameter 'favorite': Input should be a valid boolean, unable to "
                           "interpret input, got 'maybe'."),
    ],
)  # fmt: skip
def test_of21_bad_paging_is_a_bad_request(alpha_api: Client, query: str, message: str) -> None:
    response = alpha_api.get(f"/api/offers?{query}")
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}


def test_of21_reads_a_page_in_a_fixed_number_of_queries(alpha: Any, alpha_api: Client) -> None:
    make_offer(alpha.shop, "SKU-1", "MP-A")
    with CaptureQueriesContext(connection) as one:
        get(alpha_api, "/api/offers", "OF21")
    for n in range(2, 6):
        make_offer(alpha.shop, f"SKU-{n}", "MP-B" if n % 2 else "MP-C")
    with CaptureQueriesContext(connection) as five:
        body = get(alpha_api, "/api/offers", "OF21")
    assert body["total_count"] == 5
    assert len(five) == len(one)


def test_a01_counts_the_active_offers_in_one_query(
    alpha: Any,
    alpha_api: Client,
    make_seller,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    make_offer(alpha.shop, "ACTIVE-1", "MP-A")
    make_offer(alpha.shop, "ACTIVE-2", "MP-B")
    make_offer(alpha.shop, "PENDING", "MP-C")
    make_offer(alpha.shop, "EMPTY", "MP-A", quantity=0)
    make_offer(alpha.shop, "NO-PRICE", "MP-B", price=None)
    make_offer(make_seller("Boutique Gamma").shop, "OTHER", "MP-A")
    with django_assert_num_queries(1):
        assert active_offers_count(alpha.shop) == 2
    response = alpha_api.get("/api/account")
    assert response.status_code == 200
    assert response.json()["offers_count"] == 2
    Shop.objects.filter(id=alpha.shop.id).update(state="SUSPENDED")
    alpha.shop.refresh_from_db()
    assert active_offers_count(alpha.shop) == 0


@pytest.mark.parametrize(
    ("offer_leadtime", "shop_leadtime", "expected"),
    [(3, 2, 3), (0, 2, 0), (None, 2, 2), (None, None, None)],
)
def test_an_offer_without_lead_time_takes_its_shops(
    alpha: Any,
    alpha_api: Client,
    offer_leadtime: int | None,
    shop_leadtime: int | None,
    expected: int | None,
) -> None:
    Shop.objects.filter(id=alpha.shop.id).update(lead_time_to_ship=shop_leadtime)
    offer = make_offer(alpha.shop, "SKU-L", "MP-A", leadtime_to_ship=offer_leadtime)
    assert get(alpha_api, f"/api/offers/{offer.id}", "OF22")["leadtime_to_ship"] == expected
