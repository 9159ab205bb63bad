"""Admin for coordinators: sessions, the codebook and coded passages, read
mostly. Coding, merging themes and publishing quotes have their own pages
(they go through services, which keep the passages and the trail coherent)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.qualitative.models import Code, FocusGroup, Passage


@admin.register(FocusGroup)
class FocusGroupAdmin(SimpleHistoryAdmin):
    list_display = ["title", "held_on", "municipality", "status", "facilitator"]
    list_filter = ["status", "municipality__region"]
    search_fields = ["title"]
    raw_id_fields = ["municipality", "community", "round", "facilitator", "created_by"]
    date_hierarchy = "held_on"
    # Notes change through the session's page, which realigns coded passages.
    readonly_fields = ["notes"]


@admin.register(Code)
class CodeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "slug", "is_active", "merged_into"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    readonly_fields = ["merged_into"]
    raw_id_fields = ["parent", "created_by"]


@admin.register(Passage)
class PassageAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "focus_group", "response", "is_stale", "is_published"]
    list_filter = ["is_published", "is_stale"]
    search_fields = ["text"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
