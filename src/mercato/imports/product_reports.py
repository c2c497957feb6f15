"""The files of a product import: its transformation error report (P47), transformed file
(P46), non-integrated products report (P44) and added products report (P45).

The transformation error report is the file as sent, in its format (CSV, XLSX or XML), with
only the lines that have errors or warnings, each followed by `errors` and `warnings`: every
issue as `code|message` in the reader's language, several joined with `ISSUE_SEPARATOR`. The
seller fixes them in the tool they used and sends the report back as a product file.

The integration reports are CSV, one line per product with its line in the file as sent.
Like every report, they cannot inject formulas into a spreadsheet (see `reports`).
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import IO

from mercato.catalog.models import Product
from mercato.catalog.product_errors import render
from mercato.catalog.quality import quality
from mercato.catalog.selectors import catalog_schema
from mercato.catalog.validation import CatalogSchema
from mercato.imports.models import ProductImport, ProductIntegration, ProductTransformationLine
from mercato.imports.reports import write_report
from mercato.imports.selectors import integrated, non_integrated, transformation_lines
from mercato.offers.export import CONTENT_TYPES, CsvSheet

TRANSFORMATION_COLUMNS = ("errors", "warnings")
ISSUE_SEPARATOR = "; "
NON_INTEGRATED_COLUMNS = ("line", "sku", "ean", "category", "product-sku", "status", "errors")
ADDED_COLUMNS = (
    "line", "sku", "ean", "category", "product-sku", "integration", "product-status",
    "quality-score", "quality-advice",
)  # fmt: skip
_EXTENSIONS = {"CSV": "csv", "XLSX": "xlsx", "XML": "xml"}


def issues_text(issues: Iterable[Mapping[str, object]], locale: str) -> str:
    """`code|message` for each issue, in `locale`'s language."""
    return ISSUE_SEPARATOR.join(
        f"{issue['code']}|{render(int(str(issue['code'])), locale, *list(issue['args']))}"  # type: ignore[call-overload]
        for issue in issues
    )


def _format(product_import: ProductImport) -> str:
    return product_import.file_format if product_import.file_format in _EXTENSIONS else "CSV"


def transformation_report_filename(product_import: ProductImport) -> str:
    extension = _EXTENSIONS[_format(product_import)]
    return f"product-import-{product_import.id}-transformation-errors.{extension}"


def _transformation_rows(
    lines: Iterable[ProductTransformationLine], width: int, locale: str
) -> Iterator[list[str]]:
    for line in lines:
        values = [str(v) for v in line.values[:width]]
        values += [""] * (width - len(values))
        yield [*values, issues_text(line.errors, locale), issues_text(line.warnings, locale)]


def write_transformation_report(
    product_import: ProductImport, out: IO[bytes], locale: str = "fr_FR"
) -> str:
    """The lines with issues as sent, then their errors and warnings; the content type."""
    file_format = _format(product_import)
    header = [*product_import.columns, *TRANSFORMATION_COLUMNS]
    rows = _transformation_rows(
        transformation_lines(product_import), len(product_import.columns), locale
    )
    return write_report(out, file_format, header, rows, records=("products", "product"))


def _product_sku(integration: ProductIntegration) -> str:
    return integration.product.product_sku if integration.product else ""


def write_non_integrated_report(
    product_import: ProductImport, out: IO[bytes], locale: str = "fr_FR"
) -> str:
    """Products refused at integration (INVALID, with their errors) or rejected by the
    operator since (REJECTED, with the operator's reason)."""
    sheet = CsvSheet(out, NON_INTEGRATED_COLUMNS, formulas_neutralised=True)
    for integration in non_integrated(product_import):
        invalid = integration.outcome == ProductIntegration.Outcome.INVALID
        reason = (
            issues_text(integration.issues, locale)
            if invalid or integration.product is None
            else integration.product.rejection_reason
        )
        sheet.row(
            [
                integration.line,
                integration.shop_sku,
                integration.ean,
                integration.category_code,
                _product_sku(integration),
                "INVALID" if invalid else "REJECTED",
                reason,
            ]
        )
    sheet.close()
    return CONTENT_TYPES["CSV"]


def _quality(product: Product | None, schema: CatalogSchema, locale: str) -> list[str]:
    """The product's content-quality score and what would raise it, as it is now."""
    category = schema.categories.get(product.category.code) if product else None
    if product is None or category is None:
        return ["", ""]
    found = quality(
        category,
        titles=product.titles,
        descriptions=product.descriptions,
        brand=product.brand,
        media=product.media,
        attributes=product.attributes,
        locale=locale,
    )
    return [str(found.score), " ".join(found.advice)]


def write_added_report(product_import: ProductImport, out: IO[bytes], locale: str = "fr_FR") -> str:
    """Products created (CREATED), found in the catalog by EAN (MATCHED) or the shop's own
    sent again for review (UPDATED), with the product sku that offers name, the product's
    review status and its content-quality score now, the advice in `locale`'s language."""
    schema = catalog_schema()
    sheet = CsvSheet(out, ADDED_COLUMNS, formulas_neutralised=True)
    for integration in integrated(product_import):
        product = integration.product
        sheet.row(
            [
                integration.line,
                integration.shop_sku,
                integration.ean,
                integration.category_code,
                _product_sku(integration),
                integration.outcome,
                product.status if product else "",
                *_quality(product, schema, locale),
            ]
        )
    sheet.close()
    return CONTENT_TYPES["CSV"]


def report_filename(product_import: ProductImport, kind: str) -> str:
    return f"product-import-{product_import.id}-{kind}.csv"
