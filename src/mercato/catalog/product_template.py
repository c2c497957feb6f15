"""The product file template: an Excel workbook that a seller fills and sends as it is (P41,
operator format).

Its first sheet, `Produits`, has one column per attribute that applies to the chosen
category (all of them without one), required ones first, and a drop-down of value codes on
every list attribute. `Attributs` explains each column (label, requirement, type,
description), `ReferenceData` lists the codes of every value list the columns use. The
import reads the first sheet only: the others never get in the way.
"""

from collections.abc import Sequence
from typing import IO

import xlsxwriter

from mercato.catalog.localization import localized
from mercato.catalog.models import AttributeAttachment, AttributeType, RequirementLevel
from mercato.catalog.selectors import product_attributes, sorted_values

PRODUCTS_SHEET = "Produits"
ATTRIBUTES_SHEET = "Attributs"
REFERENCE_SHEET = "ReferenceData"
TEMPLATE_ROWS = 5000  # lines the drop-downs cover
_LISTS = (AttributeType.LIST, AttributeType.LIST_MULTIPLE_VALUES)
_ORDER: dict[str, int] = {RequirementLevel.REQUIRED: 0, RequirementLevel.RECOMMENDED: 1}


def template_columns(hierarchy: str | None) -> list[AttributeAttachment]:
    """One attachment per attribute, the deepest one; required first, then file order."""
    deepest: dict[str, AttributeAttachment] = {}
    for attachment in product_attributes(hierarchy):
        deepest[attachment.attribute.code] = attachment
    columns = list(deepest.values())
    return sorted(columns, key=lambda a: _ORDER.get(a.requirement_level, 2))


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


def write_product_template(out: IO[bytes], hierarchy: str | None, language: str = "fr") -> None:
    """The template for `hierarchy` (a category code; None for every attribute), labels in
    `language` (fr, en, es)."""
    columns = template_columns(hierarchy)
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
    for index, attachment in enumerate(columns):
        attribute = attachment.attribute
        products.write_string(0, index, attribute.code, bold)
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
