from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.meetings.models import (
    AgendaItem,
    Evaluation,
    Meeting,
    MeetingAgreement,
    MeetingFile,
    Person,
    Registration,
)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 3


class AgreementInline(admin.TabularInline):
    model = MeetingAgreement
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start", "municipality", "status", "registration", "capacity"]
    list_filter = ["kind", "status", "registration", "municipality__region"]
    search_fields = ["title", "description"]
    date_hierarchy = "start"
    autocomplete_fields = ["municipality", "organizers"]
    raw_id_fields = ["community"]
    filter_horizontal = ["themes"]
    inlines = [AgendaInline, AgreementInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "sex", "age_band", "sector", "municipality"]
    search_fields = ["full_name", "name_key"]
    raw_id_fields = ["user", "organization", "municipality"]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "meeting", "status", "walk_in", "attended_at"]
    list_filter = ["status", "walk_in"]
    raw_id_fields = ["meeting", "person", "registered_by", "checked_in_by"]


@admin.register(MeetingFile)
class MeetingFileAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "size", "uploaded_at"]
    raw_id_fields = ["meeting", "uploaded_by"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["registration", "usefulness", "organisation"]
    raw_id_fields = ["registration"]
