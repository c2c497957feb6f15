"""The "Offres et Produits" file (OF01 with `with_products=true`): products, then offers.

How the two imports are linked: the file is stored once. A `ProductImport` reads it as sent,
so that its reports give the seller's line numbers and values; the offer columns are left
out of its mapping (`product_header`). An `OfferImport`, linked by its nullable
`product_import`, stays WAITING (OF02 says so) while the products are integrated: nothing
queues it before. Once the product import is final, `release` derives the offer file from
the combined one and hands the offer import over to the ordinary offer import:

* the derived file lies beside the stored one (a workbook for a workbook, else a CSV), with
  the file's offer columns only, each line at its line number in the file as sent (blank
  lines fill the gaps; readers skip them), so that the offer error report names the
  seller's lines;
* a line that leaves `product-id` empty gets the catalog product its product line became
  (type SKU: a product matched by EAN as well as one created). A line whose product was
  refused gets its `sku` as a SHOP_SKU: the offer import then says, as for any offer, that
  the product does not exist (unless an earlier import gave the shop that product).

When the product import fails as a whole, the offer import fails with it: no offer applied.
The column `sku` is both: the shop's sku of the product and the sku of the offer.
"""

import csv
import io
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mercato.catalog.mapping_assistant import catalog_codes, current_mapping
from mercato.imports.models import (
    ImportStatus,
    OfferImport,
    ProductImport,
    ProductImportStatus,
    ProductIntegration,
)
from mercato.imports.readers import FileFormat, SourceLine, open_source
from mercato.imports.reasons import Reason, set_reason, stored_reason
from mercato.offers.export import XlsxSheet
from mercato.offers.models import OfferField
from mercato.offers.validation import OFFER_COLUMNS, channel_of

PRODUCT_ID = "product-id"
PRODUCT_ID_TYPE = "product-id-type"
SKU = "sku"
_PRODUCTS_FAILED = (
    ProductImportStatus.TRANSFORMATION_FAILED,
    ProductImportStatus.FAILED,
    ProductImportStatus.CANCELLED,
)


def _stored(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def offer_columns() -> frozenset[str]:
    """The column names an offer import reads, channel columns aside."""
    return frozenset(OFFER_COLUMNS) | frozenset(OfferField.objects.values_list("code", flat=True))


def is_offer_column(column: str, offer_codes: frozenset[str]) -> bool:
    channel = channel_of(column)
    return channel is not None or column in offer_codes


def product_header(product_import: ProductImport, header: Sequence[str]) -> list[str]:
    """The header the product transformation maps: for a combined file, its offer columns
    blanked (not reported as columns mapped to no attribute), unless they are product
    columns too (`sku`, or a column of the shop's mapping)."""
    if not OfferImport.objects.filter(product_import=product_import).exists():
        return list(header)
    product_codes = set(catalog_codes().attributes)
    if not product_import.operator_format:
        product_codes |= set(current_mapping(product_import.shop).columns)
    offer_codes = offer_columns()
    return [
        "" if is_offer_column(name, offer_codes) and name not in product_codes else name
        for name in header
    ]


def release(product_import_id: int) -> list[int]:
    """Once the product import is final, hand its waiting offer imports over: the ids of
    those to run now (their offer file derived), the others failed with the products.
    Safe to call again: an offer file already derived is kept."""
    product_import = ProductImport.objects.filter(id=product_import_id).first()
    if product_import is None:
        return []
    ready: list[int] = []
    waiting = OfferImport.objects.filter(product_import=product_import, status=ImportStatus.WAITING)
    for offer_import_id in waiting.values_list("id", flat=True):
        # Locked: the job that finished the products and the recovery sweep may both get here.
        with transaction.atomic():
            offer_import = (
                OfferImport.objects.select_for_update()
                .filter(id=offer_import_id, status=ImportStatus.WAITING)
                .first()
            )
            if offer_import is None:
                continue
            if product_import.status in _PRODUCTS_FAILED:
                _fail_with_products(offer_import, product_import)
            elif product_import.status == ProductImportStatus.COMPLETE:
                if offer_import.file_path == product_import.file_path:
                    _derive_offer_file(offer_import, product_import)
                ready.append(offer_import.id)
    return ready


def stranded() -> list[int]:
    """Product imports final while offer imports still wait on them (the worker died between
    the two): for the recovery sweep."""
    final = (ProductImportStatus.COMPLETE, *_PRODUCTS_FAILED)
    return list(
        OfferImport.objects.filter(status=ImportStatus.WAITING, product_import__status__in=final)
        .order_by()
        .values_list("product_import_id", flat=True)
        .distinct()
    )


def _fail_with_products(offer_import: OfferImport, product_import: ProductImport) -> None:
    products = stored_reason(product_import)
    reason = Reason(
        "products-failed",
        {
            "import_id": product_import.id,
            "reason": products.as_json() if isinstance(products, Reason) else products,
        },
    )
    offer_import.status = ImportStatus.FAILED
    offer_import.finished_at = timezone.now()
    offer_import.save(update_fields=["status", "finished_at", *set_reason(offer_import, reason)])


def _products_by_line(product_import: ProductImport) -> Iterator[tuple[int, str]]:
    """(line as sent, catalog product sku) of each line integrated, in line order."""
    return iter(
        ProductIntegration.objects.filter(product_import=product_import, product__isnull=False)
        .exclude(outcome=ProductIntegration.Outcome.INVALID)
        .order_by("line")
        .values_list("line", "product__product_sku")
        .iterator(chunk_size=2000)
    )


def _derive_offer_file(offer_import: OfferImport, product_import: ProductImport) -> None:
    source = open_source(_stored(product_import.file_path), product_import.file_name)
    offer_codes = offer_columns()
    kept = [i for i, name in enumerate(source.header) if is_offer_column(name, offer_codes)]
    header = [source.header[i] for i in kept]
    for added in (PRODUCT_ID, PRODUCT_ID_TYPE):
        if added not in header:
            header.append(added)
    rows = _offer_rows(header, kept, source.lines(), _products_by_line(product_import))
    # A workbook stays a workbook: the offer import then takes labels (Neuf) as it would.
    workbook = source.format is FileFormat.XLSX
    suffix = "xlsx" if workbook else "csv"
    relative = str(Path(product_import.file_path).parent / f"{uuid.uuid4().hex}-offers.{suffix}")
    if workbook:
        with _stored(relative).open("wb") as out:
            _write_xlsx(out, header, rows)
    else:
        with _stored(relative).open("w", encoding="utf-8", newline="") as text:
            _write_csv(text, header, rows)
    name = offer_import.file_name
    if not workbook and not name.lower().endswith(".csv"):
        name = f"{name}.csv"[-255:]  # an XML file's offers: read as the CSV they now are
    offer_import.file_name = name
    offer_import.file_path = relative
    offer_import.file_size = _stored(relative).stat().st_size
    offer_import.save(update_fields=["file_name", "file_path", "file_size"])


def _offer_rows(
    header: list[str],
    kept: list[int],
    lines: Iterator[SourceLine],
    products: Iterator[tuple[int, str]],
) -> Iterator[tuple[int, list[str]]]:
    """(line as sent, its offer values), product-id filled where the line leaves it empty."""
    product_id, id_type = header.index(PRODUCT_ID), header.index(PRODUCT_ID_TYPE)
    sku = header.index(SKU) if SKU in header else None
    product = next(products, None)
    for line in lines:
        values = [line.values[i] if i < len(line.values) else "" for i in kept]
        values += [""] * (len(header) - len(values))
        while product is not None and product[0] < line.line:
            product = next(products, None)
        if not values[product_id].strip():
            if product is not None and product[0] == line.line:
                values[product_id], values[id_type] = product[1], "SKU"
            elif sku is not None and values[sku].strip():
                values[product_id], values[id_type] = values[sku].strip(), "SHOP_SKU"
        yield line.line, values


def _write_csv(out: TextIO, header: list[str], rows: Iterator[tuple[int, list[str]]]) -> None:
    """Each row on its line of the file as sent: blank lines (which readers skip) fill the
    gaps, so that the offer error report names the seller's lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    next_line = 2  # the physical line the next record starts on
    for line, values in rows:
        buffer.write("\n" * max(line - next_line, 0))
        next_line = max(line, next_line)
        start = buffer.tell()
        writer.writerow(values)
        next_line += buffer.getvalue().count("\n", start)
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()


def _write_xlsx(out: BinaryIO, header: list[str], rows: Iterator[tuple[int, list[str]]]) -> None:
    sheet = XlsxSheet(out, header)
    next_row = 2
    for line, values in rows:
        for _ in range(line - next_row):
            sheet.row([])  # an empty row keeps the next one on its line
        sheet.row(values)
        next_row = line + 1
    sheet.close()
