"""The shop's offers in the import format (the guide's "prêt pour l'import" inventory).

The file carries the import columns, so that a seller edits prices or stock in it and sends it
back as is: re-importing it unchanged changes no offer. Offers are streamed in sku order
(binary order, the same on SQLite and PostgreSQL), never loaded all at once.

Codes, not labels: the XLSX export writes state and logistic class codes too, although an
Excel import also accepts labels, because the file must re-import as is whatever the
operator renames. The CSV export writes values exactly as stored, without the formula
neutralisation of the error reports: a leading `'` would change the offer on re-import. A
seller's text can therefore start with `=`: open the CSV as text, or take the XLSX export,
whose cells are strings, never formulas.
"""

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

import xlsxwriter
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Collate

from mercato.catalog.models import ProductIdentifier
from mercato.errors import InvalidInput
from mercato.offers.models import Offer, OfferField
from mercato.offers.validation import CENT, CHANNEL_FIELDS, OFFER_COLUMNS
from mercato.shops.models import Channel, Shop
from mercato.shops.selectors import shop_by_id

CSV = "CSV"
XLSX = "XLSX"
EXPORT_FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XML": "application/xml; charset=utf-8",
}
BASE_COLUMNS = tuple(c for c in OFFER_COLUMNS if c != "update-delete")
# Written as numbers in XLSX so that the seller can compute on them; prices keep 2 decimals.
_NUMBERS = frozenset({"price", "quantity", "discount-price", "leadtime-to-ship"})
_PRICES = frozenset({"price", "discount-price"})
_CHUNK = 2000
_MAX_WIDTH = 60
XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included
# A cell that a spreadsheet would evaluate: OWASP's list of leading characters.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise(value: str) -> str:
    """`value`, prefixed with `'` when a spreadsheet would read it as a formula.

    Plain numbers such as `-3` or `+2,5` are left as they are: no spreadsheet runs anything
    from them, and a seller reads the quantity `-3` they sent rather than `'-3`.
    """
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


CSV_DELIMITER = ";"
CSV_LINE_END = "\r\n"


class CsvSheet:
    """`;`-separated UTF-8 with a BOM (Excel then reads accents right), CRLF line ends."""

    def __init__(
        self, out: IO[bytes], header: Sequence[str], *, formulas_neutralised: bool
    ) -> None:
        # The BOM written here, then plain UTF-8: "utf-8-sig" encodes each write through its
        # Python codec, where "utf-8" takes the interpreter's own fast path.
        out.write(codecs.BOM_UTF8)
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END)
        self._line = io.StringIO()
        self._line_writer = csv.writer(
            self._line, delimiter=CSV_DELIMITER, lineterminator=CSV_LINE_END
        )
        self._neutralise = formulas_neutralised
        self.row(header)

    def row(self, values: Sequence[str | int]) -> None:
        self._writer.writerow(self._cells(values))

    def line_text(self, values: Sequence[str | int]) -> str:
        """The text `row` writes for these values, for a caller that joins rows to write."""
        self._line.seek(0)
        self._line.truncate()
        self._line_writer.writerow(self._cells(values))
        return self._line.getvalue()

    def _cells(self, values: Sequence[str | int]) -> list[str]:
        cells = [str(v) for v in values]
        return [neutralise(c) for c in cells] if self._neutralise else cells

    def text(self, line: str) -> None:
        """A row already written as this sheet writes it, its line end included (as
        `catalog.product_sheet.csv_line` writes a frame's rows)."""
        self._text.write(line)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # the caller's stream stays open


class XlsxSheet:
    """One sheet written row by row (constant memory); text is always a string cell.

    `numbers` names the columns whose values are written as numbers, `prices` those among
    them shown with two decimals; every other cell is a string, never a formula.
    """

    def __init__(
        self,
        out: IO[bytes],
        header: Sequence[str],
        *,
        numbers: frozenset[str] = frozenset(),
        prices: frozenset[str] = frozenset(),
    ) -> None:
        self._book = xlsxwriter.Workbook(out, {"constant_memory": True})
        self._sheet = self._book.add_worksheet()
        self._bold = self._book.add_format({"bold": True})
        self._price = self._book.add_format({"num_format": "0.00"})
        self._kinds = [
            "price" if _kind(c) in prices else "number" if _kind(c) in numbers else "text"
            for c in header
        ]
        self._widths = [len(c) for c in header]
        self._next = 1
        for column, name in enumerate(header):
            self._sheet.write_string(0, column, name, self._bold)
        self._sheet.freeze_panes(1, 0)

    def row(self, values: Sequence[str | int]) -> None:
        if self._next >= XLSX_MAX_ROWS:
            # XlsxWriter would drop the rows silently: a file missing offers is worse than none.
            raise InvalidInput(
                f"An Excel sheet holds {XLSX_MAX_ROWS - 1} lines at most: export as CSV."
            )
        for column, value in enumerate(values):
            text = str(value)
            if column < len(self._widths):
                self._widths[column] = max(self._widths[column], len(text))
            kind = self._kinds[column] if column < len(self._kinds) else "text"
            if not text:
                continue
            if kind == "text":
                self._sheet.write_string(self._next, column, text)
            else:
                number = float(text) if kind == "price" or "." in text else int(text)
                fmt = self._price if kind == "price" else None
                self._sheet.write_number(self._next, column, number, fmt)
        self._next += 1

    def close(self) -> None:
        for column, width in enumerate(self._widths):
            self._sheet.set_column(column, column, min(width, _MAX_WIDTH) + 2)
        self._sheet.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        self._book.close()


def _kind(column: str) -> str:
    """`price[channel=ES_B2C]` is a price like `price`."""
    return column.split("[", 1)[0]


@dataclass(frozen=True)
class ExportLayout:
    field_codes: list[str]
    channel_codes: list[str]

    @property
    def columns(self) -> list[str]:
        channels = [
            f"{name}[channel={code}]" for code in self.channel_codes for name in CHANNEL_FIELDS
        ]
        return [*BASE_COLUMNS, *self.field_codes, *channels]


def export_layout(shop: Shop) -> ExportLayout:
    """The offer fields in the operator's order and the shop's non-default channels."""
    fields = sorted(OfferField.objects.all(), key=lambda f: (f.position, f.code))
    channels = Channel.objects.filter(shops=shop, is_default=False).values_list("code", flat=True)
    return ExportLayout([f.code for f in fields], sorted(channels))


def shop_offers_in_sku_order(shop: Shop) -> Iterator[Offer]:
    """The shop's offers with their product's first EAN and sku, streamed by sku."""
    ean = (
        ProductIdentifier.objects.filter(product=OuterRef("product_id"), type="EAN")
        .order_by("value")
        .values("value")[:1]
    )
    binary = "C" if connection.vendor == "postgresql" else "BINARY"
    return (
        Offer.objects.filter(shop=shop)
        .annotate(ean=Subquery(ean), catalog_sku=F("product__product_sku"))
        .order_by(Collate("sku", binary))
        .iterator(chunk_size=_CHUNK)
    )


def _price(value: Decimal | str | None) -> str:
    return "" if value is None else str(Decimal(value).quantize(CENT))


def _date(value: date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()


def offer_row(offer: Offer, layout: ExportLayout) -> list[str]:
    """An offer as an import line, in `layout.columns` order."""
    ean = getattr(offer, "ean", None)
    product_id, id_type = (ean, "EAN") if ean else (getattr(offer, "catalog_sku", ""), "SKU")
    row = [
        offer.sku,
        product_id,
        id_type,
        _price(offer.price),
        str(offer.quantity),
        offer.state,
        _price(offer.discount_price),
        _date(offer.discount_start),
        _date(offer.discount_end),
        "" if offer.leadtime_to_ship is None else str(offer.leadtime_to_ship),
        offer.logistic_class,
        offer.description,
        offer.internal_description,
        offer.price_additional_info,
    ]
    row += [str(offer.additional_fields.get(code) or "") for code in layout.field_codes]
    for code in layout.channel_codes:
        entry = offer.channel_prices.get(code) or {}
        row += [
            _price(entry.get("price")),
            _price(entry.get("discount_price")),
            _date(entry.get("discount_start")),
            _date(entry.get("discount_end")),
        ]
    return row


def parse_export_format(raw: str | None) -> str:
    """`csv` or `xlsx`, in any case; CSV when absent."""
    file_format = (raw or CSV).strip().upper()
    if file_format not in EXPORT_FORMATS:
        raise InvalidInput(f"Unknown export format '{raw}': use csv or xlsx.")
    return file_format


def _write(shop: Shop, out: IO[bytes], file_format: str) -> int:
    layout = export_layout(shop)
    columns = layout.columns
    sheet: CsvSheet | XlsxSheet
    if file_format == XLSX:
        sheet = XlsxSheet(out, columns, numbers=_NUMBERS, prices=_PRICES)
    else:
        sheet = CsvSheet(out, columns, formulas_neutralised=False)
    count = 0
    for offer in shop_offers_in_sku_order(shop):
        sheet.row(offer_row(offer, layout))
        count += 1
    sheet.close()
    return count


def export_offers(shop: Shop, out: IO[bytes], file_format: str = CSV) -> str:
    """Write all the shop's offers in the import format to `out`; the content type."""
    file_format = parse_export_format(file_format)
    _write(shop, out, file_format)
    return CONTENT_TYPES[file_format]


def export_filename(shop: Shop, file_format: str) -> str:
    return f"offers-{shop.id}.{file_format.lower()}"


@dataclass
class ExportedFile:
    file: IO[bytes]  # positioned at its start
    content_type: str
    filename: str


# Small exports stay in memory; a large one goes to a temporary file, not to RAM.
_SPOOL_BYTES = 8 << 20


def export_offers_file(shop: Shop, file_format: str | None) -> ExportedFile:
    """The shop's export in a temporary file, for an HTTP download."""
    chosen = parse_export_format(file_format)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (handed on)
    _write(shop, spool, chosen)
    spool.seek(0)
    return ExportedFile(spool, CONTENT_TYPES[chosen], export_filename(shop, chosen))


def export_offers_to_path(shop_id: int, path: Path, file_format: str | None) -> int:
    """Write shop `shop_id`'s export to `path`; the number of offers written.

    Nothing is left at `path` when the shop does not exist or the writing fails.
    """
    chosen = parse_export_format(file_format)
    shop = shop_by_id(shop_id)
    try:
        with path.open("wb") as out:
            return _write(shop, out, chosen)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
