from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter

from mercato.imports import readers
from mercato.imports.readers import FileFormat, UnreadableFile, detect_format, open_source


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def lines_of(path: Path) -> list[tuple[int, dict[str, str], int]]:
    source = open_source(path)
    return [(line.line, line.cells, line.extra_values) for line in source.lines()]


@pytest.mark.parametrize(
    "content",
    [
        b"sku;price\nA;1.5\nB;2\n",
        b"\xef\xbb\xbfsku;price\r\nA;1.5\r\nB;2\r\n",
        b"sku,price\nA,1.5\nB,2\n",
        b'"sku";"price"\n"A";"1.5"\n"B";"2"',
        b"sku\tprice\nA\t1.5\nB\t2\n",
    ],
    ids=["semicolon", "bom-crlf", "comma", "quoted-no-final-newline", "tab"],
)
def test_csv_dialects(tmp_path: Path, content: bytes) -> None:
    source = open_source(write(tmp_path, "offers.csv", content))
    assert source.format is FileFormat.CSV
    assert source.header == ["sku", "price"]
    assert [(line.line, line.cells) for line in source.lines()] == [
        (2, {"sku": "A", "price": "1.5"}),
        (3, {"sku": "B", "price": "2"}),
    ]


def test_csv_keeps_physical_line_numbers(tmp_path: Path) -> None:
    content = b'sku;description;price\nA;"two\nlines; quoted";1\n\n;;\nB;x;2;;\nC;y;3;extra\n'
    assert lines_of(write(tmp_path, "o.csv", content)) == [
        (2, {"sku": "A", "description": "two\nlines; quoted", "price": "1"}, 0),
        (6, {"sku": "B", "description": "x", "price": "2"}, 0),
        (7, {"sku": "C", "description": "y", "price": "3"}, 1),
    ]


def test_csv_prices_with_decimal_comma_in_semicolon_file(tmp_path: Path) -> None:
    assert lines_of(write(tmp_path, "o.csv", b"sku;price\nA;19,99\n")) == [
        (2, {"sku": "A", "price": "19,99"}, 0)
    ]


def test_not_utf8_names_the_line_and_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", "sku;title\nA;ok\nB;Téléphone\n".encode("cp1252"))
    with pytest.raises(UnreadableFile) as error:
        open_source(path)
    assert (error.value.code, error.value.reason.params) == ("not-utf8", {"line": 3, "byte": "E9"})
    assert error.value.render("en_US") == (
        "The file is not encoded in UTF-8 (line 3, byte 0xE9): save it as 'CSV UTF-8' from "
        "Excel, or convert it to UTF-8, and send it again."
    )
    assert error.value.message == error.value.render("fr_FR")


def test_multibyte_character_across_chunks_is_valid(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(readers, "_UTF8_CHECK_CHUNK", 7)
    content = "sku;title\nA;Téléphone éé\n".encode()
    assert lines_of(write(tmp_path, "o.csv", content)) == [
        (2, {"sku": "A", "title": "Téléphone éé"}, 0)
    ]


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as error:
        open_source(write(tmp_path, "o.csv", b"\n"))
    assert error.value.render("en_US") == "The file is empty: its first line must be the header."


def test_xlsx_first_sheet_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "offers.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Offres")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["sku", "price", "state", "discount-start-date", "active"])
    sheet.write_row(1, 0, ["A", 19.99, 11])
    sheet.write_datetime(1, 3, datetime(2026, 12, 1), date_format)
    sheet.write_boolean(1, 4, True)
    sheet.write_row(3, 0, ["B", 5])
    workbook.add_worksheet("Ignored").write_row(0, 0, ["x"])
    workbook.close()
    source = open_source(path)
    assert source.format is FileFormat.XLSX
    assert source.header == ["sku", "price", "state", "discount-start-date", "active"]
    assert [(line.line, line.cells) for line in source.lines()] == [
        (
            2,
            {
                "sku": "A",
                "price": "19.99",
                "state": "11",
                "discount-start-date": "2026-12-01",
                "active": "true",
            },
        ),
        (4, {"sku": "B", "price": "5"}),
    ]


def test_not_a_workbook(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as error:
        open_source(write(tmp_path, "o.xlsx", b"PK\x03\x04broken"))
    assert error.value.code == "not-a-workbook"
    assert "could not be read as an Excel workbook" in error.value.render("en_US")


XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<import>
  <offers>
    <offer>
      <sku>A</sku>
      <price>19.99</price>
      <discount><price>15</price><start-date>2026-12-01</start-date></discount>
      <offer-additional-fields>
        <offer-additional-field><code>warranty</code><value>24</value></offer-additional-field>
      </offer-additional-fields>
    </offer>
    <!-- a comment -->
    <offer>
      <sku>B</sku>
      <quantity>3</quantity>
    </offer>
  </offers>
</import>
"""


def test_xml_offers_flattened_to_columns(tmp_path: Path) -> None:
    source = open_source(write(tmp_path, "offers.xml", XML))
    assert source.format is FileFormat.XML
    assert source.header == [
        "sku",
        "price",
        "discount-price",
        "discount-start-date",
        "warranty",
        "quantity",
    ]
    assert [(line.line, line.cells) for line in source.lines()] == [
        (
            4,
            {
                "sku": "A",
                "price": "19.99",
                "discount-price": "15",
                "discount-start-date": "2026-12-01",
                "warranty": "24",
            },
        ),
        (13, {"sku": "B", "quantity": "3"}),
    ]


def test_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", b"TOP-SECRET")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">'
        '<!ENTITY y "yyyyyyyyyy">]>'
        "<import><offers><offer><sku>&x;</sku><description>&y;&y;</description></offer>"
        "</offers></import>"
    ).encode()
    lines = lines_of(write(tmp_path, "evil.xml", content))
    assert len(lines) == 1
    assert "TOP-SECRET" not in lines[0][1]["sku"]
    assert "yyyyyyyyyy" not in lines[0][1].get("description", "")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<import><offers><offer><sku>A</sku></offers></import>", "The XML file is malformed"),
        (b"<import><items/></import>", "The XML file holds no <offer> or <product> element."),
    ],
)
def test_bad_xml(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile) as error:
        open_source(write(tmp_path, "o.xml", content))
    assert error.value.render("en_US").startswith(reason)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.csv", b"sku;price", FileFormat.CSV),
        ("a.txt", b"PK\x03\x04...", FileFormat.XLSX),
        ("a.xlsx", b"garbage", FileFormat.XLSX),
        ("a.csv", b"\xef\xbb\xbf<?xml", FileFormat.XML),
        ("a.XML", b"sku", FileFormat.XML),
    ],
)
def test_detect_format(name: str, head: bytes, expected: FileFormat) -> None:
    assert detect_format(name, head) is expected


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (11.0, "11"), (19.99, "19.99"), (True, "true"), (date(2026, 1, 2), "2026-01-02")],
)
def test_cell_text(value: object, text: str) -> None:
    assert readers.cell_text(value) == text


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("sku", "sku"),
        (" sku* ", "sku"),
        ("title-fr_FR *", "title-fr_FR"),
        ("*", ""),
        ("a*b", "a*b"),
    ],
)
def test_a_templates_required_mark_is_not_part_of_the_column_name(raw: str, name: str) -> None:
    assert readers.column_name(raw) == name


def test_csv_and_xlsx_headers_are_read_without_the_required_mark(tmp_path: Path) -> None:
    csv_source = open_source(write(tmp_path, "o.csv", b"\xef\xbb\xbfsku*;price;ean *\nA;1;2\n"))
    assert csv_source.header == ["sku", "price", "ean"]
    path = tmp_path / "o.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for column, value in enumerate(["sku*", "price", "A", "1"]):
        sheet.write_string(column // 2, column % 2, value)
    book.close()
    assert [(line.line, line.cells) for line in open_source(path).lines()] == [
        (2, {"sku": "A", "price": "1"})
    ]
