"""OF01 (import a file), OF24 (import JSON offers), OF02/OF04 (track imports), OF03 (report)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contract import assert_matches_contract
from mercato.api import uploads
from mercato.imports.models import OfferImport, ProductImport
from mercato.imports.services import run_offer_import
from mercato.offers.models import Offer

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

HEADER = "sku;product-id;product-id-type;price;quantity;state"
# Reference products P-00000000 to P-00000002.
EAN = ("3000000000007", "3000000000014", "3000000000021")
GOOD_FILE = f"{HEADER}\nA;{EAN[0]};EAN;19.99;5;11\nB;{EAN[1]};EAN;12,50;0;10\n".encode()
MIXED_FILE = (
    f"{HEADER}\nA;{EAN[0]};EAN;19.99;5;11\nB;{EAN[1]};EAN;12,50 €;1;11\n"
    "C;9999999999994;EAN;5;1;11\nD;" + EAN[2] + ";EAN;7;1;11\n"
).encode()


@pytest.fixture
def alpha(make_seller) -> Any:  # type: ignore[no-untyped-def]
    return make_seller("Boutique Alpha", channels=["FR_B2C", "ES_B2C"])


@pytest.fixture
def alpha_api(alpha: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=alpha.key)


def post_file(client: Client, content: bytes, name: str = "offers.csv", **fields: str) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/api/offers/imports", {"file": upload, **fields})


def post_offers(client: Client, body: object) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/api/offers", raw, content_type="application/json")


def created(response: Any, operation_id: str) -> int:
    assert response.status_code == 201, response.content
    body = response.json()
    assert_matches_contract(operation_id, 201, body)
    assert response["Location"] == f"/api/offers/imports/{body['import_id']}"
    import_id: int = body["import_id"]
    return import_id


def get_json(client: Client, url: str, operation_id: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract(operation_id, 200, body)
    return body


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def iso(moment: datetime) -> str:
    """A date-time as the API writes it."""
    text: str = DjangoJSONEncoder().default(moment.astimezone(UTC))
    return text


def test_of01_answers_at_once_with_one_waiting_import_queued_once(
    alpha: Any, alpha_api: Client, tmp_media_root: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        import_id = created(post_file(alpha_api, GOOD_FILE, import_mode="REPLACE"), "OF01")
    offer_import = OfferImport.objects.get()
    assert (offer_import.id, offer_import.shop_id, offer_import.status) == (
        import_id,
        alpha.shop.id,
        "WAITING",
    )
    assert (offer_import.mode, offer_import.origin, offer_import.file_name) == (
        "REPLACE",
        "API",
        "offers.csv",
    )
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [import_id], "kwargs": {}}
    assert [p.read_bytes() for p in stored_files(tmp_media_root)] == [GOOD_FILE]
    assert Offer.objects.count() == 0  # nothing is imported before the job runs

    with django_capture_on_commit_callbacks(execute=True):
        again = created(post_file(alpha_api, GOOD_FILE, import_mode="REPLACE"), "OF01")
    assert again == import_id
    assert (OfferImport.objects.count(), DBTaskResult.objects.count()) == (1, 1)
    assert len(stored_files(tmp_media_root)) == 1


def test_of02_shows_the_counters_before_and_after_the_run(
    alpha_api: Client,
) -> None:
    import_id = created(post_file(alpha_api, MIXED_FILE), "OF01")
    offer_import = OfferImport.objects.get(id=import_id)
    waiting = get_json(alpha_api, f"/api/offers/imports/{import_id}", "OF02")
    zero = dict.fromkeys(
        ["lines_read", "lines_in_success", "lines_in_error", "lines_in_pending",
         "offer_inserted", "offer_updated", "offer_deleted"], 0,
    )  # fmt: skip
    assert waiting == {
        "date_created": iso(offer_import.date_created),
        "has_error_report": False,
        "import_id": import_id,
        **zero,
        "mode": "NORMAL",
        "reason_status": None,
        "status": "WAITING",
        "type": "MIRAKL",
    }
    run_offer_import(import_id)
    done = get_json(alpha_api, f"/api/offers/imports/{import_id}", "OF02")
    assert done == {
        **waiting,
        "has_error_report": True,
        "lines_read": 4,
        "lines_in_success": 2,
        "lines_in_error": 2,
        "offer_inserted": 2,
        "reason_status": "2 lignes en erreur sur 4 : téléchargez le rapport d'erreurs pour les "
        "corriger.",
        "status": "COMPLETE",
    }
    assert sorted(Offer.objects.values_list("sku", flat=True)) == ["A", "D"]


def test_of02_and_of03_of_another_shop_are_not_found(
    alpha_api: Client,
    make_seller,  # type: ignore[no-untyped-def]
) -> None:
    other = make_seller("Boutique Gamma")
    theirs = created(post_file(Client(HTTP_AUTHORIZATION=other.key), MIXED_FILE), "OF01")
    run_offer_import(theirs)
    for import_id in (theirs, theirs + 1000):
        for suffix in ("", "/error_report"):
            response = alpha_api.get(f"/api/offers/imports/{import_id}{suffix}")
            assert response.status_code == 404
            assert response.json() == {
                "message": f"Offer import {import_id} not found.",
                "status": 404,
            }
            assert b"9999999999994" not in response.content


def test_of03_streams_the_report_in_the_callers_language(alpha_api: Client) -> None:
    import_id = created(post_file(alpha_api, MIXED_FILE, name="stock.csv"), "OF01")
    run_offer_import(import_id)
    response = alpha_api.get(f"/api/offers/imports/{import_id}/error_report")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="offer-import-{import_id}-errors.csv"'
    )
    assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines() == [
        f"{HEADER};error-line;error-message",
        f"B;{EAN[1]};EAN;12,50 €;1;11;3;Le prix « 12,50 € » n'est pas un nombre : retirez le "
        "symbole monétaire et les lettres (exemple : 19.99 ou 19,99)",
        "C;9999999999994;EAN;5;1;11;4;Le produit n'existe pas",
    ]
    english = alpha_api.get(f"/api/offers/imports/{import_id}/error_report?locale=en_US")
    lines = b"".join(english.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[2] == "C;9999999999994;EAN;5;1;11;4;The product does not exist"


def test_of03_without_errors_is_not_found(alpha_api: Client) -> None:
    import_id = created(post_file(alpha_api, GOOD_FILE), "OF01")
    for run in (False, True):
        if run:
            run_offer_import(import_id)
        response = alpha_api.get(f"/api/offers/imports/{import_id}/error_report")
        assert response.status_code == 404
        assert response.json() == {
            "message": f"Offer import {import_id} has no error report: none of its lines is in "
            "error.",
            "status": 404,
        }


@pytest.mark.parametrize(
    ("fields", "content", "message"),
    [
        ({"import_mode": "FULL"}, GOOD_FILE,
         "Parameter 'import_mode' must be NORMAL, REPLACE or PARTIAL_UPDATE, got 'FULL'."),
        ({"with_products": "yes"}, GOOD_FILE,
         "Parameter 'with_products' must be true or false, got 'yes'."),
        ({"operator_format": "yes"}, GOOD_FILE,
         "Parameter 'operator_format' must be true or false, got 'yes'."),
        ({}, b"", "The file 'offers.csv' is empty."),
        ({"import_mode": "FULL", "with_products": "true"}, GOOD_FILE,
         "Parameter 'import_mode' must be NORMAL, REPLACE or PARTIAL_UPDATE, got 'FULL'."),
        ({"with_products": "true"}, b"", "The file 'offers.csv' is empty."),
    ],
)  # fmt: skip
def test_of01_refuses_a_bad_form_and_stores_nothing(
    alpha_api: Client, tmp_media_root: Path, fields: dict[str, str], content: bytes, message: str
) -> None:
    response = post_file(alpha_api, content, **fields)
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}
    assert (OfferImport.objects.count(), stored_files(tmp_media_root)) == (0, [])
    assert ProductImport.objects.count() == 0


def test_of01_without_a_file_is_a_bad_request(alpha_api: Client) -> None:
    response = alpha_api.post("/api/offers/imports", {"import_mode": "NORMAL"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "The request has no file: send it as the multipart/form-data part 'file'.",
        "status": 400,
    }
    assert OfferImport.objects.count() == 0


def test_of01_takes_the_form_values_as_the_contract_sample_sends_them(alpha_api: Client) -> None:
    fields = {"import_mode": '"PARTIAL_UPDATE"', "operator_format": '"true"',
              "with_products": "false"}  # fmt: skip
    import_id = created(post_file(alpha_api, GOOD_FILE, **fields), "OF01")
    assert OfferImport.objects.get(id=import_id).mode == "PARTIAL_UPDATE"


TOO_LARGE = {"message": "The upload is larger than the 100 bytes allowed: split it into several "
             "files.", "status": 413}  # fmt: skip


def test_of01_over_the_declared_limit_is_refused_before_the_body_is_read(
    alpha_api: Client, settings, tmp_media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.MERCATO_MAX_UPLOAD_BYTES = 100
    guards: list[object] = []
    monkeypatch.setattr(uploads, "SizeLimitHandler", lambda *args: guards.append(args))
    content = GOOD_FILE * (uploads.MULTIPART_OVERHEAD // len(GOOD_FILE) + 1)
    response = post_file(alpha_api, content)
    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert guards == []  # refused on Content-Length alone
    assert (OfferImport.objects.count(), stored_files(tmp_media_root)) == (0, [])


def test_of01_a_body_going_over_the_limit_is_stopped_while_read(
    alpha_api: Client, settings, tmp_media_root: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MERCATO_MAX_UPLOAD_BYTES = 100
    response = post_file(alpha_api, GOOD_FILE * 2)  # Content-Length within the envelope margin
    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert (OfferImport.objects.count(), stored_files(tmp_media_root)) == (0, [])
    settings.MERCATO_MAX_UPLOAD_BYTES = len(GOOD_FILE)
    created(post_file(alpha_api, GOOD_FILE), "OF01")  # exactly the limit is accepted


def make_import(shop_id: int, **values: Any) -> OfferImport:
    return OfferImport.objects.create(shop_id=shop_id, file_name="o.csv", file_path="x", **values)


@pytest.fixture
def history(alpha: Any, make_seller) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Five imports of Alpha's, created a day apart (oldest first), and one of another shop."""
    make_import(make_seller("Boutique Gamma").shop.id)
    rows = [
        ("old", {"status": "COMPLETE", "origin": "FTP"}),
        ("replace", {"status": "COMPLETE", "mode": "REPLACE", "origin": "API"}),
        ("failed", {"status": "FAILED", "origin": "FRONT", "reason_status": "Fichier vide"}),
        ("partial", {"status": "COMPLETE", "mode": "PARTIAL_UPDATE", "origin": "API"}),
        ("waiting", {"status": "WAITING", "origin": "API"}),
    ]
    start = timezone.now().replace(microsecond=0) - timedelta(days=10)
    ids = {}
    for n, (name, values) in enumerate(rows):
        offer_import = make_import(alpha.shop.id, **values)
        OfferImport.objects.filter(id=offer_import.id).update(
            date_created=start + timedelta(days=n)
        )
        ids[name] = offer_import.id
    return ids


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["waiting", "partial", "failed", "replace", "old"]),
        ("status=COMPLETE", ["partial", "replace", "old"]),
        ("status=WAITING_SYNCHRONIZATION_PRODUCT", []),
        ("mode=REPLACE", ["replace"]),
        ("mode=PARTIAL_UPDATE", ["partial"]),
        ("origins=API", ["waiting", "partial", "replace"]),
        ("origins=FTP&origins=FRONT", ["failed", "old"]),
        ("status=COMPLETE&origins=API", ["partial", "replace"]),
    ],
)
def test_of04_filters(
    alpha_api: Client, history: dict[str, int], query: str, names: list[str]
) -> None:
    body = get_json(alpha_api, f"/api/offers/imports?{query}", "OF04")
    assert [item["import_id"] for item in body["data"]] == [history[n] for n in names]
    assert (body["next_page_token"], body["previous_page_token"]) == (None, None)


def test_of04_filters_on_creation_dates(alpha_api: Client, history: dict[str, int]) -> None:
    created_at = dict(OfferImport.objects.values_list("id", "date_created"))
    start = created_at[history["replace"]]
    end = created_at[history["partial"]]
    query = f"start_date={iso(start)}&end_date={iso(end)}"
    body = get_json(alpha_api, f"/api/offers/imports?{query}", "OF04")
    assert [i["import_id"] for i in body["data"]] == [
        history["partial"],
        history["failed"],
        history["replace"],
    ]
    # Without an offset, a date-time is the marketplace's local time.
    local = timezone.localtime(end).replace(tzinfo=None).isoformat()
    body = get_json(alpha_api, f"/api/offers/imports?start_date={local}", "OF04")
    assert [i["import_id"] for i in body["data"]] == [history["waiting"], history["partial"]]


def test_of04_items_carry_the_contracts_fields(
    alpha: Any, alpha_api: Client, history: dict[str, int]
) -> None:
    body = get_json(alpha_api, "/api/offers/imports?status=FAILED", "OF04")
    offer_import = OfferImport.objects.get(id=history["failed"])
    assert body["data"] == [
        {
            "date_created": iso(offer_import.date_created),
            "has_error_report": False,
            "import_id": offer_import.id,
            "lines_read": 0,
            "lines_in_success": 0,
            "lines_in_error": 0,
            "lines_in_pending": 0,
            "offer_inserted": 0,
            "offer_updated": 0,
            "offer_deleted": 0,
            "mode": "NORMAL",
            "origin": "FRONT",
            "reason_status": "Fichier vide",
            "shop_id": alpha.shop.id,
            "status": "FAILED",
        }
    ]


def test_of04_pages_with_tokens(alpha_api: Client, history: dict[str, int]) -> None:
    newest_first = ["waiting", "partial", "failed", "replace", "old"]
    pages = []
    url = "/api/offers/imports?limit=2"
    body = get_json(alpha_api, url, "OF04")
    while True:
        pages.append([i["import_id"] for i in body["data"]])
        if body["next_page_token"] is None:
            break
        body = get_json(alpha_api, f"{url}&page_token={body['next_page_token']}", "OF04")
    assert pages == [[history[n] for n in newest_first[i : i + 2]] for i in (0, 2, 4)]
    back = get_json(alpha_api, f"{url}&page_token={body['previous_page_token']}", "OF04")
    assert [i["import_id"] for i in back["data"]] == pages[1]
    assert back["previous_page_token"] is not None
    first = get_json(alpha_api, f"{url}&page_token={back['previous_page_token']}", "OF04")
    assert ([i["import_id"] for i in first["data"]], first["previous_page_token"]) == (
        pages[0],
        None,
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page_token=nonsense", "Parameter 'page_token': 'nonsense' is not a page token; use the "
         "next_page_token or previous_page_token of a previous answer."),
        ("page_token=b2Zmc2V0Oi0x", "Parameter 'page_token': 'b2Zmc2V0Oi0x' is not a page "
         "token; use the next_page_token or previous_page_token of a previous answer."),
        ("limit=0", "Parameter 'limit': Input should be greater than or equal to 1, got '0'."),
        ("limit=101", "Parameter 'limit': Input should be less than or equal to 100, got '101'."),
        ("status=DONE", "Parameter 'status': Input should be 'WAITING_SYNCHRONIZATION_PRODUCT', "
         "'WAITING', 'RUNNING', 'COMPLETE' or 'FAILED', got 'DONE'."),
        ("start_date=yesterday", "Parameter 'start_date': Input should be a valid datetime or "
         "date, input is too short, got 'yesterday'."),
    ],
)  # fmt: skip
def test_of04_bad_parameters_are_bad_requests(alpha_api: Client, query: str, message: str) -> None:
    response = alpha_api.get(f"/api/offers/imports?{query}")
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}


OF24_OFFERS = [
    {"shop_sku": "J-A", "product_id": EAN[0], "product_id_type": "EAN", "price": 19.99,
     "quantity": 4, "state_code": "11", "update_delete": None, "logistic_class": "S",
     "discount": {"price": 17.5, "start_date": "2024-06-01", "end_date": "2024-06-30"},
     "all_prices": [{"channel_code": "ES_B2C", "unit_origin_price": 21}],
     "offer_additional_fields": [{"code": "warranty", "type": "NUMERIC", "value": "24"}]},
    {"shop_sku": "J-B", "product_id": EAN[1], "product_id_type": "EAN", "price": 10,
     "state_code": "99", "update_delete": "update", "description": "deux\nlignes"},
    {"shop_sku": "J-C", "product_id": "9999999999994", "product_id_type": "EAN", "price": 5,
     "state_code": "11", "update_delete": None},
    {"shop_sku": "J-D", "product_id": EAN[2], "product_id_type": "EAN", "price": 8,
     "quantity": 1, "state_code": "10", "update_delete": None},
]  # fmt: skip


def test_of24_goes_through_the_import_pipeline(alpha: Any, alpha_api: Client) -> None:
    import_id = created(post_offers(alpha_api, {"offers": OF24_OFFERS}), "OF24")
    offer_import = OfferImport.objects.get()
    assert (offer_import.id, offer_import.origin, offer_import.mode, offer_import.file_name) == (
        import_id,
        "API",
        "NORMAL",
        "offers.json.csv",
    )
    assert created(post_offers(alpha_api, {"offers": OF24_OFFERS}), "OF24") == import_id
    run_offer_import(import_id)
    body = get_json(alpha_api, f"/api/offers/imports/{import_id}", "OF02")
    assert (body["status"], body["lines_read"], body["lines_in_success"], body["lines_in_error"],
            body["offer_inserted"]) == ("COMPLETE", 4, 2, 2, 2)  # fmt: skip
    offers = {o.sku: o for o in Offer.objects.filter(shop=alpha.shop)}
    assert sorted(offers) == ["J-A", "J-D"]
    first = offers["J-A"]
    assert (str(first.price), first.quantity, first.state, first.logistic_class) == (
        "19.99",
        4,
        "11",
        "S",
    )
    assert (str(first.discount_price), str(first.discount_start), str(first.discount_end)) == (
        "17.50",
        "2024-06-01",
        "2024-06-30",
    )
    assert first.channel_prices["ES_B2C"]["price"] == "21.00"
    assert first.additional_fields == {"warranty": "24"}
    report = alpha_api.get(f"/api/offers/imports/{import_id}/error_report?locale=en_US")
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    # Offer i of the array is line i + 2 (the header is line 1).
    assert [(line.split(";")[0], line.split(";")[-2:]) for line in lines[1:]] == [
        ("J-B", ["3", "The state of the product is unknown"]),
        ("J-C", ["4", "The product does not exist"]),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"offers", "The body is not valid JSON: Expecting value: line 1 column 1 (char 0)."),
        (json.dumps({"offers": [{**OF24_OFFERS[3], "quantity": "many"}]}).encode(),
         "Invalid offers body: offers[0].quantity: Input should be a valid integer, unable to "
         "parse string as an integer."),
    ],
)  # fmt: skip
def test_of24_refuses_a_body_of_the_wrong_shape(
    alpha_api: Client, tmp_media_root: Path, raw: bytes, message: str
) -> None:
    response = post_offers(alpha_api, raw)
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}
    assert (OfferImport.objects.count(), stored_files(tmp_media_root)) == (0, [])


def test_of24_over_the_limit_is_refused(alpha_api: Client, settings, tmp_media_root: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MERCATO_MAX_UPLOAD_BYTES = 100
    response = post_offers(alpha_api, {"offers": OF24_OFFERS})
    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert (OfferImport.objects.count(), stored_files(tmp_media_root)) == (0, [])


def test_of24_resets_what_an_offer_does_not_send(alpha: Any, alpha_api: Client) -> None:
    first = created(post_offers(alpha_api, {"offers": OF24_OFFERS[:1]}), "OF24")
    run_offer_import(first)
    offer = Offer.objects.get(shop=alpha.shop, sku="J-A")
    assert (offer.additional_fields, sorted(offer.channel_prices)) == (
        {"warranty": "24"},
        ["ES_B2C"],
    )
    bare = {"shop_sku": "J-A", "product_id": EAN[0], "product_id_type": "EAN", "price": 18,
            "state_code": "11", "update_delete": None}  # fmt: skip
    second = created(post_offers(alpha_api, {"offers": [bare]}), "OF24")
    run_offer_import(second)
    offer.refresh_from_db()
    assert (str(offer.price), offer.quantity, offer.logistic_class, offer.discount_price) == (
        "18.00",
        0,
        "",
        None,
    )
    assert (offer.additional_fields, offer.channel_prices) == ({}, {})
