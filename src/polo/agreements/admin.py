from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from polo.agreements.models import Agreement, Commitment, CommitmentUpdate, Party, Signatory


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["organization"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "signed_on", "region"]
    list_filter = ["kind", "status", "region"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartyInline, CommitmentInline]


@admin.register(Signatory)
class SignatoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "post", "party"]


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "status", "party", "review", "created_at"]
    list_filter = ["review", "status"]
