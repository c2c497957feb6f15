"""Reads on imports, always within one shop."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet

from mercato.errors import NotFound
from mercato.imports.models import OfferImport, OfferImportError
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
    imports = OfferImport.objects.filter(shop=shop)
    if status:
        imports = imports.filter(status=status)
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
