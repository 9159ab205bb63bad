"""Admin for coordinators: the registry and its managed taxonomies (themes,
populations, languages).

Coordinators are not superusers: what they may do here comes from the rules in
directory/rules.py. Models with a history use SimpleHistoryAdmin, so every
change made here is in the audit trail too. Reviews, merges and reverts have
their own pages (directory/views/editing.py): the admin links to them rather
than repeating them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from polo.directory import services
from polo.directory.models import (
    Alliance,
    ContactPoint,
    Identifier,
    KeyCommunity,
    Language,
    Membership,
    NetworkMembership,
    Organization,
    Population,
    ProfileRevision,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_indigenous"]
    list_filter = ["is_indigenous"]
    search_fields = ["name", "name_en", "code"]


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ["kind", "value", "is_public", "order"]


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "position", "is_editor", "start_date", "end_date"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "status", "municipality", "updated_at"]
    list_filter = ["kind", "status", "municipality__state", "municipality__region"]
    search_fields = ["name", "acronym", "rfc", "cluni"]
    list_select_related = ["municipality__state"]
    raw_id_fields = ["municipality", "community", "merged_into", "created_by"]
    filter_horizontal = ["themes", "populations", "languages", "coverage_regions"]
    readonly_fields = ["created_at", "updated_at", "links"]
    inlines = [ContactPointInline, IdentifierInline, MembershipInline]
    actions = ["merge_two", "archive"]
    show_full_result_count = False  # the national set has 50,000 rows
    fieldsets = [
        (None, {"fields": ["name", "acronym", "kind", "legal_form", "status", "links"]}),
        (_("Descripción"), {"fields": ["description", "description_en"]}),
        (_("Registro"), {"fields": ["rfc", "cluni", "founded_year", "size_band", "logo"]}),
        (
            _("Lugar"),
            {
                "fields": [
                    "municipality",
                    "community",
                    "latitude",
                    "longitude",
                    "coverage_regions",
                    "coverage_municipalities",
                ]
            },
        ),
        (_("Clasificación"), {"fields": ["themes", "populations", "languages"]}),
        (_("Origen"), {"fields": ["merged_into", "created_by", "created_at", "updated_at"]}),
    ]

    def get_raw_id_fields(self, request, obj=None):
        # Thousands of municipalities: typed keys rather than a select.
        return [*self.raw_id_fields, "coverage_municipalities"]

    @admin.display(description=_("En Polo"))
    def links(self, obj: Organization) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("directory:organization_edit", args=[obj.pk]),
            _("editar en Polo"),
            reverse("directory:organization_history", args=[obj.pk]),
            _("historial y restaurar"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Themes are saved after the organisation: refresh its search text,
        # without another version in its history (the fields are derived).
        organization = form.instance
        organization.refresh_search_fields()
        Organization.objects.filter(pk=organization.pk).update(
            search_name=organization.search_name,
            search_text=organization.search_text,
            name_key=organization.name_key,
        )

    @admin.action(description=_("Fusionar las dos organizaciones elegidas"))
    def merge_two(self, request, queryset):
        chosen = list(queryset.order_by("pk").values_list("pk", flat=True)[:3])
        if len(chosen) != 2:
            self.message_user(
                request, _("Elige exactamente dos organizaciones."), level=messages.WARNING
            )
            return None
        return HttpResponseRedirect(
            f"{reverse('directory:merge')}?keep={chosen[0]}&drop={chosen[1]}"
        )

    @admin.action(description=_("Archivar las organizaciones elegidas"))
    def archive(self, request, queryset):
        done = 0
        for organization in queryset:
            try:
                services.organization_archive(organization=organization, by=request.user)
            except (ValidationError, services.PermissionDenied):
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(n)s organización archivada.", "%(n)s organizaciones archivadas.", done)
            % {"n": done},
        )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "position", "is_editor"]
    list_filter = ["role", "is_editor"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    raw_id_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(ContactPoint)
class ContactPointAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "kind", "value", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["organization__name", "value"]
    raw_id_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(Identifier)
class IdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "scheme", "value"]
    search_fields = ["organization__name", "scheme", "value"]
    raw_id_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["member", "network", "start_date", "end_date"]
    list_filter = ["network"]
    search_fields = ["member__name", "network__name"]
    raw_id_fields = ["network", "member"]
    list_select_related = ["member", "network"]


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["source", "target", "kind", "source_confirmed_at", "target_confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["source__name", "target__name"]
    raw_id_fields = ["source", "target", "declared_by"]
    list_select_related = ["source", "target"]


@admin.register(KeyCommunity)
class KeyCommunityAdmin(SimpleHistoryAdmin):
    list_display = ["community", "municipality"]
    list_filter = ["community__municipality__region"]
    search_fields = ["community__name", "community__municipality__name"]
    raw_id_fields = ["community", "organizations"]
    filter_horizontal = ["languages"]
    list_select_related = ["community__municipality__state"]

    @admin.display(description=_("municipio"))
    def municipality(self, obj: KeyCommunity) -> str:
        return str(obj.community.municipality)


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(SimpleHistoryAdmin):
    """Read-only: revisions are decided on the review page, where the diff is."""

    list_display = ["organization", "status", "submitted_by", "submitted_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["organization__name"]
    list_select_related = ["organization", "submitted_by", "reviewed_by"]
    readonly_fields = [
        "organization",
        "data",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
        "review_link",
    ]

    @admin.display(description=_("Revisar"))
    def review_link(self, obj: ProfileRevision) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("directory:revision_review", args=[obj.pk]),
            _("abrir la página de revisión"),
        )

    def has_add_permission(self, request) -> bool:
        return False
