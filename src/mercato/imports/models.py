from datetime import datetime

from django.db import models


class ImportStatus(models.TextChoices):
    WAITING = "WAITING"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


# OF02's status of a combined import's offers while their products are integrated.
WAITING_SYNCHRONIZATION_PRODUCT = "WAITING_SYNCHRONIZATION_PRODUCT"


class ImportMode(models.TextChoices):
    NORMAL = "NORMAL"
    PARTIAL_UPDATE = "PARTIAL_UPDATE"
    REPLACE = "REPLACE"


class ImportOrigin(models.TextChoices):
    API = "API"
    FRONT = "FRONT"
    FTP = "FTP"
    HTTP = "HTTP"
    HTTPS = "HTTPS"


class ImportTracking(models.Model):
    """What offer and product imports both track: the reason of their end, where a restarted
    import resumes, and the runs of their workers."""

    # Each kind of import redefines it with its own statuses.
    status = models.CharField(max_length=24)
    # The reason as a code of `imports.reasons` and its parameters, rendered in the reader's
    # language; `reason_status` keeps its text (an import stored before the codes: only it).
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    reason_status = models.TextField(blank=True)
    # The last line whose batch is applied (the file's for offers, the transformed file's
    # for products): a restarted import resumes after it.
    checkpoint_line = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    date_created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def begin(self, status: str, now: datetime) -> None:
        """A worker takes the import up (the caller holds its row locked)."""
        self.status = status
        self.attempts += 1
        self.started_at = self.started_at or now
        self.heartbeat_at = now
        self.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])


class OfferImport(ImportTracking):
    """One offer import (a file by OF01, a JSON body by OF24, a back-office upload)."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="offer_imports")
    mode = models.CharField(max_length=16, choices=ImportMode.choices, default=ImportMode.NORMAL)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.WAITING
    )
    origin = models.CharField(max_length=8, choices=ImportOrigin.choices, default=ImportOrigin.API)
    # CSV, XLSX, XML or JSON: the error report is written in the format that was sent.
    file_format = models.CharField(max_length=4, blank=True)
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, help_text="Relative to MERCATO_HOME/files")
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField(default=0)
    columns = models.JSONField(default=list, blank=True, help_text="The file's header, as sent")
    locale = models.CharField(max_length=5, default="fr_FR", help_text="Language of the reasons")
    lines_read = models.PositiveIntegerField(default=0)
    lines_in_success = models.PositiveIntegerField(default=0)
    lines_in_error = models.PositiveIntegerField(default=0)
    lines_in_pending = models.PositiveIntegerField(default=0)
    offer_inserted = models.PositiveIntegerField(default=0)
    offer_updated = models.PositiveIntegerField(default=0)
    offer_deleted = models.PositiveIntegerField(default=0)
    # An "Offres et Produits" file (OF01 with_products): the product import of the same file,
    # integrated first; this import waits (WAITING) until it is final. See `combined`.
    product_import = models.ForeignKey(
        "ProductImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offer_imports",
    )

    class Meta:
        ordering = ["-date_created", "-id"]
        indexes = [models.Index(fields=["shop", "status"], name="offer_import_shop_status")]

    def __str__(self) -> str:
        return f"offer import {self.id} ({self.shop_id}, {self.status})"

    @property
    def has_error_report(self) -> bool:
        return self.lines_in_error > 0

    @property
    def api_status(self) -> str:
        """The status as the seller API tells it: the offers of a combined file wait for
        their products as WAITING_SYNCHRONIZATION_PRODUCT."""
        products = self.product_import
        if (
            self.status == ImportStatus.WAITING
            and products is not None
            and products.status != ProductImportStatus.COMPLETE
        ):
            return WAITING_SYNCHRONIZATION_PRODUCT
        return self.status


class OfferImportError(models.Model):
    """A line of an offer import that was not applied: its values as sent and its errors."""

    offer_import = models.ForeignKey(OfferImport, on_delete=models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField()
    values = models.JSONField(help_text="The line's values in file order, as sent")
    # [{"column": ..., "code": ..., "params": {...}}]: rendered in the reader's language later.
    issues = models.JSONField()

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer_import", "line"], name="unique_import_error_line"
            )
        ]

    def __str__(self) -> str:
        return f"import {self.offer_import_id} line {self.line}"


class ProductImportStatus(models.TextChoices):
    TRANSFORMATION_WAITING = "TRANSFORMATION_WAITING"
    TRANSFORMATION_RUNNING = "TRANSFORMATION_RUNNING"
    TRANSFORMATION_FAILED = "TRANSFORMATION_FAILED"
    WAITING = "WAITING"
    RUNNING = "RUNNING"
    SENT = "SENT"
    COMPLETE = "COMPLETE"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"


class ProductImport(ImportTracking):
    """One product import (P41): the file is transformed, then its products integrated."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="product_imports")
    status = models.CharField(
        max_length=24,
        choices=ProductImportStatus.choices,
        default=ProductImportStatus.TRANSFORMATION_WAITING,
    )
    origin = models.CharField(max_length=8, choices=ImportOrigin.choices, default=ImportOrigin.API)
    operator_format = models.BooleanField(default=False)
    file_format = models.CharField(max_length=4, blank=True)
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT")
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField(default=0)
    columns = models.JSONField(default=list, blank=True, help_text="The file's header, as sent")
    mapping_version = models.PositiveIntegerField(null=True, blank=True)
    # What the mapping did not cover: {"columns": [...], "categories": [...], "values": {...}}.
    unmapped = models.JSONField(default=dict, blank=True)
    transformed_path = models.CharField(max_length=500, blank=True)
    transformed_columns = models.JSONField(default=list, blank=True)
    transform_lines_read = models.PositiveIntegerField(default=0)
    transform_lines_in_success = models.PositiveIntegerField(default=0)
    transform_lines_in_error = models.PositiveIntegerField(default=0)
    transform_lines_with_warning = models.PositiveIntegerField(default=0)
    products_created = models.PositiveIntegerField(default=0)
    products_matched = models.PositiveIntegerField(default=0)
    products_updated = models.PositiveIntegerField(default=0)
    products_invalid = models.PositiveIntegerField(default=0)
    # Lines refused for their identifier: an EAN that is not one, or one the file repeats.
    products_wrong_identifiers = models.PositiveIntegerField(default=0)
    last_updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-date_created", "-id"]
        indexes = [models.Index(fields=["shop", "status"], name="product_import_shop_status")]

    def __str__(self) -> str:
        return f"product import {self.id} ({self.shop_id}, {self.status})"


class ProductTransformationLine(models.Model):
    """A line of a product file with errors or warnings: its values as sent and its issues."""

    product_import = models.ForeignKey(
        ProductImport, on_delete=models.CASCADE, related_name="transformation_lines"
    )
    line = models.PositiveIntegerField()
    values = models.JSONField(help_text="The line's values in file order, as sent")
    # [{"column": ..., "code": ..., "args": [...]}]: rendered in the reader's language later.
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_import", "line"], name="unique_transformation_line"
            )
        ]

    def __str__(self) -> str:
        return f"product import {self.product_import_id} line {self.line}"


class ProductIntegration(models.Model):
    """What the integration did with one transformed line: created a product, matched one of
    the catalog, updated one of the shop's not yet live (sent again), or refused the line."""

    class Outcome(models.TextChoices):
        CREATED = "CREATED"
        MATCHED = "MATCHED"
        UPDATED = "UPDATED"
        INVALID = "INVALID"

    # An outcome row per line of an import: no foreign key constraints (a query and a lock
    # per row written, see catalog.Product.category), Django applies CASCADE and SET_NULL
    # itself; no index of the import alone either, product_integration_outcome starts with it.
    product_import = models.ForeignKey(
        ProductImport,
        on_delete=models.CASCADE,
        related_name="integrations",
        db_constraint=False,
        db_index=False,
    )
    line = models.PositiveIntegerField(help_text="The line in the file as sent")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    shop_sku = models.CharField(max_length=40, blank=True)
    ean = models.CharField(max_length=20, blank=True)
    category_code = models.CharField(max_length=100, blank=True)
    # INVALID only: [{"column": ..., "code": ..., "args": [...]}].
    issues = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["line"]
        indexes = [
            models.Index(fields=["product_import", "outcome"], name="product_integration_outcome")
        ]

    def __str__(self) -> str:
        return f"product import {self.product_import_id} line {self.line}: {self.outcome}"


class ProductMapping(models.Model):
    """One version of a shop's mapping of its own product files to the operator's format.

    Saving a mapping adds a version; the highest is the one transformations apply. Keys of
    `categories` and of each attribute's `values` are normalized (see `catalog.mapping`).
    """

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="product_mappings"
    )
    version = models.PositiveIntegerField()
    columns = models.JSONField(default=dict, blank=True, help_text="Source column -> attribute")
    categories = models.JSONField(
        default=dict, blank=True, help_text="Seller category -> operator leaf category"
    )
    values = models.JSONField(
        default=dict, blank=True, help_text="Attribute -> {source value -> value code}"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shop", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "version"], name="unique_mapping_version")
        ]

    def __str__(self) -> str:
        return f"mapping v{self.version} of shop {self.shop_id}"
