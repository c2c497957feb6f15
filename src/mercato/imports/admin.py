"""Operator console for product imports: follow them, read what the mapping missed and what
the assistant proposes for it; the shops' product mappings, every version."""

import io
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from mercato.backoffice.console import ReadOnlyAdmin
from mercato.backoffice.language import message_locale
from mercato.catalog.mapping import MappingRules
from mercato.catalog.mapping_files import write_mapping
from mercato.catalog.mapping_proposals import propose
from mercato.imports.models import ProductImport, ProductMapping
from mercato.imports.reasons import reason_text


@admin.register(ProductImport)
class ProductImportAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "shop",
        "status",
        "file_name",
        "transform_lines_read",
        "transform_lines_in_error",
        "products_created",
        "products_matched",
        "products_invalid",
        "date_created",
    )
    list_select_related = ("shop",)
    list_filter = ("status", "operator_format", ("shop", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=id", "file_name")
    exclude = ("unmapped", "reason_code", "reason_params", "reason_status")
    readonly_fields = ("reason", "proposals")

    @admin.display(description="reason")
    def reason(self, product_import: ProductImport) -> str:
        return reason_text(product_import, message_locale()) or "-"

    @admin.display(description="mapping proposals")
    def proposals(self, product_import: ProductImport) -> SafeString:
        rows = [
            (p.kind, p.source, f" of {p.attribute}" if p.attribute else "", p.target,
             p.target_label, p.score)
            for p in propose(product_import.unmapped)
        ]  # fmt: skip
        if not rows:
            return SafeString("-")
        return format_html_join("\n", "<div>{} '{}'{} → {} ({}), score {}</div>", rows)


@admin.register(ProductMapping)
class ProductMappingAdmin(ReadOnlyAdmin):
    """Shops save their mappings through the mapping assistant; the operator reads every
    version and downloads one as the file the assistant imports."""

    list_display = ("shop", "version", "created_at", "column_count", "category_count")
    list_select_related = ("shop",)
    list_filter = (("shop", admin.RelatedOnlyFieldListFilter),)
    readonly_fields = ("shop", "version", "created_at", "columns", "categories", "values")
    actions = ("download",)

    @admin.display(description="columns")
    def column_count(self, mapping: ProductMapping) -> int:
        return len(mapping.columns)

    @admin.display(description="categories")
    def category_count(self, mapping: ProductMapping) -> int:
        return len(mapping.categories)

    @admin.action(description="Download as a mapping file (one version)")
    def download(self, request: HttpRequest, queryset: QuerySet[ProductMapping]) -> Any:
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(request, "Select exactly one version to download.", messages.ERROR)
            return None
        mapping = selected[0]
        out = io.BytesIO()
        rules = MappingRules(mapping.version, mapping.columns, mapping.categories, mapping.values)
        write_mapping(rules, out)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="mapping-{mapping.shop_id}-v{mapping.version}.csv"'
        )
        return response
