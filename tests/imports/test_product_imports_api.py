"""P41 (import products), P42/P51 (track), P47 (transformation report), P46 (transformed
file), P44 (non-integrated products) and P45 (added products)."""

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult
from product_files import CATALOG_EAN, HEADER, ean13, phone, product_file

from contract import assert_matches_contract
from mercato.catalog.models import Product
from mercato.imports.models import ProductImport
from mercato.imports.services import run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

ZERO_DETAILS = {
    "invalid_products": 0,
    "products_not_accepted_in_time": 0,
    "products_not_synchronized_in_time": 0,
    "products_reimported": 0,
    "products_successfully_synchronized": 0,
    "products_with_synchronization_issues": 0,
    "products_with_wrong_identifiers": 0,
    "rejected_products": 0,
}


def post_file(client: Client, content: bytes, name: str = "products.csv", **fields: str) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/api/products/imports", {"file": upload, **fields})


def created(response: Any) -> int:
    assert response.status_code == 201, response.content
    body = response.json()
    assert_matches_contract("P41", 201, body)
    assert response["Location"] == f"/api/products/imports/{body['import_id']}"
    import_id: int = body["import_id"]
    return import_id


def status_of(client: Client, import_id: int) -> Any:
    response = client.get(f"/api/products/imports/{import_id}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_contract("P42", 200, body)
    return body


def imported(
    client: Client, content: bytes, name: str = "products.csv", **fields: str
) -> tuple[int, Any]:
    import_id = created(post_file(client, content, name, **fields))
    run_product_import(import_id)
    return import_id, status_of(client, import_id)


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_p41_stores_the_file_and_queues_one_job(
    seller: Any, api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    content = product_file(phone(1))
    with django_capture_on_commit_callbacks(execute=True):
        import_id = created(post_file(api, content, operator_format="true"))
    product_import = ProductImport.objects.get()
    assert (product_import.id, product_import.shop_id, product_import.status) == (
        import_id,
        seller.shop.id,
        "TRANSFORMATION_WAITING",
    )
    assert product_import.operator_format is True
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [import_id], "kwargs": {}}
    assert Product.objects.filter(shop=seller.shop).count() == 0
    body = status_of(api, import_id)
    assert body["import_status"] == "TRANSFORMATION_WAITING"
    assert body["integration_details"] == ZERO_DETAILS
    assert (body["has_transformed_file"], body["has_transformation_error_report"]) == (
        False,
        False,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "The request has no file: send it as the multipart/form-data part 'file'."),
        (
            {"operator_format": "maybe"},
            "Parameter 'operator_format' must be true or false, got 'maybe'.",
        ),
        (
            {"operator_format": "false", "conversion_type": "AI_CONVERTER"},
            "Parameter 'conversion_type': AI_CONVERTER is not supported; send STANDARD or leave "
            "it out.",
        ),
    ],
)
def test_p41_refuses_a_bad_form(api: Client, fields: dict[str, str], message: str) -> None:
    if "operator_format" in fields:
        response = post_file(api, product_file(phone(1)), **fields)
    else:
        response = api.post("/api/products/imports", fields)
    assert response.status_code == 400
    assert response.json() == {"message": message, "status": 400}
    assert ProductImport.objects.count() == 0


def test_a_clean_file_is_transformed_then_integrated_waiting_for_review(
    seller: Any, api: Client
) -> None:
    import_id, body = imported(api, product_file(phone(1), phone(2)), operator_format="true")
    assert body["import_status"] == "COMPLETE"
    assert {k: body[k] for k in body if k.startswith("transform_")} == {
        "transform_lines_read": 2,
        "transform_lines_in_success": 2,
        "transform_lines_in_error": 0,
        "transform_lines_with_warning": 0,
    }
    assert body["integration_details"] == {
        **ZERO_DETAILS,
        "products_successfully_synchronized": 2,
    }
    assert (
        body["has_transformed_file"],
        body["has_transformation_error_report"],
        body["has_new_product_report"],
        body["has_error_report"],
    ) == (True, False, True, False)
    products = Product.objects.filter(shop=seller.shop).order_by("shop_sku")
    assert [(p.shop_sku, p.status, p.category.code) for p in products] == [
        ("S-1", "PENDING", "smartphones"),
        ("S-2", "PENDING", "smartphones"),
    ]
    assert products[0].attributes["repairability-index"] == "8.5"
    assert [i.value for i in products[0].identifiers.all()] == [ean13(1)]
    added = csv_rows(api.get(f"/api/products/imports/{import_id}/new_product_report"))
    advice = (
        "Écrivez une description d'au moins 100 caractères. Renseignez plus d'attributs : "
        "network-5g, das-head. Ajoutez des photos : 1 sur 2 au moins. Ajoutez des arguments "
        "clés."
    )
    assert added == [
        ["line", "sku", "ean", "category", "product-sku", "integration", "product-status",
         "quality-score", "quality-advice"],
        ["2", "S-1", ean13(1), "smartphones", products[0].product_sku, "CREATED", "PENDING",
         "48", advice],
        ["3", "S-2", ean13(2), "smartphones", products[1].product_sku, "CREATED", "PENDING",
         "48", advice],
    ]  # fmt: skip
    assert api.get(f"/api/products/imports/{import_id}/error_report").status_code == 404


def test_lines_refused_for_their_ean_count_as_wrong_identifiers(api: Client) -> None:
    lines = (
        phone(1),
        phone(2, ean="3000000000001"),  # wrong check digit: 2018
        phone(3, ean=ean13(1)),  # the EAN of line 2 again: 2021
        phone(4, title_fr_FR=""),  # refused, but not for its identifier
    )
    _, body = imported(api, product_file(*lines), operator_format="true")
    assert (body["transform_lines_read"], body["transform_lines_in_error"]) == (4, 3)
    assert body["integration_details"] == {
        **ZERO_DETAILS,
        "products_successfully_synchronized": 1,
        "products_with_wrong_identifiers": 2,
    }


def test_a_trusted_shop_goes_live_and_a_known_ean_is_matched(make_seller: Any) -> None:
    trusted = make_seller("Boutique Confiance")
    trusted.shop.auto_accept_products = True
    trusted.shop.save(update_fields=["auto_accept_products"])
    client = Client(HTTP_AUTHORIZATION=trusted.key)
    before = Product.objects.count()
    import_id, body = imported(
        client, product_file(phone(1), phone(2, ean=CATALOG_EAN)), operator_format="true"
    )
    assert body["integration_details"] == {
        **ZERO_DETAILS,
        "products_reimported": 1,
        "products_successfully_synchronized": 2,
    }
    assert Product.objects.count() == before + 1
    [new] = Product.objects.filter(shop=trusted.shop)
    assert (new.shop_sku, new.status) == ("S-1", "LIVE")
    matched = Product.objects.get(identifiers__value=CATALOG_EAN)
    rows = csv_rows(client.get(f"/api/products/imports/{import_id}/new_product_report"))
    assert [row[:7] for row in rows[1:]] == [
        ["2", "S-1", ean13(1), "smartphones", new.product_sku, "CREATED", "LIVE"],
        ["3", "S-2", CATALOG_EAN, "smartphones", matched.product_sku, "MATCHED", "LIVE"],
    ]
    # The catalog's product has two pictures and selling points, a short description.
    assert rows[2][7:] == [
        "83",
        "Écrivez une description d'au moins 100 caractères. Renseignez plus d'attributs : "
        "das-head.",
    ]


def test_the_transformation_report_keeps_the_file_and_adds_errors_and_warnings(
    api: Client,
) -> None:
    lines = [
        phone(1),
        phone(2, category="inconnue"),  # 1001
        phone(3, ram="8,5"),  # 3010: ram is recommended, the value is dropped
        phone(4, screen_size="grand"),  # 2011
        phone(5, storage="3TB", color="fuchsia"),  # 2006 and 3006
        phone(6, title_fr_FR=""),  # 1000
        phone(7, screen_size="6,1"),
        phone(8) + ";extra",  # 1002
    ]
    import_id, body = imported(api, product_file(*lines), operator_format="true")
    assert {k: body[k] for k in body if k.startswith("transform_")} == {
        "transform_lines_read": 8,
        "transform_lines_in_success": 3,
        "transform_lines_in_error": 5,
        "transform_lines_with_warning": 1,
    }
    response = api.get(f"/api/products/imports/{import_id}/transformation_error_report")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0] == [*HEADER.split(";"), "errors", "warnings"]
    assert [row[-2:] for row in rows[1:]] == [
        ["1001|La catégorie inconnue est inconnue", ""],
        ["", "3010|L'attribut ram doit être un entier"],
        ["2011|L'attribut screen-size doit être numérique", ""],
        [
            "2006|L'attribut storage-capacity n'est pas dans les valeurs possibles définies "
            "dans la liste de valeurs",
            "3006|L'attribut color n'est pas dans les valeurs possibles définies dans la liste "
            "de valeurs",
        ],
        ["1000|L'attribut title-fr_FR est obligatoire", ""],
        ["1002|Nombre de champs incorrect", ""],
    ]
    assert rows[1][:-2] == lines[1].split(";")
    english = csv_rows(
        api.get(f"/api/products/imports/{import_id}/transformation_error_report?locale=en_US")
    )
    assert english[3][-2:] == ["2011|The attribute screen-size must be numeric", ""]
    transformed = csv_rows(api.get(f"/api/products/imports/{import_id}/transformed_file"))
    assert transformed[0] == HEADER.split(";")
    assert [row[1] for row in transformed[1:]] == ["S-1", "S-3", "S-7"]
    assert transformed[2][-1] == ""  # the warned ram is left out
    assert body["integration_details"]["products_successfully_synchronized"] == 3


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def test_an_xlsx_file_gets_its_transformation_report_as_xlsx(api: Client) -> None:
    from python_calamine import CalamineWorkbook

    rows = [HEADER.split(";"), phone(1).split(";"), phone(2, ram="=1+1").split(";")]
    import_id, body = imported(api, xlsx_bytes(rows), name="products.xlsx", operator_format="true")
    assert (body["transform_lines_in_success"], body["transform_lines_with_warning"]) == (2, 1)
    response = api.get(f"/api/products/imports/{import_id}/transformation_error_report")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="product-import-{import_id}-transformation-errors.xlsx"'
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert sheet.get_sheet_by_index(0).to_python() == [
        [*HEADER.split(";"), "errors", "warnings"],
        [*rows[2], "", "3010|L'attribut ram doit être un entier"],
    ]


def test_an_xml_file_gets_its_transformation_report_as_xml(api: Client) -> None:
    from lxml import etree

    def product(n: int, **changes: str) -> str:
        cells = dict(zip(HEADER.split(";"), phone(n, **changes).split(";"), strict=True))
        return "<product>" + "".join(f"<{k}>{v}</{k}>" for k, v in cells.items()) + "</product>"

    content = f"<import><products>{product(1)}\n{product(2, brand='acme')}</products></import>"
    import_id, body = imported(api, content.encode(), name="p.xml", operator_format="true")
    assert (body["transform_lines_in_success"], body["transform_lines_in_error"]) == (1, 1)
    response = api.get(f"/api/products/imports/{import_id}/transformation_error_report")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(b"".join(response.streaming_content))
    [line] = root.findall("products/product")
    assert (line.findtext("sku"), line.findtext("brand"), line.findtext("warnings")) == (
        "S-2",
        "acme",
        "",
    )
    assert line.findtext("errors") == (
        "2006|L'attribut brand n'est pas dans les valeurs possibles définies dans la liste de "
        "valeurs"
    )


def test_the_csv_transformation_report_neutralises_formulas(api: Client) -> None:
    import_id, _ = imported(
        api, product_file(phone(1, title_fr_FR="=HYPERLINK(1)", brand="")), operator_format="true"
    )
    rows = csv_rows(api.get(f"/api/products/imports/{import_id}/transformation_error_report"))
    assert rows[1][3] == "'=HYPERLINK(1)"
    assert rows[1][-2] == "1000|L'attribut brand est obligatoire"


PRODUCT_OPERATIONS = {
    "P41": ("POST", "/api/products/imports"),
    "P42": ("GET", "/api/products/imports/{import}"),
    "P44": ("GET", "/api/products/imports/{import}/error_report"),
    "P45": ("GET", "/api/products/imports/{import}/new_product_report"),
    "P46": ("GET", "/api/products/imports/{import}/transformed_file"),
    "P47": ("GET", "/api/products/imports/{import}/transformation_error_report"),
    "P51": ("GET", "/api/products/imports"),
}


def test_the_docs_show_the_product_import_operations_as_the_contract(client: Client) -> None:
    from contract import contract_operation

    schema = client.get("/api/openapi.json").json()
    ours = {
        operation["operationId"]: (method.upper(), path, operation)
        for path, path_item in schema["paths"].items()
        for method, operation in path_item.items()
    }
    for operation_id, (method, path) in PRODUCT_OPERATIONS.items():
        contract_method, contract_path, contract = contract_operation(operation_id)
        our_method, our_path, operation = ours[operation_id]
        assert (our_method, our_path) == (contract_method, contract_path) == (method, path)
        assert operation["summary"] == contract["summary"]
        contract_parameters = {p["name"] for p in contract.get("parameters", [])}
        assert contract_parameters - {p["name"] for p in operation["parameters"]} == set()


def test_file_wide_rules_duplicated_ean_non_leaf_category_duplicated_header(api: Client) -> None:
    lines = [phone(1), phone(2, ean=ean13(1)), phone(3, category="telephonie")]
    import_id, body = imported(api, product_file(*lines), operator_format="true")
    assert (body["transform_lines_in_success"], body["transform_lines_in_error"]) == (1, 2)
    rows = csv_rows(api.get(f"/api/products/imports/{import_id}/transformation_error_report"))
    assert [(row[1], row[-2]) for row in rows[1:]] == [
        ("S-2", f"2021|L'EAN {ean13(1)} est déjà utilisé par le produit de la ligne 2"),
        ("S-3", "2020|La catégorie telephonie n'est pas une catégorie feuille"),
    ]

    header = HEADER + ";sku"
    import_id, body = imported(
        api, product_file(phone(4) + ";S-4", header=header), operator_format="true"
    )
    assert (body["transform_lines_in_success"], body["transform_lines_in_error"]) == (0, 1)
    assert body["import_status"] == "COMPLETE"
    rows = csv_rows(api.get(f"/api/products/imports/{import_id}/transformation_error_report"))
    assert rows[0] == [*header.split(";"), "errors", "warnings"]
    assert rows[1][-2:] == ["1002|Nombre de champs incorrect", ""]
