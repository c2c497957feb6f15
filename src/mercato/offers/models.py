from django.db import models
from django.db.models.functions import Now

from mercato.fields import JSONTextField


class OfferState(models.Model):
    """An offer condition (11 = Neuf); files carry the code."""

    code = models.CharField(max_length=20, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class LogisticClass(models.Model):
    """A logistic family; `max_leadtime_to_ship` bounds an offer's lead time."""

    code = models.CharField(max_length=20, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)
    max_leadtime_to_ship = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "logistic classes"

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class OfferField(models.Model):
    """An additional offer field defined by the operator (warranty, warehouse location)."""

    code = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)
    type = models.CharField(max_length=24)
    type_parameter = models.CharField(max_length=200, blank=True)
    requirement_level = models.CharField(max_length=12, default="OPTIONAL")
    validations = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class Offer(models.Model):
    """A shop's offer on a catalog product, identified by the shop's sku.

    The default channel's prices are columns; other channels' prices live in `channel_prices`
    ({"ES_B2C": {"price": "21.00", "discount_price": "19.00", "discount_start": "2026-12-01",
    "discount_end": "2026-12-31"}}, only the values a channel has), so that an offer is one
    row whatever the number of channels.
    """

    # No index of its own: the (shop, sku) index serves the shop's lookups, and a bare shop
    # index lures SQLite's planner away from it. Neither foreign key is a database
    # constraint: PostgreSQL checks one by locking the shop's (or product's) row for every
    # offer written, which made an import of a million offers several times slower. Django
    # applies CASCADE and PROTECT itself, and offers are only written through the services.
    # The product has no index either: every read of offers is a shop's, and that index cost
    # a first import of a million offers about a second; only deleting a product (PROTECT)
    # looks offers up by product, a rare operator action that scans them.
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        related_name="offers",
        db_index=False,
        db_constraint=False,
    )
    sku = models.CharField(max_length=100)
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="offers",
        db_index=False,
        db_constraint=False,
    )
    state = models.CharField(max_length=20)
    quantity = models.PositiveIntegerField(default=0)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount_start = models.DateField(null=True, blank=True)
    discount_end = models.DateField(null=True, blank=True)
    channel_prices = JSONTextField(default=dict, blank=True)
    logistic_class = models.CharField(max_length=20, blank=True)
    leadtime_to_ship = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    internal_description = models.TextField(blank=True)
    price_additional_info = models.CharField(max_length=500, blank=True)
    additional_fields = JSONTextField(default=dict, blank=True)
    # Digest of the NORMAL/REPLACE import line that last set this offer: a re-import skips a
    # line with the same digest. Any other write (partial update, back office) must clear it.
    row_hash = models.BigIntegerField(null=True, blank=True)
    # Database defaults too: a bulk insert leaves them out rather than send a million stamps.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["shop", "sku"], name="unique_offer_sku")]

    def __str__(self) -> str:
        return f"{self.sku} ({self.shop_id})"


class DeletedOffer(models.Model):
    """A deleted offer's sku and product: the sku may not go to another product for 30 days."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    sku = models.CharField(max_length=100)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    deleted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["shop", "sku"], name="deleted_offer_shop_sku")]

    def __str__(self) -> str:
        return f"{self.sku} ({self.shop_id}, deleted {self.deleted_at:%Y-%m-%d})"
