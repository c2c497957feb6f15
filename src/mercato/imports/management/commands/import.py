"""`mercato import offers FILE --shop ID`: an offer import run here, through the same pipeline
(`mercato import products FILE --shop ID [--operator-format]`: a product import, likewise).

The file is received as an upload is (stored, deduplicated) with the origin API, then run in
this process with a progress bar on standard error. Standard output gets the OF02 counters,
one `name: value` per line. Exit status 0 when the import is COMPLETE, even with lines in
error (the report lists them), 1 when it FAILED.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from mercato.catalog.localization import DEFAULT_LOCALE, LOCALES
from mercato.errors import DomainError
from mercato.imports.models import (
    ImportMode,
    ImportOrigin,
    ImportStatus,
    OfferImport,
    ProductImport,
    ProductImportStatus,
)
from mercato.imports.reasons import reason_text
from mercato.imports.reports import write_error_report
from mercato.imports.selectors import offer_import_of, product_import_of
from mercato.imports.services import (
    create_offer_import,
    create_product_import,
    run_offer_import,
    run_product_import,
)
from mercato.shops.selectors import shop_by_id

COUNTERS = (
    "id",
    "status",
    "lines_read",
    "lines_in_success",
    "lines_in_error",
    "offer_inserted",
    "offer_updated",
    "offer_deleted",
    "reason_status",
)
PRODUCT_COUNTERS = (
    "id",
    "status",
    "transform_lines_read",
    "transform_lines_in_success",
    "transform_lines_in_error",
    "transform_lines_with_warning",
    "products_created",
    "products_matched",
    "products_updated",
    "products_invalid",
    "reason_status",
)
_BAR_WIDTH = 30
_COUNT_CHUNK = 1 << 20


def physical_lines(path: Path) -> int | None:
    """The file's line count, the unit of the lines' numbers; None for a workbook (zipped)."""
    with path.open("rb") as f:
        first = f.read(_COUNT_CHUNK)
        if first.startswith(b"PK\x03\x04"):
            return None
        count, last = first.count(b"\n"), first[-1:]
        while chunk := f.read(_COUNT_CHUNK):
            count, last = count + chunk.count(b"\n"), chunk[-1:]
    return count + (1 if last and last != b"\n" else 0)


def lines_of(file: Path) -> int | None:
    try:
        return physical_lines(file)
    except OSError as error:
        raise CommandError(f"{file}: {error.strerror}.") from error


class Bar:
    """A progress bar on a stream, redrawn in place after each batch."""

    def __init__(self, stream: OutputWrapper, total_lines: int | None) -> None:
        self._stream = stream
        self._total = total_lines
        self._drawn = False

    def show(self, done: int, total: int | None, text: str) -> None:
        """`text` after a bar filled to done/total (the text alone without a total)."""
        if not total:
            self._draw(text)
            return
        part = min(done / total, 1.0)
        filled = round(part * _BAR_WIDTH)
        self._draw(f"[{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {part:4.0%}  {text}")

    def _draw(self, text: str) -> None:
        self._stream.write(f"\r{text}", ending="")
        self._stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._stream.write("\n")


class ProgressBar(Bar):
    """`[#####-----]  50%  1000 lines read`, after each applied batch of an offer import."""

    def __call__(self, offer_import: OfferImport) -> None:
        read = f"{offer_import.lines_read} lines read"
        self.show(offer_import.checkpoint_line, self._total, read)


class ProductProgressBar(Bar):
    """The transformation over the file's lines, then the integration over the lines
    transformed: `[###---]  40%  integration: 800 of 2000 lines`."""

    def __call__(self, product_import: ProductImport) -> None:
        if product_import.status == ProductImportStatus.TRANSFORMATION_RUNNING:
            read = product_import.transform_lines_read
            total = self._total - 1 if self._total else None  # the header is no line
            self.show(read, total, f"transformation: {read} lines read")
            return
        done, total = product_import.checkpoint_line, product_import.transform_lines_in_success
        self.show(done, total, f"integration: {done} of {total} lines")


class Command(BaseCommand):
    help = (
        "Import files: `import offers FILE --shop ID` runs an offer import (CSV, XLSX or XML) "
        "now, in this process, prints its counters and, with --report, writes its error report; "
        "`import products FILE --shop ID` runs a product import and prints its counters."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        offers = kinds.add_parser("offers", help="Import an offer file for a shop.")
        offers.add_argument("file", type=Path, metavar="FILE", help="The offer file.")
        offers.add_argument("--shop", type=int, required=True, metavar="ID", help="The shop id.")
        offers.add_argument(
            "--mode",
            choices=ImportMode.values,
            default=ImportMode.NORMAL,
            help="NORMAL creates and updates, PARTIAL_UPDATE only changes the filled cells, "
            "REPLACE also deletes the offers the file lacks (default: %(default)s).",
        )
        offers.add_argument(
            "--report",
            type=Path,
            metavar="OUT",
            help="Write the error report to OUT, in the file's format (not when the import "
            "FAILED: the whole file was refused, no line).",
        )
        offers.add_argument(
            "--locale",
            choices=list(LOCALES),
            default=DEFAULT_LOCALE,
            help="The language of the reason and of the error report's messages (default: "
            "%(default)s).",
        )
        products = kinds.add_parser("products", help="Import a product file for a shop.")
        products.add_argument("file", type=Path, metavar="FILE", help="The product file.")
        products.add_argument("--shop", type=int, required=True, metavar="ID", help="The shop id.")
        products.add_argument(
            "--operator-format",
            action="store_true",
            help="The file is in the operator's format: the shop's mapping is not applied.",
        )
        products.add_argument(
            "--locale",
            choices=list(LOCALES),
            default=DEFAULT_LOCALE,
            help="The language of the reason (default: %(default)s).",
        )

    def handle(self, *args: Any, kind: str, **options: Any) -> None:
        if kind == "products":
            self._products(**options)
        else:
            self._offers(**options)

    def _offers(
        self,
        *,
        file: Path,
        shop: int,
        mode: str,
        report: Path | None,
        locale: str,
        **options: Any,
    ) -> None:
        total = lines_of(file)
        try:
            offer_import = self._run(file, total, shop, mode)
        except DomainError as error:
            raise CommandError(error.message) from error
        reason = reason_text(offer_import, locale)
        for name in COUNTERS:
            label = "import_id" if name == "id" else name
            value = reason if name == "reason_status" else getattr(offer_import, name)
            self.stdout.write(f"{label}: {value}")
        if offer_import.status == ImportStatus.FAILED:
            raise CommandError(f"Import {offer_import.id} failed: {reason}")
        if offer_import.status != ImportStatus.COMPLETE:
            raise CommandError(
                f"Import {offer_import.id} is {offer_import.status}: a background worker took "
                "it up; it goes on there."
            )
        if report:
            with transaction.atomic(), report.open("wb") as out:
                write_error_report(offer_import, out, locale)
            self.stdout.write(f"Error report ({offer_import.lines_in_error} lines): {report}")

    def _run(self, file: Path, total: int | None, shop_id: int, mode: str) -> OfferImport:
        with transaction.atomic(), file.open("rb") as content:
            shop = shop_by_id(shop_id)
            received, _ = create_offer_import(
                shop,
                content=content,
                file_name=file.name,
                mode=mode,
                origin=ImportOrigin.API,
                enqueue=False,
            )
        bar = ProgressBar(self.stderr, total)
        run_offer_import(received.id, bar)
        bar.finish()
        return offer_import_of(shop, received.id)

    def _products(
        self, *, file: Path, shop: int, operator_format: bool, locale: str, **options: Any
    ) -> None:
        total = lines_of(file)
        try:
            with transaction.atomic(), file.open("rb") as content:
                received = create_product_import(
                    shop_by_id(shop),
                    content=content,
                    file_name=file.name,
                    operator_format=operator_format,
                    origin=ImportOrigin.API,
                    enqueue=False,
                )
        except DomainError as error:
            raise CommandError(error.message) from error
        bar = ProductProgressBar(self.stderr, total)
        run_product_import(received.id, bar)
        bar.finish()
        product_import = product_import_of(received.shop, received.id)
        reason = reason_text(product_import, locale)
        for name in PRODUCT_COUNTERS:
            label = "import_id" if name == "id" else name
            value = reason if name == "reason_status" else getattr(product_import, name)
            self.stdout.write(f"{label}: {value}")
        if product_import.status in (
            ProductImportStatus.TRANSFORMATION_FAILED,
            ProductImportStatus.FAILED,
        ):
            raise CommandError(f"Import {product_import.id} failed: {reason}")
        if product_import.status != ProductImportStatus.COMPLETE:
            raise CommandError(
                f"Import {product_import.id} is {product_import.status}: a background worker "
                "took it up; it goes on there."
            )
