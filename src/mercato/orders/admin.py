"""Operator console for orders: find them by shop, state and channel, read their lines."""

from django.contrib import admin

from mercato.backoffice.console import ReadOnlyAdmin, ReadOnlyInline
from mercato.orders.models import Order, OrderLine


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("line_id", "offer_sku", "product_title", "quantity", "price_unit", "price", "state")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = (
        "order_id",
        "shop",
        "state",
        "channel",
        "customer_lastname",
        "total_price",
        "currency_iso_code",
        "created_date",
        "acceptance_deadline",
    )
    list_select_related = ("shop", "channel")
    list_filter = (
        "state",
        ("shop", admin.RelatedOnlyFieldListFilter),
        ("channel", admin.RelatedOnlyFieldListFilter),
        "created_date",
    )
    search_fields = ("=order_id", "=commercial_id", "customer_lastname")
    date_hierarchy = "created_date"
    ordering = ("-created_date", "-id")
    inlines = (OrderLineInline,)
