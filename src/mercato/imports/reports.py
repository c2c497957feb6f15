"""The error report of an offer import: each refused line as sent, with why it was refused.

Written in the format the seller sent (CSV, XLSX or XML) so that they fix the lines in the
tool they used and send the report back as an import file: every submitted column as sent,
then `error-line` (the line in the submitted file) and `error-message` (the line's errors,
joined with " | ", in the reader's language). Errors are streamed in line order, a chunk at a
time, whatever their number.

A report cannot inject formulas into a spreadsheet: in CSV a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return is prefixed with `'` (plain numbers such as `-3` are
kept as sent, see `neutralise`); in XLSX every value is a string cell, never a formula.
"""

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from mercato.imports.models import OfferImport, OfferImportError
from mercato.imports.selectors import import_errors
from mercato.offers.export import CONTENT_TYPES, CsvSheet, XlsxSheet
from mercato.offers.offer_errors import render

REPORT_COLUMNS = ("error-line", "error-message")
MESSAGE_SEPARATOR = " | "
_EXTENSIONS = {"CSV": "csv", "XLSX": "xlsx", "XML": "xml"}
# Characters XML 1.0 cannot carry, even escaped: a CSV value may hold them, a report may not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def report_format(offer_import: OfferImport) -> str:
    """The format of the file that was sent; CSV for JSON bodies (stored as CSV)."""
    return offer_import.file_format if offer_import.file_format in _EXTENSIONS else "CSV"


def error_report_filename(offer_import: OfferImport) -> str:
    return f"offer-import-{offer_import.id}-errors.{_EXTENSIONS[report_format(offer_import)]}"


def error_message(error: OfferImportError, locale: str) -> str:
    """Every error of the line, in the order found, in `locale`'s language."""
    return MESSAGE_SEPARATOR.join(
        render(issue["code"], locale, **issue.get("params", {})) for issue in error.issues
    )


def _report_rows(offer_import: OfferImport, locale: str) -> Iterator[list[str]]:
    """Each refused line: its values cut or padded to the header, its line, its errors.

    Values beyond the header are left out: the line's `line-too-long` error says so.
    """
    width = len(offer_import.columns)
    for error in import_errors(offer_import):
        values = [str(v) for v in error.values[:width]]
        values += [""] * (width - len(values))
        yield [*values, str(error.line), error_message(error, locale)]


def write_error_report(offer_import: OfferImport, out: IO[bytes], locale: str = "fr_FR") -> str:
    """Write the import's error report to `out`, in the submitted format; its content type."""
    file_format = report_format(offer_import)
    header = [*offer_import.columns, *REPORT_COLUMNS]
    return write_report(out, file_format, header, _report_rows(offer_import, locale))


def write_report(
    out: IO[bytes],
    file_format: str,
    header: list[str],
    rows: Iterator[list[str]],
    records: tuple[str, str] = ("offers", "offer"),
) -> str:
    """A report in the format the seller sent (CSV, XLSX or XML, `records` naming the XML
    elements), formulas neutralised; its content type."""
    if file_format == "XML":
        write_xml(out, header, rows, records=records)
        return CONTENT_TYPES[file_format]
    sheet: CsvSheet | XlsxSheet
    if file_format == "XLSX":
        sheet = XlsxSheet(out, header)
    else:
        sheet = CsvSheet(out, header, formulas_neutralised=True)
    for row in rows:
        sheet.row(row)
    sheet.close()
    return CONTENT_TYPES[file_format]


def _is_tag(name: str) -> bool:
    try:
        etree.Element(name)
    except ValueError:
        return False
    return True


def write_xml(
    out: IO[bytes],
    header: list[str],
    rows: Iterator[list[str]],
    records: tuple[str, str] = ("offers", "offer"),
) -> None:
    """`<import><offers><offer>` (or `records`) with one element per column, as the XML
    import reads them.

    A column whose name is no valid element name (none the XML reader produces) is written
    as `<column name="…">`, so that the report stays well-formed.
    """
    tags = [name if _is_tag(name) else None for name in header]
    with etree.xmlfile(out, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("import"), xml.element(records[0]):
            for row in rows:
                record = etree.Element(records[1])
                for name, tag, value in zip(header, tags, row, strict=True):
                    cell = etree.SubElement(record, tag or "column")
                    if tag is None:
                        cell.set("name", _NOT_XML.sub("", name))
                    cell.text = _NOT_XML.sub("", value)
                xml.write("\n", record)
            xml.write("\n")
