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
