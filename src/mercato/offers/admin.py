"""Operator console for what offers refer to: conditions, logistic classes, extra fields."""

from django.contrib import admin

from mercato.offers.models import LogisticClass, OfferField, OfferState


@admin.register(OfferState)
class OfferStateAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "active", "position")
    list_filter = ("active",)
    search_fields = ("code", "label")


@admin.register(LogisticClass)
class LogisticClassAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "max_leadtime_to_ship", "position")
    search_fields = ("code", "label")


@admin.register(OfferField)
class OfferFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "type", "type_parameter", "requirement_level", "position")
    list_filter = ("type", "requirement_level")
    search_fields = ("code", "label")
