from django.db import models


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
    ({"ES_B2C": {"price": "21.00", "discount_price": null, "discount_start": null,
    "discount_end": null}}), so that an offer is one row whatever the number of channels.
    """

    # No index of its own: the (shop, sku) and (shop, product) indexes serve the shop's
    # lookups, and a bare shop index lures SQLite's planner away from the sku index.
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="offers", db_index=False
    )
    sku = models.CharField(max_length=100)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="offers")
    state = models.CharField(max_length=20)
    quantity = models.PositiveIntegerField(default=0)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount_start = models.DateField(null=True, blank=True)
    discount_end = models.DateField(null=True, blank=True)
    channel_prices = models.JSONField(default=dict, blank=True)
    logistic_class = models.CharField(max_length=20, blank=True)
    leadtime_to_ship = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    internal_description = models.TextField(blank=True)
    price_additional_info = models.CharField(max_length=500, blank=True)
    additional_fields = models.JSONField(default=dict, blank=True)
    # Digest of the NORMAL/REPLACE import line that last set this offer: a re-import skips a
    # line with the same digest. Any other write (partial update, back office) must clear it.
    row_hash = models.CharField(max_length=32, blank=True)
    # The last import whose file carried this sku: REPLACE deletes the offers it did not carry.
    seen_import = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["shop", "sku"], name="unique_offer_sku")]
        indexes = [models.Index(fields=["shop", "product"], name="offer_shop_product")]

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
