"""Admin for coordinators: instruments, their versions, campaigns, rounds and
responses, read-mostly.

Coordinators are not superusers: what they may do here comes from the rules in
surveys/rules.py. The work has its own pages, which the admin links to rather
than repeats: an instrument is created and versioned by uploading its XLSForm
(the upload converts and checks it), a version is never edited, and a
response's answers are changed through the form and reviewed on its page, so
that every change goes through validation, the aggregate rows and the history.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from polo.surveys.models import Campaign, FormVersion, Instrument, Response, Round


class ReadOnlyMixin:
    """Shown, never written here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FormVersionInline(ReadOnlyMixin, admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ["number", "version", "form_id", "created_at", "created_by", "links"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("En Polo"))
    def links(self, obj: FormVersion) -> str:
        return _version_links(obj)


def _version_links(version: FormVersion) -> str:
    slug, number = version.instrument.slug, version.number
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("surveys:instrument_version", args=[slug, number]),
        _("leer el cuestionario"),
        reverse("surveys:instrument_xlsform", args=[slug, number]),
        _("XLSForm"),
        reverse("surveys:instrument_xform", args=[slug, number]),
        _("XForm"),
    )


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "slug"]
    fields = ["title", "slug", "kind", "description", "created_by", "created_at", "upload"]
    readonly_fields = ["slug", "created_by", "created_at", "upload"]
    inlines = [FormVersionInline]

    def has_add_permission(self, request) -> bool:
        # An instrument is born from its XLSForm: the upload page converts it.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Versión nueva"))
    def upload(self, obj: Instrument) -> str:
        return format_html(
            '<a href="{}?instrumento={}">{}</a>',
            reverse("surveys:instrument_upload"),
            obj.slug,
            _("subir una versión nueva del XLSForm"),
        )


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["instrument", "number", "version", "form_id", "created_at", "created_by"]
    list_filter = ["instrument"]
    search_fields = ["instrument__title", "version", "form_id"]
    list_select_related = ["instrument", "created_by"]
    fields = [
        "instrument",
        "number",
        "version",
        "form_id",
        "title",
        "languages",
        "default_language",
        "xform_md5",
        "warnings",
        "created_by",
        "created_at",
        "links",
    ]
    readonly_fields = fields

    @admin.display(description=_("En Polo"))
    def links(self, obj: FormVersion) -> str:
        return _version_links(obj)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["order", "kind", "name", "starts_on", "ends_on", "is_open"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "instrument", "respondent", "status", "created_at"]
    list_filter = ["status", "respondent", "instrument"]
    search_fields = ["title", "slug"]
    list_select_related = ["instrument"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["regions"]
    readonly_fields = ["created_by", "created_at", "links"]
    inlines = [RoundInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Its rounds hold responses (protected): closing is the way out.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("En Polo"))
    def links(self, obj: Campaign) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("página de la campaña"),
            reverse("surveys:responses", args=[obj.slug]),
            _("respuestas"),
        )


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "campaign", "kind", "order", "is_open", "starts_on", "ends_on"]
    list_filter = ["kind", "is_open", "campaign"]
    search_fields = ["name", "campaign__title"]
    list_select_related = ["campaign"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only: answers change through the form, reviews on the response's
    page, where the aggregate rows are rebuilt and the history kept."""

    list_display = ["pk", "round", "status", "source", "municipality", "submitted_at"]
    list_filter = ["status", "source", "round__campaign"]
    search_fields = ["instance_id", "organization__name"]
    list_select_related = ["round__campaign", "municipality__state"]
    show_full_result_count = False
    fields = [
        "round",
        "form_version",
        "instance_id",
        "respondent_kind",
        "organization",
        "community",
        "municipality",
        "status",
        "source",
        "submitted_by",
        "started_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "data",
        "links",
    ]
    readonly_fields = fields

    @admin.display(description=_("En Polo"))
    def links(self, obj: Response) -> str:
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("ver, revisar y su historial")
        )
