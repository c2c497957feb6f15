"""Reads on imports, always within one shop."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from mercato.catalog.mapping_proposals import Proposal, propose
from mercato.catalog.models import Product
from mercato.errors import NotFound
from mercato.imports.models import (
    WAITING_SYNCHRONIZATION_PRODUCT,
    ImportStatus,
    OfferImport,
    OfferImportError,
    ProductImport,
    ProductImportStatus,
    ProductIntegration,
    ProductTransformationLine,
)
from mercato.shops.models import Shop


def offer_import_of(shop: Shop, import_id: int) -> OfferImport:
    offer_import = OfferImport.objects.filter(shop=shop, id=import_id).first()
    if offer_import is None:
        raise NotFound(f"Offer import {import_id} not found.")
    return offer_import


def offer_imports(
    shop: Shop,
    *,
    status: str | None = None,
    mode: str | None = None,
    origins: list[str] | None = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> QuerySet[OfferImport]:
    imports = OfferImport.objects.filter(shop=shop).select_related("product_import")
    # As OF02 tells it (OfferImport.api_status): a combined file's offers wait for products.
    for_products = Q(status=ImportStatus.WAITING, product_import__isnull=False) & ~Q(
        product_import__status=ProductImportStatus.COMPLETE
    )
    if status == WAITING_SYNCHRONIZATION_PRODUCT:
        imports = imports.filter(for_products)
    elif status:
        imports = imports.filter(status=status).exclude(for_products)
    if mode:
        imports = imports.filter(mode=mode)
    if origins:
        imports = imports.filter(origin__in=origins)
    if start_date:
        imports = imports.filter(date_created__gte=start_date)
    if end_date:
        imports = imports.filter(date_created__lte=end_date)
    return imports.order_by("-date_created", "-id")


def import_errors(offer_import: OfferImport) -> Iterator[OfferImportError]:
    return offer_import.errors.order_by("line").iterator(chunk_size=2000)


# --- product imports -----------------------------------------------------------------------

# The statuses after the transformation: its reports and transformed file are there.
TRANSFORMED = (ProductImportStatus.SENT, ProductImportStatus.RUNNING, ProductImportStatus.COMPLETE)
_SUBMITTED = (ProductIntegration.Outcome.CREATED, ProductIntegration.Outcome.UPDATED)
_REJECTED_BY_OPERATOR = Q(
    integrations__outcome__in=_SUBMITTED,
    integrations__product__status=Product.Status.REJECTED,
)


def _with_rejected(imports: QuerySet[ProductImport]) -> QuerySet[ProductImport]:
    """Each import with `rejected`: its products the operator rejected since, counted now."""
    return imports.annotate(
        rejected=Count("integrations", filter=_REJECTED_BY_OPERATOR, distinct=True)
    )


def product_import_of(shop: Shop, import_id: int) -> ProductImport:
    found = _with_rejected(ProductImport.objects.filter(shop=shop, id=import_id)).first()
    if found is None:
        raise NotFound(f"Product import {import_id} not found.")
    return found


def product_imports(
    shop: Shop,
    *,
    status: str | None = None,
    changed_since: datetime | None = None,
    has_transformed_file: bool | None = None,
    newest_first: bool = False,
) -> QuerySet[ProductImport]:
    imports = ProductImport.objects.filter(shop=shop)
    if status:
        imports = imports.filter(status=status)
    if changed_since:
        imports = imports.filter(last_updated__gte=changed_since)
    if has_transformed_file is not None:
        with_file = Q(status__in=TRANSFORMED, transform_lines_in_success__gt=0)
        imports = imports.filter(with_file if has_transformed_file else ~with_file)
    order = ["-date_created", "-id"] if newest_first else ["date_created", "id"]
    return _with_rejected(imports).order_by(*order)


def transformation_lines(product_import: ProductImport) -> Iterator[ProductTransformationLine]:
    return product_import.transformation_lines.order_by("line").iterator(chunk_size=2000)


def non_integrated(product_import: ProductImport) -> Iterator[ProductIntegration]:
    """Refused at integration, or submitted then rejected by the operator; in line order."""
    refused = Q(outcome=ProductIntegration.Outcome.INVALID) | Q(
        outcome__in=_SUBMITTED, product__status=Product.Status.REJECTED
    )
    return (
        product_import.integrations.filter(refused)
        .select_related("product")
        .order_by("line")
        .iterator(chunk_size=2000)
    )


def integrated(product_import: ProductImport) -> Iterator[ProductIntegration]:
    """Created, matched or updated, with their catalog product; in line order."""
    return (
        product_import.integrations.exclude(outcome=ProductIntegration.Outcome.INVALID)
        .select_related("product", "product__category")
        .order_by("line")
        .iterator(chunk_size=2000)
    )


def mapping_proposals(shop: Shop, import_id: int) -> list[Proposal]:
    """What the mapping assistant proposes for what this import's mapping did not cover."""
    return propose(product_import_of(shop, import_id).unmapped)


def rejected_count(product_import: ProductImport) -> int:
    """Products rejected by moderation, as annotated by `product_imports`."""
    return int(getattr(product_import, "rejected", 0))


def has_transformed_file(product_import: ProductImport) -> bool:
    return product_import.status in TRANSFORMED and product_import.transform_lines_in_success > 0


def has_transformation_error_report(product_import: ProductImport) -> bool:
    issues = product_import.transform_lines_in_error + product_import.transform_lines_with_warning
    return product_import.status in TRANSFORMED and issues > 0


def has_error_report(product_import: ProductImport) -> bool:
    refused = product_import.products_invalid + rejected_count(product_import)
    return product_import.status == ProductImportStatus.COMPLETE and refused > 0


def integrated_count(product_import: ProductImport) -> int:
    return (
        product_import.products_created
        + product_import.products_matched
        + product_import.products_updated
    )


def has_new_product_report(product_import: ProductImport) -> bool:
    integrated = integrated_count(product_import)
    return product_import.status == ProductImportStatus.COMPLETE and integrated > 0
