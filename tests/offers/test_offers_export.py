import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from python_calamine import CalamineWorkbook

from mercato.catalog.models import Category, Product, ProductIdentifier
from mercato.errors import InvalidInput
from mercato.imports.models import OfferImport
from mercato.imports.services import create_offer_import, run_offer_import
from mercato.offers import export as export_module
from mercato.offers.export import export_offers
from mercato.offers.models import Offer
from mercato.shops.models import Shop

# conftest's `make_seller`: name and create_shop's keywords -> a seller with `.shop`.
MakeSeller = Callable[..., Any]
pytestmark = pytest.mark.usefixtures("reference_marketplace")

HEADER = [
    "sku",
    "product-id",
    "product-id-type",
    "price",
    "quantity",
    "state",
    "discount-price",
    "discount-start-date",
    "discount-end-date",
    "leadtime-to-ship",
    "logistic-class",
    "description",
    "internal-description",
    "price-additional-info",
    "warranty",
    "warehouse-location",
]
ES_COLUMNS = [
    "price[channel=ES_B2C]",
    "discount-price[channel=ES_B2C]",
    "discount-start-date[channel=ES_B2C]",
    "discount-end-date[channel=ES_B2C]",
]
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ean13(n: int) -> str:
    body = f"{300000000000 + n:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def product(n: int) -> Product:
    return ProductIdentifier.objects.get(type="EAN", value=ean13(n)).product


@pytest.fixture
def shop(reference_marketplace: None, make_seller: MakeSeller) -> Shop:
    return make_seller("Boutique Export", channels=["FR_B2C", "ES_B2C"]).shop


@pytest.fixture
def offers(shop: Shop, make_seller: MakeSeller) -> None:
    """Three offers of `shop`, one of another shop; sku order is binary (uppercase first)."""
    no_ean = Product.objects.create(
        product_sku="MP-NOEAN", category=Category.objects.get(code="smartphones"), title="X"
    )
    Offer.objects.create(
        shop=shop, sku="a-1", product=no_ean, state="10", quantity=0, price=Decimal("7")
    )
    Offer.objects.create(
        shop=shop,
        sku="B-2",
        product=product(1),
        state="11",
        quantity=5,
        price=Decimal("19.9"),
        discount_price=Decimal("15.00"),
        discount_start=date(2026, 12, 1),
        discount_end=date(2026, 12, 31),
        leadtime_to_ship=2,
        logistic_class="M",
        description='Écran; "OLED"\nen deux lignes',
        internal_description="=interne",
        price_additional_info="Éco-part 0,50 €",
        additional_fields={"warranty": "24", "warehouse-location": "France"},
        channel_prices={
            "ES_B2C": {
                "price": "21.00",
                "discount_price": "20.5",
                "discount_start": "2026-12-02",
                "discount_end": None,
            }
        },
    )
    Offer.objects.create(shop=shop, sku="C-3", product=product(2), state="11", quantity=1)
    other = make_seller("Boutique Autre").shop
    Offer.objects.create(shop=other, sku="A-0", product=product(3), state="11", quantity=9)


B2_ROW = [
    "B-2",
    ean13(1),
    "EAN",
    "19.90",
    "5",
    "11",
    "15.00",
    "2026-12-01",
    "2026-12-31",
    "2",
    "M",
    'Écran; "OLED"\nen deux lignes',
    "=interne",
    "Éco-part 0,50 €",
    "24",
    "France",
    "21.00",
    "20.50",
    "2026-12-02",
    "",
]
C3_ROW = ["C-3", ean13(2), "EAN", "", "1", "11", *[""] * 14]
A1_ROW = ["a-1", "MP-NOEAN", "SKU", "7.00", "0", "10", *[""] * 14]


def export(shop: Shop, file_format: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    content_type = export_offers(shop, out, file_format)
    return out.getvalue(), content_type


@pytest.mark.usefixtures("offers")
def test_csv_export_has_the_import_columns_and_every_offer_by_sku(shop: Shop) -> None:
    content, content_type = export(shop, "CSV")
    assert content_type == CSV_TYPE
    assert content.decode("utf-8") == (
        "\ufeff" + ";".join(HEADER + ES_COLUMNS) + "\r\n"
        f"B-2;{ean13(1)};EAN;19.90;5;11;15.00;2026-12-01;2026-12-31;2;M;"
        '"Écran; ""OLED""\nen deux lignes";=interne;Éco-part 0,50 €;24;France;'
        "21.00;20.50;2026-12-02;\r\n"
        f"C-3;{ean13(2)};EAN;;1;11;;;;;;;;;;;;;;\r\n"
        "a-1;MP-NOEAN;SKU;7.00;0;10;;;;;;;;;;;;;;\r\n"
    )


@pytest.mark.usefixtures("offers")
def test_xlsx_export_writes_numbers_as_numbers_and_codes_as_text(shop: Shop) -> None:
    content, content_type = export(shop, "XLSX")
    assert content_type == XLSX_TYPE
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    number = {3: 19.9, 4: 5.0, 6: 15.0, 9: 2.0, 16: 21.0, 17: 20.5}
    assert rows == [
        HEADER + ES_COLUMNS,
        [number.get(i, value) for i, value in enumerate(B2_ROW)],
        ["C-3", ean13(2), "EAN", "", 1.0, "11", *[""] * 14],
        ["a-1", "MP-NOEAN", "SKU", 7.0, 0.0, "10", *[""] * 14],
    ]


def test_a_shop_on_the_default_channel_only_has_no_channel_columns(
    reference_marketplace: None,
    make_seller: MakeSeller,
) -> None:
    shop = make_seller("Boutique FR").shop
    Offer.objects.create(shop=shop, sku="X", product=product(4), state="11", price=Decimal(3))
    content, _ = export(shop, "CSV")
    assert content.decode("utf-8-sig").split("\r\n") == [
        ";".join(HEADER),
        f"X;{ean13(4)};EAN;3.00;0;11;;;;;;;;;;",
        "",
    ]


def test_a_shop_without_offers_gets_the_header(shop: Shop) -> None:
    content, _ = export(shop, "xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows == [HEADER + ES_COLUMNS]


def test_an_unknown_format_is_refused(shop: Shop) -> None:
    with pytest.raises(InvalidInput, match=r"^Unknown export format 'ods': use csv or xlsx\.$"):
        export(shop, "ods")


# Every import column, both channels, discounts with and without dates, empty values.
ROUND_TRIP_HEADER = HEADER + ES_COLUMNS
ROUND_TRIP_LINES = [
    f"S-1;{ean13(10)};EAN;19.9;5;11;15;2026-12-01;2026-12-31;2;M;Écran;note;Éco-part;24;France;"
    "21;20.5;2026-12-02;2026-12-20",
    f"S-2;{ean13(11)};EAN;12,50;0;10;;;;;;;;;;;;;;",
    f"s-3;{ean13(12)};EAN;100;7;12;90;;;0;XL;;;;120;Espana;99.99;;;",
    f'S-4;{ean13(13)};EAN;5.00;1;13;4.5;;2026-01-31;;S;"un; deux";;;;Hors_Zone_EU;;;;',
]


def import_file(shop: Shop, content: bytes, name: str) -> OfferImport:
    offer_import, _ = create_offer_import(
        shop, content=io.BytesIO(content), file_name=name, mode="NORMAL", origin="API"
    )
    run_offer_import(offer_import.id)
    offer_import.refresh_from_db()
    return offer_import


def counters(offer_import: OfferImport) -> dict[str, Any]:
    fields = ("status", "lines_read", "lines_in_success", "lines_in_error")
    counts = ("offer_inserted", "offer_updated", "offer_deleted")
    return {name: getattr(offer_import, name) for name in fields + counts}


# Every value an import sets, and the time of the offer's last change (not `row_hash`, the
# digest of the last line read: a file that writes 19.90 for 19.9 changes it, not the offer).
STORED = (
    "sku", "product_id", "state", "quantity", "price", "discount_price", "discount_start",
    "discount_end", "channel_prices", "logistic_class", "leadtime_to_ship", "description",
    "internal_description", "price_additional_info", "additional_fields", "updated_at",
)  # fmt: skip


def stored(shop: Shop) -> list[tuple[Any, ...]]:
    return list(Offer.objects.filter(shop=shop).order_by("id").values_list(*STORED))


@pytest.mark.parametrize("file_format", ["CSV", "XLSX"])
def test_reimporting_the_export_unchanged_changes_no_offer(
    shop: Shop,
    file_format: str,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    content = "\n".join([";".join(ROUND_TRIP_HEADER), *ROUND_TRIP_LINES]) + "\n"
    first = import_file(shop, content.encode(), "offers.csv")
    assert counters(first) == {
        "status": "COMPLETE",
        "lines_read": 4,
        "lines_in_success": 4,
        "lines_in_error": 0,
        "offer_inserted": 4,
        "offer_updated": 0,
        "offer_deleted": 0,
    }
    before = stored(shop)
    exported, _ = export(shop, file_format)
    again = import_file(shop, exported, f"export.{file_format.lower()}")
    assert again.file_format == file_format
    assert counters(again) == {
        "status": "COMPLETE",
        "lines_read": 4,
        "lines_in_success": 4,
        "lines_in_error": 0,
        "offer_inserted": 0,
        "offer_updated": 0,
        "offer_deleted": 0,
    }
    assert stored(shop) == before


def test_an_edited_export_changes_only_the_edited_offer(
    shop: Shop,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
    content = "\n".join([";".join(ROUND_TRIP_HEADER), *ROUND_TRIP_LINES]) + "\n"
    import_file(shop, content.encode(), "offers.csv")
    exported = export(shop, "CSV")[0].decode("utf-8-sig")
    edited = exported.replace(f"S-2;{ean13(11)};EAN;12.50;0;", f"S-2;{ean13(11)};EAN;11.00;3;")
    assert edited != exported
    again = import_file(shop, edited.encode("utf-8-sig"), "export.csv")
    assert (again.lines_in_error, again.offer_inserted, again.offer_updated) == (0, 0, 1)
    assert Offer.objects.filter(shop=shop, sku="S-2").values_list("price", "quantity").get() == (
        Decimal("11.00"),
        3,
    )


@pytest.mark.usefixtures("offers")
def test_the_api_exports_the_callers_shop_only(make_seller: MakeSeller) -> None:
    caller = make_seller("Boutique Appelante")
    Offer.objects.create(shop=caller.shop, sku="Z", product=product(5), state="11", quantity=2)
    api = Client(HTTP_AUTHORIZATION=caller.key)
    response = api.get("/api/offers/export/import-format")
    assert response.status_code == 200
    assert response["Content-Type"] == CSV_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="offers-{caller.shop.id}.csv"'
    )
    assert b"".join(response.streaming_content).decode("utf-8-sig") == (  # type: ignore[attr-defined]
        ";".join(HEADER) + f"\r\nZ;{ean13(5)};EAN;;2;11;;;;;;;;;;\r\n"
    )


@pytest.mark.usefixtures("offers")
def test_the_api_exports_xlsx(shop: Shop) -> None:
    api = Client(HTTP_AUTHORIZATION=shop_key(shop))
    response = api.get("/api/offers/export/import-format?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="offers-{shop.id}.xlsx"'
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows] == ["sku", "B-2", "C-3", "a-1"]


def shop_key(shop: Shop) -> str:
    from mercato.shops.services import issue_shop_api_key

    return issue_shop_api_key(shop.id)


def test_the_api_refuses_an_unknown_format_and_another_shop(
    shop: Shop, make_seller: MakeSeller
) -> None:
    api = Client(HTTP_AUTHORIZATION=shop_key(shop))
    response = api.get("/api/offers/export/import-format?format=ods")
    assert (response.status_code, response.json()) == (
        400,
        {"message": "Unknown export format 'ods': use csv or xlsx.", "status": 400},
    )
    other = make_seller("Boutique Voisine").shop
    response = api.get(f"/api/offers/export/import-format?shop_id={other.id}")
    assert (response.status_code, response.json()) == (
        403,
        {"message": f"Access denied to shop {other.id}.", "status": 403},
    )


@pytest.mark.usefixtures("offers")
def test_the_command_writes_the_export(shop: Shop, tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "offres.xlsx"
    call_command(
        "export", "offers", "--shop", str(shop.id), "--format", "xlsx", str(path), stdout=out
    )
    assert out.getvalue() == f"Exported 3 offer(s) of shop {shop.id} to {path}.\n"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[:6] for row in rows] == [
        HEADER[:6],
        ["B-2", ean13(1), "EAN", 19.9, 5.0, "11"],
        ["C-3", ean13(2), "EAN", "", 1.0, "11"],
        ["a-1", "MP-NOEAN", "SKU", 7.0, 0.0, "10"],
    ]
    csv_path = tmp_path / "offres.csv"
    call_command("export", "offers", "--shop", str(shop.id), str(csv_path), stdout=out)
    assert csv_path.read_bytes() == export(shop, "CSV")[0]


def test_the_command_refuses_an_unknown_shop_and_writes_nothing(db: None, tmp_path: Path) -> None:
    path = tmp_path / "offres.csv"
    with pytest.raises(CommandError, match=r"^Shop 999 does not exist\.$"):
        call_command("export", "offers", "--shop", "999", str(path))
    assert not path.exists()


@pytest.mark.usefixtures("offers")
def test_an_xlsx_export_beyond_the_sheets_rows_fails_rather_than_drop_offers(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "XLSX_MAX_ROWS", 3)
    with pytest.raises(
        InvalidInput, match=r"^An Excel sheet holds 2 lines at most: export as CSV\.$"
    ):
        export(shop, "XLSX")
    monkeypatch.setattr(export_module, "XLSX_MAX_ROWS", 4)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export(shop, "XLSX")[0]))
    assert len(rows.get_sheet_by_index(0).to_python()) == 4
