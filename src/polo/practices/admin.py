from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.practices.models import Evidence, GoodPractice


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "title", "note", "url", "file"]


@admin.register(GoodPractice)
class GoodPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "municipality", "status", "published_at"]
    list_filter = ["status", "municipality__region", "themes"]
    search_fields = ["title", "problem", "organization__name"]
    raw_id_fields = ["organization", "municipality", "community", "created_by", "reviewed_by"]
    filter_horizontal = ["themes", "meetings"]
    inlines = [EvidenceInline]
