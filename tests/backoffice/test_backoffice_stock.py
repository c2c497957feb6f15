"""Mon stock: finding a product and selling it, the offer list, editing a price, the export."""

from datetime import date
from decimal import Decimal

import pytest
from backoffice_cases import make_offer, page

from mercato.catalog.models import Product
from mercato.offers.models import Offer

GALAXY_EAN = "3000000000007"


def product_by_ean(ean: str) -> Product:
    return Product.objects.get(identifiers__type="EAN", identifiers__value=ean)


@pytest.mark.parametrize("search", ["Galaxy S24 128", "samsung", GALAXY_EAN])
def test_add_offer_finds_a_product_by_name_brand_or_ean(alpha, search: str) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    html = page(alpha.client.get("/seller/stock/add/", {"q": search}))
    assert "Smartphone Galaxy S24 128 Go noir" in html
    assert f'href="/seller/stock/sell/{galaxy.id}/">Vendre ce produit</a>' in html


def test_add_offer_says_when_nothing_matches(alpha) -> None:  # type: ignore[no-untyped-def]
    html = page(alpha.client.get("/seller/stock/add/", {"q": "zzz-nothing"}))
    assert "Aucun produit ne correspond à cette recherche." in html
    assert "Vendre ce produit" not in html


def test_the_sell_form_marks_required_fields_and_offers_the_shops_channels(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    html = page(alpha.client.get(f"/seller/stock/sell/{galaxy.id}/"))
    for label in ("SKU de l&#x27;offre *", "État *", "Prix *"):
        assert f">{label}</label>" in html
    assert html.count('aria-required="true"') == 3
    assert '<option value="France">France</option>' in html  # warehouse-location
    assert 'name="price[channel=ES_B2C]"' in html
    # Beta does not sell in Spain: no Spanish price to fill.
    assert 'name="price[channel=ES_B2C]"' not in page(
        beta.client.get(f"/seller/stock/sell/{galaxy.id}/")
    )


def test_selling_a_product_creates_the_offer_as_an_import_line_would(alpha) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    response = alpha.client.post(
        f"/seller/stock/sell/{galaxy.id}/",
        {
            "sku": "GAL-1",
            "state": "11",
            "quantity": "12",
            "price": "799,00",
            "discount-price": "749",
            "discount-start-date": "2026-12-01",
            "discount-end-date": "2026-12-31",
            "leadtime-to-ship": "2",
            "logistic-class": "S",
            "warranty": "24",
            "warehouse-location": "France",
            "price[channel=ES_B2C]": "819.00",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/seller/stock/offers/?q=GAL-1"
    offer = Offer.objects.get()
    assert (offer.shop, offer.product, offer.sku, offer.state) == (
        alpha.seller.shop,
        galaxy,
        "GAL-1",
        "11",
    )
    assert (offer.quantity, offer.price, offer.discount_price) == (
        12,
        Decimal("799.00"),
        Decimal("749.00"),
    )
    assert (offer.discount_start, offer.discount_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (offer.leadtime_to_ship, offer.logistic_class) == (2, "S")
    assert offer.additional_fields == {"warranty": "24", "warehouse-location": "France"}
    assert list(offer.channel_prices) == ["ES_B2C"]
    spain = offer.channel_prices["ES_B2C"]
    assert spain["price"] == "819.00"
    assert [spain.get(k) for k in ("discount_price", "discount_start", "discount_end")] == [
        None,
        None,
        None,
    ]
    assert offer.row_hash in ("", None)  # empty: not set by an import line
    listing = page(alpha.client.get(response["Location"]))
    assert "L&#x27;offre GAL-1 est enregistrée." in listing
    assert listing.count("<code>GAL-1</code>") == 1


def test_the_sell_form_shows_the_imports_messages_beside_their_fields(alpha) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    response = alpha.client.post(
        f"/seller/stock/sell/{galaxy.id}/",
        {
            "sku": "GAL-1",
            "state": "",
            "price": "899 €",
            "leadtime-to-ship": "40",
            "logistic-class": "S",
            "discount-start-date": "2026-12-31",
            "discount-end-date": "2026-12-01",
        },
    )
    html = page(response)
    assert Offer.objects.count() == 0
    expected = {
        "state": "Le champ &#x27;state&#x27; est obligatoire (11 = Neuf)",
        "price": "Le prix « 899 € » n&#x27;est pas un nombre : retirez le symbole monétaire et "
        "les lettres (exemple : 19.99 ou 19,99)",
        "leadtime-to-ship": "Le champ &#x27;leadtime-to-ship&#x27; a une valeur invalide",
        "discount-start-date": "La plage de dates de remise est incorrecte",
    }
    for column, message in expected.items():
        assert f'<ul class="errorlist" id="id_{column}_error"><li>{message}</li></ul>' in html
    assert html.count('aria-invalid="true"') == len(expected) + 1  # + the dated discount
    assert "Le prix de remise est incorrect" in html


def test_a_sku_already_used_on_another_product_is_refused_with_the_guides_message(alpha) -> None:  # type: ignore[no-untyped-def]
    galaxy, other = product_by_ean(GALAXY_EAN), product_by_ean("3000000000014")
    make_offer(alpha.seller.shop, other, "GAL-1")
    html = page(
        alpha.client.post(
            f"/seller/stock/sell/{galaxy.id}/", {"sku": "GAL-1", "state": "11", "price": "10"}
        )
    )
    assert (
        "Le produit lié à la nouvelle offre est différent du produit lié à l&#x27;offre existante"
        in html
    )
    assert list(Offer.objects.values_list("sku", "product")) == [("GAL-1", other.id)]


def test_a_rejected_product_cannot_be_sold(alpha) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    Product.objects.filter(id=galaxy.id).update(status=Product.Status.REJECTED)
    assert alpha.client.get(f"/seller/stock/sell/{galaxy.id}/").status_code == 404
    search = page(alpha.client.get("/seller/stock/add/", {"q": GALAXY_EAN}))
    assert "Aucun produit ne correspond à cette recherche." in search


@pytest.fixture
def stocked(alpha, beta):  # type: ignore[no-untyped-def]
    """Alpha sells 60 offers, Beta 1 on the Galaxy."""
    products = list(Product.objects.order_by("id")[:60])
    for i, product in enumerate(products):
        make_offer(
            alpha.seller.shop,
            product,
            f"A-{i:03d}",
            price=Decimal(100 + i),
            quantity=0 if i % 10 == 0 else i,
            state="11" if i % 2 else "10",
        )
    make_offer(beta.seller.shop, product_by_ean(GALAXY_EAN), "BETA-GAL", price="700.00")
    return products


def test_the_offer_list_pages_in_the_database(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    first = page(alpha.client.get("/seller/stock/offers/"))
    assert "60 offres" in first
    assert "Page 1 sur 2" in first
    assert first.count("<code>A-") == 50
    assert "<code>A-000</code>" in first and "<code>A-050</code>" not in first
    second = page(alpha.client.get("/seller/stock/offers/", {"page": "2"}))
    assert second.count("<code>A-") == 10
    assert "<code>A-050</code>" in second
    assert "BETA-GAL" not in first + second


def test_the_offer_list_filters_searches_and_sorts(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    client = alpha.client
    by_price = page(client.get("/seller/stock/offers/", {"sort": "-price"}))
    assert by_price.index("<code>A-059</code>") < by_price.index("<code>A-058</code>")
    used = page(client.get("/seller/stock/offers/", {"state": "10"}))
    assert "30 offres" in used and "<code>A-001</code>" not in used
    offline = page(client.get("/seller/stock/offers/", {"availability": "inactive"}))
    assert "6 offres" in offline and "stock à zéro" in offline
    online = page(client.get("/seller/stock/offers/", {"availability": "active"}))
    assert "54 offres" in online
    found = page(client.get("/seller/stock/offers/", {"q": "A-007"}))
    assert "\n  1 offre\n" in found
    assert found.count("<code>A-") == 1
    galaxy = page(client.get("/seller/stock/offers/", {"q": GALAXY_EAN}))
    assert galaxy.count("<code>A-") == 1 and "BETA-GAL" not in galaxy


def test_editing_a_price_shows_the_offer_and_the_competition(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    offer = Offer.objects.get(shop=alpha.seller.shop, product=product_by_ean(GALAXY_EAN))
    html = page(alpha.client.get(f"/seller/stock/offers/{offer.id}/price/"))
    assert "Smartphone Galaxy S24 128 Go noir" in html
    assert f"<dd><code>{offer.sku}</code></dd>" in html
    assert '<td class="num">700,00 €</td>' in html  # Beta's offer, without Beta's name
    assert "Boutique Beta" not in html
    assert "sans elles, le prix remisé est permanent" in html


def test_editing_a_price_with_a_dated_discount_keeps_everything_else(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    offer = Offer.objects.get(shop=alpha.seller.shop, sku="A-007")
    offer.row_hash = 12345
    offer.save()
    response = alpha.client.post(
        f"/seller/stock/offers/{offer.id}/price/",
        {
            "price": "150",
            "discount-price": "120.50",
            "discount-start-date": "2026-01-01",
            "discount-end-date": "2026-01-31",
            "price[channel=ES_B2C]": "155",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.price, offer.discount_price) == (Decimal("150.00"), Decimal("120.50"))
    assert (offer.discount_start, offer.discount_end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert offer.channel_prices["ES_B2C"]["price"] == "155.00"
    assert (offer.quantity, offer.state) == (7, "11")
    assert offer.row_hash in ("", None)


def test_a_discount_not_below_the_price_is_refused_and_nothing_changes(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    offer = Offer.objects.get(shop=alpha.seller.shop, sku="A-007")
    html = page(
        alpha.client.post(
            f"/seller/stock/offers/{offer.id}/price/", {"price": "100", "discount-price": "100"}
        )
    )
    assert (
        '<ul class="errorlist" id="id_discount-price_error"><li>Le prix de remise est incorrect'
        in html
    )
    offer.refresh_from_db()
    assert (offer.price, offer.discount_price) == (Decimal("107.00"), None)


def test_another_shops_offer_cannot_be_seen_or_edited(alpha, beta, stocked) -> None:  # type: ignore[no-untyped-def]
    theirs = Offer.objects.get(sku="BETA-GAL")
    url = f"/seller/stock/offers/{theirs.id}/price/"
    assert alpha.client.get(url).status_code == 404
    assert alpha.client.post(url, {"price": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.price == Decimal("700.00")


def test_the_export_downloads_the_shops_offers_in_the_import_format(alpha, stocked) -> None:  # type: ignore[no-untyped-def]
    response = alpha.client.get("/seller/stock/offers/export/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="offers-{alpha.seller.shop.id}.csv"'
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("sku;product-id;product-id-type;price;quantity;state")
    assert len(lines) == 61
    assert not any(line.startswith("BETA-GAL") for line in lines)


def test_the_sell_page_tells_only_about_the_shops_own_offer_on_the_product(alpha, beta) -> None:  # type: ignore[no-untyped-def]
    galaxy = product_by_ean(GALAXY_EAN)
    theirs = make_offer(beta.seller.shop, galaxy, "BETA-GAL")
    assert "Vous vendez déjà ce produit" not in page(
        alpha.client.get(f"/seller/stock/sell/{galaxy.id}/")
    )
    html = page(beta.client.get(f"/seller/stock/sell/{galaxy.id}/"))
    assert "Vous vendez déjà ce produit (offre BETA-GAL)." in html
    assert f'href="/seller/stock/offers/{theirs.id}/price/"' in html
