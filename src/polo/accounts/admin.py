"""Admin for coordinators: people and their roles, privacy notices, consents.

Coordinators are not superusers: what they may do here comes from the rules
in accounts/rules.py. Nobody adds or deletes people here: people sign up, and
cancellation (which anonymizes) replaces deletion. E-mail addresses change
only through the person's verified e-mail flow.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from polo.accounts.forms import clean_person_name
from polo.accounts.models import Cancellation, Consent, PrivacyNotice, User


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "role", "regions", "is_active", "is_superuser"]
        widgets = {"regions": forms.CheckboxSelectMultiple}

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        facilitator = cleaned.get("role") == User.Role.FACILITATOR
        if facilitator and "regions" in self.fields and not cleaned.get("regions"):
            self.add_error("regions", _("Una persona facilitadora necesita al menos una región."))
        return cleaned


class AnonymizedFilter(admin.SimpleListFilter):
    title = _("cuenta cancelada")
    parameter_name = "cancelada"

    def lookups(self, request, model_admin):
        return [("si", _("Sí")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.filter(anonymized_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(anonymized_at__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    form = UserAdminForm
    list_display = ["full_name", "email", "role", "is_active", "date_joined"]
    list_filter = ["role", "regions", "is_active", AnonymizedFilter]
    search_fields = ["full_name", "email"]
    ordering = ["full_name", "email"]
    readonly_fields = ["email", "municipality", "date_joined", "last_login", "anonymized_at"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["full_name", "email", "municipality", "language"]}),
            (_("Rol"), {"fields": ["role", "regions", "is_active"]}),
            (_("Fechas"), {"fields": ["date_joined", "last_login", "anonymized_at"]}),
        ]
        if request.user.is_superuser:
            fieldsets.append((_("Administración del sistema"), {"fields": ["is_superuser"]}))
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A cancelled account is only a placeholder for aggregate records.
        if obj is not None and obj.is_anonymized:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # Coordinators work in the admin, so they need is_staff; nobody else does.
        obj.is_staff = obj.is_superuser or obj.role == User.Role.COORDINATOR
        super().save_model(request, obj, form, change)


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["version", "published_on", "is_current", "consent_count"]
    ordering = ["-published_on", "-version"]
    fields = ["version", "published_on", "is_current", "text_es", "text_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(consent_count=Count("consents"))

    @admin.display(description=_("consentimientos"), ordering="consent_count")
    def consent_count(self, obj) -> int:
        return obj.consent_count

    def get_readonly_fields(self, request, obj=None):
        # A version somebody accepted is evidence of what they accepted: its
        # text stays as it was. Changes go into a new version.
        if obj is not None and obj.consents.exists():
            return ["version", "published_on", "text_es", "text_en"]
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "notice", "accepted_at"]
    list_filter = ["notice"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "notice"]
    date_hierarchy = "accepted_at"


@admin.register(Cancellation)
class CancellationAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "reason"]
    date_hierarchy = "requested_at"
    fields = ["requested_at", "reason"]
