"""Creating one product from a form (the back office's Créer un produit).

A form is one line of a product file in the operator's format: the same row check
(`validation.check_row`, the guide's error codes) and the same integration step
(`product_integration.integrate_batch`) as the product import, so that a form refuses exactly
what a file line would, and an EAN already in the catalog is matched, never duplicated. The
product waits for the operator's review, or is live at once for a shop that auto-accepts.
Callers own the transaction.
"""

from collections.abc import Mapping

from mercato.catalog.models import Product
from mercato.catalog.product_integration import INVALID, Candidate, VariantRegistry, integrate_batch
from mercato.catalog.selectors import catalog_schema
from mercato.catalog.validation import PRODUCT_COLUMNS, ProductIssue, check_row
from mercato.errors import InvalidInput
from mercato.shops.models import Shop

LINE = 1  # a form is a file of one line


class ProductRefused(InvalidInput):
    """The product was refused; `issues` says why, each on its attribute (column)."""

    def __init__(self, issues: list[ProductIssue]) -> None:
        super().__init__(
            "The product is not valid: "
            + "; ".join(f"{i.column}: {i.message('en_US')}" for i in issues)
        )
        self.issues = issues


def create_product(shop: Shop, category: str, values: Mapping[str, str]) -> Product:
    """Create the shop's product in the leaf `category` (a code) from `values` (attribute
    code -> raw text, as a file's cells); the catalog's product when its EAN is known.

    ProductRefused with every rejecting issue; warned values are dropped, as in an import.
    """
    schema = catalog_schema()
    checked = check_row({**values, PRODUCT_COLUMNS.category: category}, LINE, schema)
    if checked.product is None:
        raise ProductRefused([issue for issue in checked.issues if issue.rejects])
    [done] = integrate_batch(shop, [Candidate(LINE, checked.product)], schema, VariantRegistry())
    if done.outcome == INVALID or done.product_id is None:
        raise ProductRefused(list(done.issues))
    return Product.objects.get(id=done.product_id)
