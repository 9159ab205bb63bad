"""The definitions and the audit log for coordinators. Ballots, voter records,
codes and voter lists have no admin: nothing here can put a person beside a
ballot. Every change made here is written to the consultation's audit log."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from polo.consultations.models import AuditLog, Consultation, Option, Question


def frozen(consultation: Consultation | None) -> bool:
    """Once a consultation leaves the draft its definition is fixed: changing it
    after ballots are cast (an option renamed, the receipt made to show the
    choices, the dates or the status moved to reopen it) would change what the
    voters answered or break the secrecy they voted under."""
    return consultation is not None and consultation.status != Consultation.Status.DRAFT


def editable_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields if f.editable and not f.primary_key]


class FrozenInline(admin.TabularInline):
    """Read only, no rows added or removed, once the consultation is not a draft."""

    extra = 0

    def consultation_of(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        return not frozen(self.consultation_of(obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not frozen(self.consultation_of(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not frozen(self.consultation_of(obj)) and super().has_delete_permission(request, obj)


class QuestionInline(FrozenInline):
    model = Question


class OptionInline(FrozenInline):
    model = Option

    def consultation_of(self, obj):
        return obj.consultation if obj is not None else None


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["consultation", "position", "text", "kind", "max_choices"]

    def clean_consultation(self):
        consultation = self.cleaned_data["consultation"]
        if frozen(consultation):
            raise forms.ValidationError(
                _("Solo se cambian las preguntas de una consulta en borrador.")
            )
        return consultation


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "municipality", "status", "opens_at", "closes_at"]
    list_filter = ["status", "eligibility", "region"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["municipality", "meeting", "created_by"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # After the draft only the description may still be corrected.
        if frozen(obj):
            return [name for name in editable_fields(Consultation) if name != "description"]
        return super().get_readonly_fields(request, obj)

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
    form = QuestionAdminForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and frozen(obj.consultation):
            return editable_fields(Question)
        return super().get_readonly_fields(request, obj)

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
