from django.db import models


class ImportStatus(models.TextChoices):
    WAITING = "WAITING"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


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


class OfferImport(models.Model):
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
    reason_status = models.TextField(blank=True)
    # The last file line whose batch is applied: a restarted import resumes after it.
    checkpoint_line = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    date_created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date_created", "-id"]
        indexes = [models.Index(fields=["shop", "status"], name="offer_import_shop_status")]

    def __str__(self) -> str:
        return f"offer import {self.id} ({self.shop_id}, {self.status})"

    @property
    def has_error_report(self) -> bool:
        return self.lines_in_error > 0


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
