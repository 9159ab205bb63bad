"""Admin for coordinators: assessments and their plans, read-only (the pages
under /autodiagnostico/ are the way to change them, through the services that
keep the scores and the audit trail right); comments may be removed."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.assessments.models import AreaScore, Assessment, Invitation, PlanAction, PlanComment


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AreaScoreInline(ReadOnly, admin.TabularInline):
    model = AreaScore
    fields = ["area", "score", "items_answered", "items_total"]
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["organization", "mode", "status", "started_at", "completed_at", "overall_score"]
    list_filter = ["status", "mode", "is_current"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "response", "previous"]
    inlines = [AreaScoreInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["assessment", "user", "invited_at"]
    search_fields = ["assessment__organization__name", "user__email"]


@admin.register(PlanAction)
class PlanActionAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "assessment", "responsible", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "assessment__organization__name"]


@admin.register(PlanComment)
class PlanCommentAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "author", "created_at"]
    search_fields = ["text", "assessment__organization__name"]
    readonly_fields = ["assessment", "action", "author", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False
