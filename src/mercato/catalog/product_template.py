"""The product file template: a file that a seller fills and sends as it is (P41, or OF01
with products for the "Offres et Produits" file), as an Excel workbook or as a CSV file.

Its columns: one per attribute that applies to the chosen category (all of them without
one), required ones first and marked `*` (`sku*`: the readers take the column without its
mark); for the combined file, the offer columns beside them (`sku` is both). The workbook's
first sheet, `Produits`, has a drop-down of value codes on every list attribute;
`Attributs` explains each attribute column (label, requirement, type, description),
`ReferenceData` lists the codes of every value list the columns use. The import reads the
first sheet only: the others never get in the way. The CSV file is the header alone,
`;`-separated, UTF-8 with a BOM for Excel.
"""

from collections.abc import Sequence
from typing import IO

import xlsxwriter

from mercato.catalog.localization import localized
from mercato.catalog.models import AttributeAttachment, AttributeType, RequirementLevel
from mercato.catalog.selectors import product_attributes, sorted_values
from mercato.imports.readers import REQUIRED_MARK
from mercato.offers.export import CsvSheet
from mercato.offers.models import OfferField

PRODUCTS_SHEET = "Produits"
ATTRIBUTES_SHEET = "Attributs"
REFERENCE_SHEET = "ReferenceData"
TEMPLATE_ROWS = 5000  # lines the drop-downs cover
_LISTS = (AttributeType.LIST, AttributeType.LIST_MULTIPLE_VALUES)
_ORDER: dict[str, int] = {RequirementLevel.REQUIRED: 0, RequirementLevel.RECOMMENDED: 1}
# The guide's offer columns (chapter 2-B), then the operator's offer fields; `sku` is an
# attribute column already.
OFFER_COLUMNS = (
    "product-id", "product-id-type", "price", "quantity", "state", "discount-price",
    "discount-start-date", "discount-end-date", "leadtime-to-ship", "logistic-class",
)  # fmt: skip


def template_columns(hierarchy: str | None) -> list[AttributeAttachment]:
    """One attachment per attribute, the deepest one; required first, then file order."""
    deepest: dict[str, AttributeAttachment] = {}
    for attachment in product_attributes(hierarchy):
        deepest[attachment.attribute.code] = attachment
    columns = list(deepest.values())
    return sorted(columns, key=lambda a: _ORDER.get(a.requirement_level, 2))


def _marked(code: str, requirement_level: str) -> str:
    return code + REQUIRED_MARK if requirement_level == RequirementLevel.REQUIRED else code


def template_header(columns: Sequence[AttributeAttachment], *, with_offers: bool) -> list[str]:
    """The attribute columns, required ones marked; the offer columns after them if asked."""
    header = [_marked(a.attribute.code, a.requirement_level) for a in columns]
    if with_offers:
        header += OFFER_COLUMNS
        header += [_marked(f.code, f.requirement_level) for f in OfferField.objects.all()]
    return header


def write_csv_template(out: IO[bytes], hierarchy: str | None, *, with_offers: bool) -> None:
    """The CSV template for `hierarchy` (a category code; None for every attribute)."""
    CsvSheet(
        out, template_header(template_columns(hierarchy), with_offers=with_offers),
        formulas_neutralised=False,
    ).close()  # fmt: skip


def _reference_rows(columns: Sequence[AttributeAttachment]) -> dict[str, range]:
    """The rows (0-based, in ReferenceData) of each list attribute's value codes."""
    ranges: dict[str, range] = {}
    row = 1
    for attachment in columns:
        value_list = attachment.attribute.value_list
        if attachment.attribute.type not in _LISTS or value_list is None:
            continue
        count = len(sorted_values(value_list))
        ranges[attachment.attribute.code] = range(row, row + count)
        row += count
    return ranges


def write_product_template(
    out: IO[bytes], hierarchy: str | None, language: str = "fr", *, with_offers: bool = False
) -> None:
    """The workbook template for `hierarchy` (a category code; None for every attribute),
    labels in `language` (fr, en, es)."""
    columns = template_columns(hierarchy)
    names = template_header(columns, with_offers=with_offers)
    book = xlsxwriter.Workbook(out)
    bold = book.add_format({"bold": True})
    products = book.add_worksheet(PRODUCTS_SHEET)
    described = book.add_worksheet(ATTRIBUTES_SHEET)
    reference = book.add_worksheet(REFERENCE_SHEET)
    for sheet, header in (
        (described, ["code", "label", "requirement-level", "type", "category", "description"]),
        (reference, ["list-code", "value-code", "value-label"]),
    ):
        for index, name in enumerate(header):
            sheet.write_string(0, index, name, bold)
    ranges = _reference_rows(columns)
    for index, name in enumerate(names):
        products.write_string(0, index, name, bold)
    for index, attachment in enumerate(columns):
        attribute = attachment.attribute
        cells = [
            attribute.code,
            localized(attribute.label, attribute.labels, language),
            attachment.requirement_level,
            attribute.type,
            attachment.category.code if attachment.category else "",
            attachment.description,
        ]
        for column, text in enumerate(cells):
            described.write_string(index + 1, column, text)
        rows = ranges.get(attribute.code)
        if rows is None or attribute.value_list is None:
            continue
        for row, value in zip(rows, sorted_values(attribute.value_list), strict=True):
            reference.write_string(row, 0, attribute.value_list.code)
            reference.write_string(row, 1, value.code)
            reference.write_string(row, 2, localized(value.label, value.labels, language))
        if attribute.type == AttributeType.LIST and len(rows):
            source = f"={REFERENCE_SHEET}!$B${rows.start + 1}:$B${rows.stop}"
            products.data_validation(
                1, index, TEMPLATE_ROWS, index, {"validate": "list", "source": source}
            )
    products.freeze_panes(1, 0)
    book.close()
