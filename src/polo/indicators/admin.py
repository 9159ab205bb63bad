"""Admin for coordinators: indicator definitions (the pages under
/diagnostico/gestion/ are the usual way in; the admin's saves are checked by
the same Indicator.clean) and their computed cells, read-only."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.indicators import services
from polo.indicators.models import Cell, Indicator


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "source", "campaign", "unit", "is_published", "computed_at"]
    list_filter = ["source", "unit", "is_published"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["computed_at", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.indicator_refresh(obj)


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["indicator", "round", "breakdown", "label", "size", "value", "suppression"]
    list_filter = ["breakdown", "suppression"]
    search_fields = ["indicator__name", "label", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
