"""The product column road and the rule book give the same products, errors and reports.

The same files are imported twice: once as the pipeline runs, then, the products deleted,
with the column checks recognising nothing, so that every line goes through check_row.
Everything stored and every report must be equal.
"""

import io
import json
from typing import Any

import pytest
from product_files import CATALOG_EAN, HEADER, ean13, phone, product_file

from mercato.catalog.models import Product
from mercato.catalog.product_columnar import PLAIN_SCHEMA
from mercato.imports import product_column_road, product_transformation
from mercato.imports import product_reports as reports
from mercato.imports.models import ProductImport
from mercato.imports.product_pipeline import data_path, stored
from mercato.imports.readers import open_source
from mercato.imports.services import create_product_import, run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")

FIRST = product_file(
    phone(1, group="VG"),
    phone(2, group="VG", storage="256GB"),
    phone(3, group="VG"),  # line 2's variant values again
    phone(4, ean=CATALOG_EAN),  # the catalog's product: matched
    phone(5, ean=ean13(1)),  # line 2's EAN again
    phone(6, category="telephones"),  # unknown category
    phone(7, ean=ean13(7)[:-1] + "0"),  # bad check digit
    phone(8, color="fuchsia"),  # a warning: colour dropped
    phone(9, ram="8.5"),  # a warning: ram dropped
    phone(10, brand=""),  # required
    phone(11, screen_size=" 6,1 "),  # padded: the rule book strips it
    phone(12, repairability_index="huit"),
    phone(13) + ";surplus",  # a value beyond the header
    "",  # a blank line
    phone(14, title_fr_FR='"Téléphone ""guillemets""\nsur deux lignes"'),
    phone(15, ram="007", screen_size="6"),
    phone(16, group="VG2", color="bleu"),
    phone(17, group="VG2", color="bleu", storage="512GB"),
    phone(18, group="VG2", color="bleu", ean=ean13(16)),  # line 17's EAN again
)
SECOND = product_file(
    phone(1, group="VG", title_fr_FR="Téléphone 1 bis"),  # the shop's own: sent again
    phone(16, group="VG2", color="bleu"),
    phone(20, group="VG"),  # noir 128GB: product 1's values, in the catalog
    phone(21, group="VG", color="blanc"),
    phone(22, category="smartphones", ean=""),  # no EAN
)
_VOLATILE = {
    "id", "date_created", "last_updated", "started_at", "finished_at", "heartbeat_at",
    "file_path", "file_name", "file_sha256", "transformed_path", "shop",
}  # fmt: skip


def _imported(shop: Any, content: bytes, name: str) -> ProductImport:
    product_import = create_product_import(
        shop, content=io.BytesIO(content), file_name=name, operator_format=True, enqueue=False
    )
    run_product_import(product_import.id)
    return ProductImport.objects.get(id=product_import.id)


def _report(write: Any, product_import: ProductImport) -> bytes:
    out = io.BytesIO()
    write(product_import, out, "fr_FR")
    return out.getvalue()


def _outcome(product_import: ProductImport) -> dict[str, Any]:
    fields = {
        f.name: getattr(product_import, f.attname)
        for f in ProductImport._meta.concrete_fields
        if f.name not in _VOLATILE
    }
    integrations = [
        (i.line, i.outcome, i.product_id is not None, i.shop_sku, i.ean, i.category_code, i.issues)
        for i in product_import.integrations.order_by("line")
    ]
    data = data_path(product_import).read_text().splitlines()
    source = open_source(stored(product_import.file_path), product_import.file_name)
    return {
        "as_read": {line.line: line.values for line in source.lines()},  # by the csv module
        "fields": fields,
        "lines": [
            (t.line, t.values, t.errors, t.warnings)
            for t in product_import.transformation_lines.order_by("line")
        ],
        "integrations": json.loads(_masked(json.dumps(integrations))),
        "transformed": stored(product_import.transformed_path).read_bytes(),
        "data": [json.loads(line) for line in data],
        "P47": _report(reports.write_transformation_report, product_import),
        "P44": _masked(_report(reports.write_non_integrated_report, product_import).decode()),
        "P45": _masked(_report(reports.write_added_report, product_import).decode()),
    }


def _masked(text: str) -> str:
    """The text, the marketplace's product skus (drawn at random) masked."""
    for product_sku in Product.objects.values_list("product_sku", flat=True):
        text = text.replace(product_sku, "P-SKU")
    return text


def _products(shop: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            p.shop_sku,
            p.category.code,
            p.titles,
            p.descriptions,
            p.brand,
            p.attributes,
            p.media,
            p.variant_group_code,
            p.status,
            p.title,
            sorted((i.type, i.value) for i in p.identifiers.all()),
        )
        for p in Product.objects.filter(shop=shop)
    )


def _run(shop: Any, suffix: str) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    outcomes = [
        _outcome(_imported(shop, FIRST, f"first-{suffix}.csv")),
        _outcome(_imported(shop, SECOND, f"second-{suffix}.csv")),
    ]
    return outcomes, _products(shop)


@pytest.mark.parametrize(("batch_lines", "column_lines"), [(None, None), (3, 5)])
def test_the_column_road_and_the_rule_book_give_the_same_imports(
    seller: Any, monkeypatch: pytest.MonkeyPatch, batch_lines: int | None, column_lines: int | None
) -> None:
    if batch_lines and column_lines:  # several batches a chunk, several chunks a file
        monkeypatch.setattr(product_transformation, "BATCH_LINES", batch_lines)
        monkeypatch.setattr(product_column_road, "COLUMN_LINES", column_lines)
    shop = seller.shop
    taken: list[list[int]] = []
    road = product_column_road.plain_products

    def counted(*args: Any) -> Any:
        found = road(*args)
        taken.append(found["line"].to_list())
        return found

    monkeypatch.setattr(product_column_road, "plain_products", counted)
    fast, fast_products = _run(shop, "fast")
    # Lines 6 and 21 repeat an earlier line's EAN: plain cells, then worded by the rule book.
    assert sorted(line for lines in taken for line in lines) == [
        2, 2, 3, 3, 4, 4, 5, 5, 6, 16, 18, 19, 20, 21
    ]  # fmt: skip
    assert len(taken) == (2 if column_lines is None else 6)
    Product.objects.filter(shop=shop).delete()
    empty = PLAIN_SCHEMA.to_frame()
    monkeypatch.setattr(product_column_road, "plain_products", lambda *_: empty)
    slow, slow_products = _run(shop, "slow")
    for fast_one, slow_one in zip(fast, slow, strict=True):
        for key in fast_one:
            assert (key, fast_one[key]) == (key, slow_one[key])
    assert fast_products == slow_products
    counters = ("transform_lines_read", "transform_lines_in_success", "transform_lines_in_error",
                "transform_lines_with_warning", "products_created", "products_matched",
                "products_updated", "products_invalid")  # fmt: skip
    assert [[one["fields"][c] for c in counters] for one in fast] == [
        [18, 11, 7, 2, 9, 1, 0, 1],
        [5, 4, 1, 0, 1, 0, 2, 1],
    ]
    # Reported lines carry their values as the csv module reads them, on either road.
    for one in (*fast, *slow):
        assert [values for line, values, *_ in one["lines"]] == [
            one["as_read"][line] for line, *_ in one["lines"]
        ]
    assert [
        (line, [e["code"] for e in errors], [w["code"] for w in warnings])
        for one in fast
        for line, _, errors, warnings in one["lines"]
    ] == [
        (6, [2021], []), (7, [1001], []), (8, [2018], []), (9, [], [3006]), (10, [], [3010]),
        (11, [1000], []), (13, [2011], []), (14, [1002], []), (21, [2021], []), (6, [1000], []),
    ]  # fmt: skip
    assert [[(i[0], i[1]) for i in one["integrations"]] for one in fast] == [
        [(2, "CREATED"), (3, "CREATED"), (4, "INVALID"), (5, "MATCHED"), (9, "CREATED"),
         (10, "CREATED"), (12, "CREATED"), (16, "CREATED"), (18, "CREATED"), (19, "CREATED"),
         (20, "CREATED")],
        [(2, "UPDATED"), (3, "UPDATED"), (4, "INVALID"), (5, "CREATED")],
    ]  # fmt: skip
    assert fast[0]["transformed"].decode("utf-8-sig").splitlines()[0] == HEADER
