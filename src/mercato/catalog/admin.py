"""Operator console for the catalog: the category tree, attributes, value lists, products."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from mercato.backoffice.console import ReadOnlyAdmin, ReadOnlyInline
from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    Category,
    Product,
    ProductIdentifier,
    Value,
    ValueList,
)
from mercato.catalog.moderation import accept_products, reject_products
from mercato.catalog.tree import check_parent, save_category
from mercato.errors import DomainError


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("code", "label", "labels", "parent", "position")

    def clean_parent(self) -> Category | None:
        parent: Category | None = self.cleaned_data["parent"]
        try:
            check_parent(self.instance, parent)
        except DomainError as error:
            raise ValidationError(error.message) from error
        return parent


class CategoryAttachmentInline(admin.TabularInline):
    model = AttributeAttachment
    fk_name = "category"
    extra = 0
    autocomplete_fields = ("attribute",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "indented_label", "parent", "level", "product_count", "position")
    list_select_related = ("parent",)
    list_filter = ("level", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "label", "parent__code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("level",)
    inlines = (CategoryAttachmentInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # Each category after its top-level ancestor (found for trees four levels deep), so
        # that the list reads as the tree, children indented below their root.
        root = Coalesce(
            "parent__parent__parent__code", "parent__parent__code", "parent__code", "code"
        )
        return [root.asc(), "level", "position", "code"]

    @admin.display(description="label", ordering="label")
    def indented_label(self, category: Category) -> str:
        return "— " * (category.level - 1) + category.label

    @admin.display(description="products", ordering="product_count")
    def product_count(self, category: Category) -> int:
        return category.product_count  # type: ignore[attr-defined]

    def save_model(
        self, request: HttpRequest, obj: Category, form: forms.ModelForm, change: bool
    ) -> None:
        save_category(obj)


class AttributeAttachmentInline(admin.TabularInline):
    model = AttributeAttachment
    fk_name = "attribute"
    extra = 0
    autocomplete_fields = ("category",)


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "type", "type_parameter", "value_list")
    list_select_related = ("value_list",)
    list_filter = ("type",)
    search_fields = ("code", "label")
    autocomplete_fields = ("value_list",)
    inlines = (AttributeAttachmentInline,)


@admin.register(AttributeAttachment)
class AttributeAttachmentAdmin(admin.ModelAdmin):
    list_display = ("attribute", "category", "requirement_level", "variant", "validations")
    list_select_related = ("attribute", "category")
    list_filter = ("requirement_level", "variant")
    search_fields = ("attribute__code", "category__code")
    autocomplete_fields = ("attribute", "category")


class ValueInline(admin.TabularInline):
    model = Value
    extra = 0


@admin.register(ValueList)
class ValueListAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "value_count")
    search_fields = ("code", "label")
    inlines = (ValueInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ValueList]:
        return super().get_queryset(request).annotate(value_count=Count("values"))

    @admin.display(description="values", ordering="value_count")
    def value_count(self, value_list: ValueList) -> int:
        return value_list.value_count  # type: ignore[attr-defined]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ("value_list", "code", "label", "position")
    list_select_related = ("value_list",)
    list_filter = ("value_list",)
    search_fields = ("code", "label", "value_list__code")


class IdentifierInline(ReadOnlyInline):
    model = ProductIdentifier


class ModerationActionForm(ActionForm):
    reason = forms.CharField(
        required=False,
        label="Rejection reason",
        help_text="Required to reject; the shop sees it.",
    )


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    """Products enter the catalog through `mercato setup` and seller imports, which check
    them; here the operator finds and moderates them, without editing them."""

    list_display = ("product_sku", "title", "brand", "category", "status", "shop", "shop_sku")
    list_select_related = ("category", "shop")
    list_filter = ("status", ("category", admin.RelatedOnlyFieldListFilter), "brand")
    # Identifiers and SKUs are looked up whole; titles and brands by any part.
    search_fields = ("title", "brand", "=identifiers__value", "=product_sku", "=shop_sku")
    inlines = (IdentifierInline,)
    action_form = ModerationActionForm
    actions = ("accept", "reject")

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("catalog.change_product")

    @admin.action(description="Accept (put live)", permissions=["moderate"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        with transaction.atomic():
            count = accept_products(queryset)
        self.message_user(request, f"{count} product(s) accepted.", messages.SUCCESS)

    @admin.action(
        description="Reject (with the reason typed beside the action)", permissions=["moderate"]
    )
    def reject(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        try:
            with transaction.atomic():
                count = reject_products(queryset, request.POST.get("reason", ""))
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, f"{count} product(s) rejected.", messages.SUCCESS)


@admin.register(ProductIdentifier)
class ProductIdentifierAdmin(ReadOnlyAdmin):
    list_display = ("type", "value", "product")
    list_select_related = ("product",)
    list_filter = ("type",)
    search_fields = ("=value",)
