"""Orders placed with a shop and their lines, in the seller contract's states (OR11).

An order line keeps what was sold as it was when the customer ordered (sku, title, price):
the offer may change or go afterwards, the order must not.
"""

from django.db import models

# Every order ships from the shop's own stock, as its offers do: one fulfillment center.
FULFILLMENT_CENTER = "DEFAULT"


class OrderState(models.TextChoices):
    """The contract's order states (OR11 `order_state`), without the deprecated ones."""

    STAGING = "STAGING"
    WAITING_ACCEPTANCE = "WAITING_ACCEPTANCE"
    WAITING_DEBIT = "WAITING_DEBIT"
    WAITING_DEBIT_PAYMENT = "WAITING_DEBIT_PAYMENT"
    SHIPPING = "SHIPPING"
    SHIPPED = "SHIPPED"
    TO_COLLECT = "TO_COLLECT"
    RECEIVED = "RECEIVED"
    CLOSED = "CLOSED"
    REFUSED = "REFUSED"
    CANCELED = "CANCELED"


class PaymentWorkflow(models.TextChoices):
    PAY_ON_ACCEPTANCE = "PAY_ON_ACCEPTANCE"
    PAY_ON_DELIVERY = "PAY_ON_DELIVERY"
    PAY_ON_DUE_DATE = "PAY_ON_DUE_DATE"
    PAY_ON_SHIPMENT = "PAY_ON_SHIPMENT"
    NO_CUSTOMER_PAYMENT_CONFIRMATION = "NO_CUSTOMER_PAYMENT_CONFIRMATION"


class Order(models.Model):
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="orders")
    # The contract's order_id: the commercial id and the shop's letter ("CMD-0001-A").
    order_id = models.CharField(max_length=120, unique=True)
    commercial_id = models.CharField(max_length=100)
    channel = models.ForeignKey(
        "shops.Channel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=24, choices=OrderState.choices, default=OrderState.WAITING_ACCEPTANCE
    )
    payment_workflow = models.CharField(
        max_length=40, choices=PaymentWorkflow.choices, default=PaymentWorkflow.PAY_ON_ACCEPTANCE
    )
    customer_id = models.CharField(max_length=100)
    customer_firstname = models.CharField(max_length=100)
    customer_lastname = models.CharField(max_length=100)
    # The contract's shipping address keys: firstname, lastname, street_1, street_2,
    # zip_code, city, country, country_iso_code.
    shipping_address = models.JSONField(default=dict, blank=True)
    currency_iso_code = models.CharField(max_length=3, default="EUR")
    price = models.DecimalField(max_digits=14, decimal_places=2)
    shipping_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total_price = models.DecimalField(max_digits=14, decimal_places=2)
    # The longest of its offers' lead times, else the shop's; null when neither says.
    leadtime_to_ship = models.PositiveIntegerField(null=True, blank=True)
    created_date = models.DateTimeField()
    last_updated_date = models.DateTimeField(auto_now=True)
    # Lines not accepted by then are refused (services.expire_orders).
    acceptance_deadline = models.DateTimeField()
    # When the shop decided; null while waiting and when the deadline refused the order.
    acceptance_decision_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_date", "id"]
        indexes = [
            models.Index(fields=["shop", "created_date", "id"], name="order_shop_created"),
            # The dashboard: one shop's waiting orders, the soonest deadline first.
            models.Index(
                fields=["shop", "state", "acceptance_deadline"], name="order_shop_state_deadline"
            ),
            # The expiry sweep: every shop's waiting orders past their deadline.
            models.Index(fields=["state", "acceptance_deadline"], name="order_state_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.shop_id})"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # The contract's order_line_id: the order's id and the line's index ("CMD-0001-A-1").
    line_id = models.CharField(max_length=140, unique=True)
    index = models.PositiveIntegerField()
    # A copy, not a foreign key: imports delete offers in bulk, orders keep what was sold.
    offer_id = models.BigIntegerField()
    offer_sku = models.CharField(max_length=100)
    offer_state_code = models.CharField(max_length=20)
    product_sku = models.CharField(max_length=100)
    product_title = models.CharField(max_length=500)
    category_code = models.CharField(max_length=100)
    category_label = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    price_unit = models.DecimalField(max_digits=14, decimal_places=2)
    price = models.DecimalField(max_digits=14, decimal_places=2)
    shipping_price = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total_price = models.DecimalField(max_digits=14, decimal_places=2)
    state = models.CharField(
        max_length=24, choices=OrderState.choices, default=OrderState.WAITING_ACCEPTANCE
    )
    created_date = models.DateTimeField()
    last_updated_date = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "index"]
        constraints = [
            models.UniqueConstraint(fields=["order", "index"], name="unique_order_line_index")
        ]

    def __str__(self) -> str:
        return self.line_id
