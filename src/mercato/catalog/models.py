import secrets
import threading
import time

from django.db import models
from django.db.models.functions import Now

from mercato.fields import JSONTextField


class Category(models.Model):
    """A node of the operator's category tree; only leaves hold products."""

    code = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True, help_text="Translations by language")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(default=1, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class ValueList(models.Model):
    code = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Value(models.Model):
    value_list = models.ForeignKey(ValueList, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["value_list", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["value_list", "code"], name="unique_value_code")
        ]

    def __str__(self) -> str:
        return f"{self.value_list.code}:{self.code}"


class AttributeType(models.TextChoices):
    CATEGORY = "CATEGORY"
    TEXT = "TEXT"
    LONG_TEXT = "LONG_TEXT"
    INTEGER = "INTEGER"
    DECIMAL = "DECIMAL"
    BOOLEAN = "BOOLEAN"
    DATE = "DATE"
    LIST = "LIST"
    LIST_MULTIPLE_VALUES = "LIST_MULTIPLE_VALUES"
    MEDIA = "MEDIA"


class RequirementLevel(models.TextChoices):
    REQUIRED = "REQUIRED"
    RECOMMENDED = "RECOMMENDED"
    OPTIONAL = "OPTIONAL"


class Attribute(models.Model):
    """An attribute's definition; where it applies is said by its attachments."""

    code = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True)
    type = models.CharField(max_length=24, choices=AttributeType.choices)
    type_parameter = models.CharField(max_length=200, blank=True)
    value_list = models.ForeignKey(
        ValueList, null=True, blank=True, on_delete=models.PROTECT, related_name="attributes"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class AttributeAttachment(models.Model):
    """An attribute attached to a category (or to all, when category is empty).

    Child categories inherit the attachments of their ancestors.
    """

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="attachments")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    requirement_level = models.CharField(max_length=12, choices=RequirementLevel.choices)
    variant = models.BooleanField(default=False)
    validations = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "category"], name="unique_attachment_per_category"
            ),
            models.UniqueConstraint(
                fields=["attribute"],
                condition=models.Q(category__isnull=True),
                name="unique_global_attachment",
            ),
        ]

    def __str__(self) -> str:
        where = self.category.code if self.category else "*"
        return f"{self.attribute.code} @ {where}"


def new_product_sku() -> str:
    return new_product_skus(1)[0]


# A marketplace sku is "MP-" and 20 hexadecimal digits: the millisecond it was drawn (44
# bits, until the year 2527), then a counter started at random in that millisecond (36 bits).
_COUNTER_BITS = 36
_sku_lock = threading.Lock()
_last_sku = 0


def new_product_skus(count: int) -> list[str]:
    """`count` new marketplace skus, in increasing order, drawn at once.

    Skus that grow with time are written at the end of the unique index, where random ones
    landed anywhere in it (COPY of 100,000 products: 1.93 s of PostgreSQL's CPU against 2.08
    s, medians of six, and more once the index outgrows memory). Two processes would have to
    draw in the same millisecond from overlapping stretches of counters to repeat a sku,
    where 48 random bits made a repeat likely (16%) somewhere in ten million products.
    """
    global _last_sku
    if count <= 0:
        return []
    start = int(time.time() * 1000) << _COUNTER_BITS | secrets.randbits(_COUNTER_BITS - 1)
    with _sku_lock:
        start = max(start, _last_sku + 1)  # the same millisecond, or a clock set back
        _last_sku = start + count - 1
    return [f"MP-{value:020X}" for value in range(start, start + count)]


class Product(models.Model):
    class Status(models.TextChoices):
        LIVE = "LIVE", "Live"
        PENDING = "PENDING", "Waiting for review"
        REJECTED = "REJECTED", "Rejected"

    # Assigned by the marketplace; sellers' own references are `shop_sku`. Unique by a
    # constraint in Meta, as the other indexed text columns are indexed there: a field's
    # unique or db_index also makes PostgreSQL a second, `LIKE` index (varchar_pattern_ops)
    # that no query uses (searches are `=` or `icontains`, which it cannot serve), and that
    # an import of a hundred thousand products paid for on every row written.
    product_sku = models.CharField(max_length=40, default=new_product_sku)
    # The category, the shop, and the product of an identifier, are not foreign key
    # constraints in the database (as an offer's shop and product): PostgreSQL checks each
    # by a query and a lock per row written (two such constraints made an INSERT of 100,000
    # rows 0.59 s longer), and an import writes them for every line. Django applies PROTECT,
    # SET_NULL and CASCADE itself, and products are only written through the services and
    # the import.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", db_constraint=False
    )
    titles = JSONTextField(default=dict, help_text="Title by locale (fr_FR, es_ES…)")
    descriptions = JSONTextField(default=dict, blank=True)
    brand = models.CharField(max_length=100, blank=True)
    attributes = JSONTextField(default=dict, blank=True, help_text="Other attribute values")
    media = JSONTextField(default=list, blank=True, help_text="Image URLs, main one first")
    variant_group_code = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    rejection_reason = models.TextField(blank=True)
    shop = models.ForeignKey(
        "shops.Shop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        db_constraint=False,
        db_index=False,  # product_shop_status_change starts with the shop
    )
    shop_sku = models.CharField(max_length=40, blank=True)
    # Searchable copy of the French title, so the console searches one column. Not indexed:
    # searches look inside titles (icontains), which a btree cannot serve, and the one
    # ordered by title (sellable_products) scans and sorts faster than it walks an index of
    # titles (60 ms against 139 ms for a rare word, 100,000 products); the index cost an
    # import of 100,000 products 0.14 s of PostgreSQL. Sorting the console's product list
    # by title scans (37 ms against 4 ms for 100,000 products).
    title = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product_sku"]
        constraints = [
            models.UniqueConstraint(fields=["product_sku"], name="product_sku_unique"),
        ]
        indexes = [
            models.Index(fields=["brand"], name="product_brand"),  # the admin's brand filter
            # A group's variants, looked up by the product import.
            models.Index(fields=["variant_group_code"], name="product_variant_group"),
            # A shop's own products by status, latest changed first (the dashboard's review
            # cards), and the aggregate that says whether its content-quality summary is
            # stale: both read from the index rather than from all of a large shop's rows.
            models.Index(
                fields=["shop", "status", "updated_at", "id"], name="product_shop_status_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.product_sku}"


class ProductIdentifier(models.Model):
    class Type(models.TextChoices):
        EAN = "EAN"
        UPC = "UPC"
        ISBN = "ISBN"

    product = models.ForeignKey(  # no constraint: see Product.category
        Product, on_delete=models.CASCADE, related_name="identifiers", db_constraint=False
    )
    type = models.CharField(max_length=4, choices=Type.choices)
    value = models.CharField(max_length=20)

    class Meta:
        ordering = ["type", "value"]
        constraints = [
            models.UniqueConstraint(fields=["type", "value"], name="unique_product_identifier")
        ]

    def __str__(self) -> str:
        return f"{self.type}|{self.value}"


class CatalogQualitySummary(models.Model):
    """The content quality of a shop's own products, worked out by a job (scoring them all
    takes seconds for a large shop: too long for a page) and kept with the fingerprint of the
    products and rules it was computed from, so that a reader knows when it is stale."""

    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.CASCADE, related_name="quality_summary"
    )
    products = models.PositiveIntegerField(default=0)  # those scored
    average = models.PositiveSmallIntegerField(null=True, blank=True)  # None: no product
    worst = models.JSONField(default=list, blank=True, help_text="[product id, score], worst first")
    fingerprint = models.CharField(max_length=64, blank=True)  # of what it was computed from
    computed_at = models.DateTimeField(null=True, blank=True)  # None: never computed yet
    # The fingerprint a refresh was last queued for, and when: one job per change, not one
    # per page view (queued again if it has not answered after a while).
    requested_for = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "catalog quality summaries"

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.average}"
