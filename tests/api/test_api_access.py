"""Who may call `/api`, for which shop, and how errors and the docs come out."""

import pytest
from django.test import Client

import mercato
from contract import contract_operation
from mercato.shops.models import ShopMembership
from mercato.shops.services import issue_api_key

AUTHENTICATED = [
    "/api/account",
    "/api/channels",
    "/api/hierarchies",
    "/api/products/attributes",
    "/api/values_lists",
    "/api/products?product_references=EAN|3000000000007",
    "/api/offers/states",
    "/api/shipping/logistic_classes",
    "/api/orders",
]
OPERATIONS = {
    "V01": ("GET", "/api/version"),
    "A01": ("GET", "/api/account"),
    "CH11": ("GET", "/api/channels"),
    "H11": ("GET", "/api/hierarchies"),
    "PM11": ("GET", "/api/products/attributes"),
    "VL11": ("GET", "/api/values_lists"),
    "P31": ("GET", "/api/products"),
    "P41": ("POST", "/api/products/imports"),
    "P42": ("GET", "/api/products/imports/{import}"),
    "P44": ("GET", "/api/products/imports/{import}/error_report"),
    "P45": ("GET", "/api/products/imports/{import}/new_product_report"),
    "P46": ("GET", "/api/products/imports/{import}/transformed_file"),
    "P47": ("GET", "/api/products/imports/{import}/transformation_error_report"),
    "P51": ("GET", "/api/products/imports"),
    "OF61": ("GET", "/api/offers/states"),
    "SH31": ("GET", "/api/shipping/logistic_classes"),
    "OF01": ("POST", "/api/offers/imports"),
    "OF02": ("GET", "/api/offers/imports/{import}"),
    "OF03": ("GET", "/api/offers/imports/{import}/error_report"),
    "OF04": ("GET", "/api/offers/imports"),
    "OF21": ("GET", "/api/offers"),
    "OF22": ("GET", "/api/offers/{offer}"),
    "OF24": ("POST", "/api/offers"),
    "OF26": ("GET", "/api/offers/{offer}/quantity"),
    "OR11": ("GET", "/api/orders"),
    "OR21": ("PUT", "/api/orders/{order_id}/accept"),
}
MISSING_KEY = {
    "message": "Unauthorized: send your API key in the Authorization header.",
    "status": 401,
}
UNKNOWN_KEY = {"message": "Unauthorized: missing, unknown or revoked API key.", "status": 401}


def test_version_needs_no_key(client: Client) -> None:
    response = client.get("/api/version")
    assert response.status_code == 200
    assert response.json() == {"version": mercato.__version__}


@pytest.mark.parametrize("url", AUTHENTICATED)
def test_a_call_without_key_is_unauthorized(client: Client, seller: object, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == MISSING_KEY


@pytest.mark.parametrize("url", AUTHENTICATED)
def test_an_unknown_key_is_unauthorized(seller: object, url: str) -> None:
    response = Client(HTTP_AUTHORIZATION="not-a-key").get(url)
    assert response.status_code == 401
    assert response.json() == UNKNOWN_KEY


def test_a_bearer_prefix_is_not_a_key(seller) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {seller.key}").get("/api/account")
    assert response.status_code == 401
    assert response.json() == UNKNOWN_KEY


def test_a_revoked_key_is_unauthorized_and_the_new_one_works(seller) -> None:  # type: ignore[no-untyped-def]
    new_key = issue_api_key(seller.user)
    old = Client(HTTP_AUTHORIZATION=seller.key).get("/api/account")
    assert old.status_code == 401
    assert old.json() == UNKNOWN_KEY
    new = Client(HTTP_AUTHORIZATION=new_key).get("/api/account")
    assert new.status_code == 200
    assert new.json()["shop_id"] == seller.shop.id


def test_the_key_of_a_deactivated_user_is_unauthorized(seller, api: Client) -> None:  # type: ignore[no-untyped-def]
    seller.user.is_active = False
    seller.user.save()
    response = api.get("/api/account")
    assert response.status_code == 401
    assert response.json() == UNKNOWN_KEY


@pytest.mark.parametrize("url", AUTHENTICATED)
def test_another_shops_id_is_forbidden(make_seller, api: Client, url: str) -> None:  # type: ignore[no-untyped-def]
    other = make_seller("Boutique Beta")
    separator = "&" if "?" in url else "?"
    response = api.get(f"{url}{separator}shop_id={other.shop.id}")
    assert response.status_code == 403
    assert response.json() == {"message": f"Access denied to shop {other.shop.id}.", "status": 403}
    assert b"Boutique Beta" not in response.content


def test_the_default_shop_is_the_first_membership(make_seller) -> None:  # type: ignore[no-untyped-def]
    first = make_seller("Boutique Alpha")
    second = make_seller("Boutique Beta")
    # Beta's user joins Alpha (a lower id) after its own shop: Beta stays its default.
    ShopMembership.objects.create(user=second.user, shop=first.shop)
    client = Client(HTTP_AUTHORIZATION=second.key)

    assert client.get("/api/account").json()["shop_id"] == second.shop.id
    chosen = client.get(f"/api/account?shop_id={first.shop.id}")
    assert chosen.status_code == 200
    assert chosen.json()["shop_name"] == "Boutique Alpha"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("shop_id=abc", "Parameter 'shop_id' must be an integer, got 'abc'."),
        ("shop_id=1.5", "Parameter 'shop_id' must be an integer, got '1.5'."),
        (
            "locale=de_DE",
            "Unsupported locale 'de_DE': use one of fr_FR, en_US, es_ES (default fr_FR).",
        ),
        ("locale=fr", "Unsupported locale 'fr': use one of fr_FR, en_US, es_ES (default fr_FR)."),
        (
            "shop_id=x&locale=de",
            "Parameter 'shop_id' must be an integer, got 'x'. Unsupported locale 'de': use one "
            "of fr_FR, en_US, es_ES (default fr_FR).",
        ),
        # A malformed call is refused as such before the shop is looked at.
        (
            "shop_id=999999&locale=de",
            "Unsupported locale 'de': use one of fr_FR, en_US, es_ES (default fr_FR).",
        ),
    ],
)
def test_a_malformed_shop_id_or_locale_is_a_bad_request(
    api: Client, query: str, message: str
) -> None:
    response = api.get(f"/api/account?{query}")
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/api/hierarchies?max_level=abc",
            "Parameter 'max_level': Input should be a valid integer, unable to parse string "
            "as an integer, got 'abc'.",
        ),
        (
            "/api/hierarchies?max_level=-1",
            "Parameter 'max_level': Input should be greater than or equal to 0, got '-1'.",
        ),
        (
            "/api/products/attributes?max_level=2.5",
            "Parameter 'max_level': Input should be a valid integer, unable to parse string "
            "as an integer, got '2.5'.",
        ),
        (
            "/api/products/attributes?with_roles=maybe",
            "Parameter 'with_roles': Input should be a valid boolean, unable to interpret "
            "input, got 'maybe'.",
        ),
        (
            "/api/offers/states?active=perhaps",
            "Parameter 'active': Input should be a valid boolean, unable to interpret input, "
            "got 'perhaps'.",
        ),
    ],
)
def test_parameter_validation_errors_use_the_api_error_body(
    api: Client, url: str, message: str
) -> None:
    response = api.get(url)
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}


def test_several_invalid_parameters_are_all_reported(api: Client) -> None:
    response = api.get("/api/products/attributes?max_level=-2&with_roles=maybe")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Parameter 'max_level': Input should be greater than or equal to 0, "
        "got '-2'. Parameter 'with_roles': Input should be a valid boolean, unable to "
        "interpret input, got 'maybe'.",
        "status": 400,
    }


def test_an_unknown_path_is_a_not_found_error_body(api: Client) -> None:
    response = api.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"message": "No API operation at /api/nothing/here.", "status": 404}


def test_the_docs_show_each_operation_with_its_contract_id_and_summary(client: Client) -> None:
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    ours = {
        operation["operationId"]: (method.upper(), path, operation)
        for path, path_item in schema["paths"].items()
        for method, operation in path_item.items()
    }
    assert sorted(ours) == sorted(OPERATIONS)
    for operation_id, (method, path) in OPERATIONS.items():
        contract_method, contract_path, contract = contract_operation(operation_id)
        our_method, our_path, operation = ours[operation_id]
        assert (our_method, our_path) == (contract_method, contract_path) == (method, path)
        assert operation["summary"] == contract["summary"]
        contract_parameters = {p["name"] for p in contract.get("parameters", [])}
        our_parameters = {p["name"] for p in operation["parameters"]}
        # V01 needs no shop: the contract's shop_id is meaningless there.
        missing = (
            contract_parameters - our_parameters - ({"shop_id"} if operation_id == "V01" else set())
        )
        assert missing == set(), operation_id


def test_an_unexpected_error_is_logged_and_uses_the_api_error_body(
    api: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("mercato.offers.selectors.logistic_classes", broken)
    response = api.get("/api/shipping/logistic_classes")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error.", "status": 500}
    assert b"disk on fire" not in response.content
    [record] = [r for r in caplog.records if r.name == "mercato.api.errors"]
    assert record.getMessage() == "Unexpected error on GET /api/shipping/logistic_classes"
    assert str(record.exc_info[1]) == "disk on fire"  # type: ignore[index]


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("delete", "/api/offers/imports", "GET, POST"),
        ("put", "/api/version", "GET"),
        ("post", "/api/products/imports/1", "GET"),
    ],
)
def test_a_method_a_path_does_not_take_is_an_error_body(
    api: Client, method: str, url: str, allowed: str
) -> None:
    response = getattr(api, method)(url)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert sorted(response["Allow"].split(", ")) == allowed.split(", ")
    assert response.json() == {
        "message": f"{method.upper()} is not allowed on {url}: use {response['Allow']}.",
        "status": 405,
    }
