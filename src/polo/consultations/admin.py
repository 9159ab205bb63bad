"""The definitions and the audit log for coordinators. Ballots, voter records,
codes and voter lists have no admin: nothing here can put a person beside a
ballot. Every change made here is written to the consultation's audit log."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.consultations.models import AuditLog, Consultation, Option, Question


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "municipality", "status", "opens_at", "closes_at"]
    list_filter = ["status", "eligibility", "region"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["municipality", "meeting", "created_by"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = AuditLog.Action.ADMIN_CHANGED if change else AuditLog.Action.CREATED
        AuditLog.objects.create(
            consultation=obj,
            actor=request.user,
            action=action,
            detail={"fields": form.changed_data},
        )


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "consultation", "kind"]
    raw_id_fields = ["consultation"]
    inlines = [OptionInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        AuditLog.objects.create(
            consultation=obj.consultation,
            actor=request.user,
            action=AuditLog.Action.ADMIN_CHANGED,
            detail={"question": obj.text, "fields": form.changed_data},
        )


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "consultation", "actor", "action"]
    list_filter = ["action"]
    readonly_fields = ["consultation", "at", "actor", "action", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
