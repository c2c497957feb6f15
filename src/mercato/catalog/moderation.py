"""The operator's review of products that shops create: accept them (live) or reject them.

Callers own the transaction.
"""

from django.db.models import QuerySet
from django.utils import timezone

from mercato.catalog.models import Product
from mercato.errors import InvalidInput


def _selected(products: QuerySet[Product]) -> QuerySet[Product]:
    # A fresh queryset on the primary keys: the caller's may be sliced or distinct (the
    # console's search makes it so), which update() refuses.
    return Product.objects.filter(pk__in=products.values("pk"))


def accept_products(products: QuerySet[Product]) -> int:
    """Put the products live; returns how many were not live before."""
    return (
        _selected(products)
        .exclude(status=Product.Status.LIVE)
        .update(status=Product.Status.LIVE, rejection_reason="", updated_at=timezone.now())
    )


def reject_products(products: QuerySet[Product], reason: str) -> int:
    """Reject the products with `reason`, which their shops see; returns how many."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("A rejection needs a reason, which the shop will see.")
    return _selected(products).update(
        status=Product.Status.REJECTED, rejection_reason=reason, updated_at=timezone.now()
    )
