from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Channel(models.Model):
    """A sales channel of the marketplace (FR_B2C, ES_B2C); the default one takes `price`."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    labels = models.JSONField(default=dict, blank=True, help_text="Translations by language")
    is_default = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default="EUR")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Shop(models.Model):
    class State(models.TextChoices):
        OPEN = "OPEN", "Open"
        CLOSE = "CLOSE", "Closed"
        SUSPENDED = "SUSPENDED", "Suspended"

    # Mirakl shop ids are integers chosen by the platform, not a surrogate key.
    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    channels = models.ManyToManyField(Channel, blank=True, related_name="shops")
    currency_iso_code = models.CharField(max_length=3, default="EUR")
    is_professional = models.BooleanField(default=True)
    premium = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    contact_firstname = models.CharField(max_length=100, blank=True)
    contact_lastname = models.CharField(max_length=100, blank=True)
    street1 = models.CharField(max_length=200, blank=True)
    zip_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country_iso_code = models.CharField(max_length=3, default="FRA")
    default_language = models.CharField(max_length=5, default="fr_FR")
    lead_time_to_ship = models.PositiveIntegerField(null=True, blank=True)
    auto_accept_products = models.BooleanField(
        default=False, help_text="Products created by this shop go live without operator review."
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ShopMembership", related_name="shops"
    )
    date_created = models.DateTimeField(db_default=Now())
    last_updated_date = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class ShopMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "shop"], name="unique_membership")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop_id}"


class ApiKey(models.Model):
    """A user's API key. Only its SHA-256 is stored: the key itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a key")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
