"""Operator console for shops, their channels, users and API keys."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from mercato.backoffice.console import ReadOnlyAdmin
from mercato.errors import DomainError
from mercato.shops.models import ApiKey, Channel, Shop, ShopMembership
from mercato.shops.services import (
    FIRST_SHOP_ID,
    create_shop,
    issue_shop_api_key,
    revoke_api_keys,
    set_channel_open,
)

SPANISH_CHANNEL = "ES_B2C"


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "is_default", "currency", "position")
    list_filter = ("is_default", "currency")
    search_fields = ("code", "label")


class ShopCreationForm(forms.ModelForm):
    """The add form: the shop is created by `create_shop` (with its user), not by `save()`."""

    id = forms.IntegerField(
        label="Id",
        required=False,
        min_value=1,
        help_text=f"Leave empty for the next free id from {FIRST_SHOP_ID}.",
    )

    class Meta:
        model = Shop
        fields = ("name", "id", "channels", "email")


class MembershipInline(admin.TabularInline):
    model = ShopMembership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "state", "channel_codes", "email", "date_created")
    list_display_links = ("id", "name")
    list_filter = ("state", "channels", "is_professional", "premium")
    search_fields = ("name", "email", "contact_lastname", "city")
    readonly_fields = ("date_created", "last_updated_date")
    actions = ("issue_api_key", "open_spanish_channel", "close_spanish_channel")
    add_form = ShopCreationForm
    add_fieldsets = ((None, {"fields": ("name", "id", "channels", "email")}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shop]:
        return super().get_queryset(request).prefetch_related("channels")

    @admin.display(description="channels")
    def channel_codes(self, shop: Shop) -> str:
        return ", ".join(channel.code for channel in shop.channels.all())

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "channels":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Shop | None = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Shop | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Shop | None = None) -> Any:
        # The id is the shop's identity in every API call and file: set once, at creation.
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else ("id", *fields)

    def get_inlines(self, request: HttpRequest, obj: Shop | None) -> list[type[Any]]:
        # A new shop's user comes from `create_shop`; memberships are edited afterwards.
        return [] if obj is None else [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Shop, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        shop, _user = create_shop(
            obj.name,
            shop_id=form.cleaned_data["id"],
            channels=[channel.code for channel in form.cleaned_data["channels"]],
            email=obj.email,
        )
        # The admin goes on (history, redirect) with the object it built: make it the new shop.
        obj.pk = shop.pk
        obj._state.adding = False

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        # On creation the channels were set by `create_shop`.
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description="Issue a new API key (revokes the previous ones)")
    def issue_api_key(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        for shop in queryset:
            try:
                with transaction.atomic():
                    key = issue_shop_api_key(shop.id)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                continue
            self.message_user(
                request,
                f"New API key for shop {shop.id} {shop.name}: {key} — copy it now, "
                "it will not be shown again.",
                messages.SUCCESS,
            )

    @admin.action(description=f"Open the {SPANISH_CHANNEL} channel")
    def open_spanish_channel(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_spanish_channel(request, queryset, is_open=True)

    @admin.action(description=f"Close the {SPANISH_CHANNEL} channel")
    def close_spanish_channel(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_spanish_channel(request, queryset, is_open=False)

    def _set_spanish_channel(
        self, request: HttpRequest, queryset: QuerySet[Shop], *, is_open: bool
    ) -> None:
        try:
            with transaction.atomic():
                for shop in queryset:
                    set_channel_open(shop, SPANISH_CHANNEL, is_open)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        done = "opened" if is_open else "closed"
        self.message_user(
            request,
            f"{SPANISH_CHANNEL} channel {done} for {len(queryset)} shop(s).",
            messages.SUCCESS,
        )


@admin.register(ShopMembership)
class ShopMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "shop", "created_at")
    list_select_related = ("user", "shop")
    search_fields = ("user__username", "shop__name")
    raw_id_fields = ("user", "shop")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    """Keys are read-only: the hash never changes, a key is revoked instead."""

    list_display = ("prefix", "user", "created_at", "revoked_at", "last_used_at", "is_active")
    list_select_related = ("user",)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "revoked_at", "last_used_at")
    actions = ("revoke",)

    @admin.display(boolean=True, description="active")
    def is_active(self, key: ApiKey) -> bool:
        return key.is_active

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        # Revoking is the only change a key admits.
        return request.user.has_perm("shops.change_apikey")

    @admin.action(description="Revoke", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        with transaction.atomic():
            count = revoke_api_keys(queryset)
        self.message_user(request, f"{count} API key(s) revoked.", messages.SUCCESS)
