import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from mercato.imports.models import OfferImport, OfferImportError
from mercato.imports.readers import open_source
from mercato.imports.reports import error_report_filename, write_error_report
from mercato.offers.export import neutralise
from mercato.shops.models import Shop

COLUMNS = ["sku", "price", "quantity", "description"]
PRICE = {"column": "price", "code": "price-invalid", "params": {"value": "12 €"}}
STATE = {"column": "state", "code": "state-unknown", "params": {}}
QUANTITY = {"column": "quantity", "code": "quantity-invalid", "params": {"value": "-3"}}
TOO_LONG = {"column": "", "code": "line-too-long", "params": {"count": 5, "expected": 4}}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_TYPE = "application/xml; charset=utf-8"


def make_import(shop: Shop, file_format: str = "CSV", columns: list[str] = COLUMNS) -> OfferImport:
    return OfferImport.objects.create(
        shop=shop,
        file_name="offers.csv",
        file_path="imports/offers.csv",
        file_sha256="0" * 64,
        file_format=file_format,
        columns=columns,
        status="COMPLETE",
    )


def add_error(offer_import: OfferImport, line: int, values: list[str], *issues: Any) -> None:
    OfferImportError.objects.create(
        offer_import=offer_import, line=line, values=values, issues=list(issues)
    )


@pytest.fixture
def offer_import(seller: Any) -> OfferImport:
    """Three refused lines, stored out of line order."""
    offer_import = make_import(seller.shop)
    add_error(offer_import, 7, ["C", "10", "-3", '=HYPERLINK("http://x")'], QUANTITY)
    add_error(offer_import, 2, ["A", "12 €", "5", 'Écran; "OLED"\nsur deux lignes'], PRICE, STATE)
    add_error(offer_import, 4, ["B", "9.5", "1", "", "extra"], TOO_LONG)
    return offer_import


def report(offer_import: OfferImport, locale: str = "fr_FR") -> tuple[bytes, str]:
    out = io.BytesIO()
    content_type = write_error_report(offer_import, out, locale)
    return out.getvalue(), content_type


FR_PRICE = (
    "Le prix « 12 € » n'est pas un nombre : retirez le symbole monétaire et les lettres "
    "(exemple : 19.99 ou 19,99)"
)
FR_STATE = "L'état du produit est inconnu"
FR_QUANTITY = "La quantité « -3 » doit être un nombre entier positif ou nul"
FR_TOO_LONG = "La ligne contient 5 valeurs pour 4 colonnes d'en-tête"


def test_csv_report_is_excel_friendly_and_in_line_order(offer_import: OfferImport) -> None:
    content, content_type = report(offer_import)
    assert content_type == CSV_TYPE
    expected = (
        "\ufeffsku;price;quantity;description;error-line;error-message\r\n"
        f'A;12 €;5;"Écran; ""OLED""\nsur deux lignes";2;{FR_PRICE} | {FR_STATE}\r\n'
        f"B;9.5;1;;4;{FR_TOO_LONG}\r\n"
        f'C;10;-3;"\'=HYPERLINK(""http://x"")";7;{FR_QUANTITY}\r\n'
    )
    assert content.decode("utf-8") == expected
    assert content.startswith(b"\xef\xbb\xbf")


def test_csv_report_in_english(offer_import: OfferImport) -> None:
    content, _ = report(offer_import, "en_US")
    rows = content.decode("utf-8-sig").split("\r\n")
    assert rows[0] == "sku;price;quantity;description;error-line;error-message"
    assert rows[1].endswith(
        ";2;The price '12 €' is not a number: remove the currency symbol and letters "
        "(for example 19.99 or 19,99) | The state of the product is unknown"
    )
    assert rows[2] == "B;9.5;1;;4;The line has 5 values for 4 header columns"
    assert rows[3] == (
        'C;10;-3;"\'=HYPERLINK(""http://x"")";7;'
        "The quantity '-3' must be a whole number, zero or more"
    )
    assert rows[4] == ""
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("- Livraison offerte", "'- Livraison offerte"),
        ("-3", "-3"),
        ("-3.5", "-3.5"),
        ("-3,5", "-3,5"),
        ("+33", "+33"),
        ("19.99", "19.99"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_formula_cells_are_neutralised_but_plain_numbers_are_kept(value: str, written: str) -> None:
    assert neutralise(value) == written


def test_csv_report_neutralises_the_header_too(seller: Any) -> None:
    offer_import = make_import(seller.shop, columns=["sku", "=cmd"])
    add_error(offer_import, 2, ["@A", "+1"], STATE)
    content, _ = report(offer_import)
    assert content.decode("utf-8-sig") == (
        f"sku;'=cmd;error-line;error-message\r\n'@A;+1;2;{FR_STATE}\r\n"
    )


def test_xlsx_report_cells_are_strings_never_formulas(seller: Any) -> None:
    offer_import = make_import(seller.shop, "XLSX")
    add_error(offer_import, 3, ["B", "=1+2", "-3", "Très bien"], QUANTITY)
    add_error(offer_import, 2, ["A", "12 €"], PRICE, STATE)
    content, content_type = report(offer_import)
    assert content_type == XLSX_TYPE
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows == [
        ["sku", "price", "quantity", "description", "error-line", "error-message"],
        ["A", "12 €", "", "", "2", f"{FR_PRICE} | {FR_STATE}"],
        ["B", "=1+2", "-3", "Très bien", "3", FR_QUANTITY],
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist().count("xl/worksheets/sheet1.xml") == 1
        assert "xl/worksheets/sheet2.xml" not in archive.namelist()
        sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    assert sheet.findall(".//m:f", ns) == []
    header_styles = {c.get("s") for c in sheet.findall(".//m:row[@r='1']/m:c", ns)}
    assert len(header_styles) == 1
    (style,) = header_styles
    font = int(styles.findall(".//m:cellXfs/m:xf", ns)[int(style)].get("fontId"))
    assert styles.findall(".//m:fonts/m:font", ns)[font].find("m:b", ns) is not None
    widths = [float(c.get("width")) for c in sheet.findall(".//m:cols/m:col", ns)]
    # Each column as wide as its longest value (the messages capped), plus a margin.
    assert widths[:5] == [5.7109375, 7.7109375, 10.7109375, 13.7109375, 12.7109375]
    assert widths[5] == 62.7109375


def test_xml_report_escapes_and_reimports(seller: Any, tmp_path: Path) -> None:
    columns = ["sku", "price", "description", "warranty"]
    offer_import = make_import(seller.shop, "XML", columns)
    add_error(offer_import, 12, ["B<&>", "12 €", 'dit "ok" \x01', "24"], PRICE)
    add_error(offer_import, 5, ["A", "", "", ""], STATE)
    content, content_type = report(offer_import)
    assert content_type == XML_TYPE
    assert content.decode() == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<import><offers>\n"
        "<offer><sku>A</sku><price></price><description></description><warranty></warranty>"
        f"<error-line>5</error-line><error-message>{FR_STATE}</error-message></offer>\n"
        "<offer><sku>B&lt;&amp;&gt;</sku><price>12 €</price>"
        '<description>dit "ok" </description><warranty>24</warranty>'
        f"<error-line>12</error-line><error-message>{FR_PRICE}</error-message></offer>\n"
        "</offers></import>"
    )
    path = tmp_path / "report.xml"
    path.write_bytes(content)
    source = open_source(path)
    assert source.header == [*columns, "error-line", "error-message"]
    assert [line.cells["sku"] for line in source.lines()] == ["A", "B<&>"]


def test_xml_report_keeps_a_column_that_is_no_element_name(seller: Any) -> None:
    offer_import = make_import(seller.shop, "XML", ["sku", "price[channel=ES_B2C]"])
    add_error(offer_import, 3, ["A", "x"], STATE)
    content, _ = report(offer_import, "en_US")
    offer = etree.fromstring(content).find("offers/offer")
    assert offer is not None
    assert [(c.tag, dict(c.attrib), c.text) for c in offer] == [
        ("sku", {}, "A"),
        ("column", {"name": "price[channel=ES_B2C]"}, "x"),
        ("error-line", {}, "3"),
        ("error-message", {}, "The state of the product is unknown"),
    ]


def test_a_report_without_errors_is_its_header(seller: Any) -> None:
    content, _ = report(make_import(seller.shop))
    assert content == "\ufeffsku;price;quantity;description;error-line;error-message\r\n".encode()


def test_many_errors_come_out_all_in_line_order(seller: Any) -> None:
    offer_import = make_import(seller.shop, columns=["sku"])
    OfferImportError.objects.bulk_create(
        OfferImportError(offer_import=offer_import, line=line, values=[f"S{line}"], issues=[STATE])
        for line in range(4501, 1, -1)
    )
    rows = report(offer_import)[0].decode("utf-8-sig").split("\r\n")
    assert len(rows) == 4502
    assert rows[1] == f"S2;2;{FR_STATE}"
    assert rows[-2] == f"S4501;4501;{FR_STATE}"
    assert [int(row.split(";")[1]) for row in rows[1:-1]] == list(range(2, 4502))


@pytest.mark.parametrize(
    ("file_format", "name"),
    [("CSV", "csv"), ("XLSX", "xlsx"), ("XML", "xml"), ("", "csv"), ("JSON", "csv")],
)
def test_report_filename_follows_the_submitted_format(
    seller: Any,
    file_format: str,
    name: str,
) -> None:
    offer_import = make_import(seller.shop, file_format)
    assert error_report_filename(offer_import) == f"offer-import-{offer_import.id}-errors.{name}"
