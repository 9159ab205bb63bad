"""Admin for coordinators: regions and their municipalities, the catalogue, communities.

Every change goes through django-simple-history (SimpleHistoryAdmin shows it).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from polo.territory.models import Community, Municipality, Region, State
from polo.territory.services import region_set_municipalities


class MunicipalityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        where = f" · {obj.region.name}" if obj.region_id else ""
        return f"{obj.name} ({obj.code}){where}"


class RegionForm(forms.ModelForm):
    """The region, and which municipalities belong to it (Municipality.region)."""

    municipalities = MunicipalityChoiceField(
        label=_("Municipios"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("municipios"), is_stacked=False),
        help_text=_(
            "Los municipios de la región. Elegir uno que está en otra región lo mueve a esta."
        ),
    )

    class Meta:
        model = Region
        fields = ["name", "slug", "state", "description", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Municipality.objects.select_related("region").order_by("name")
        if self.instance.pk:
            queryset = queryset.filter(state_id=self.instance.state_id)
            self.fields["municipalities"].initial = list(
                self.instance.municipalities.values_list("pk", flat=True)
            )
        self.fields["municipalities"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("state")
        strangers = (
            [m.name for m in cleaned.get("municipalities") or [] if m.state_id != state.pk]
            if state
            else []
        )
        if strangers:
            raise ValidationError(
                {
                    "municipalities": _("No están en el estado de la región: %(names)s.")
                    % {"names": ", ".join(strangers)}
                }
            )
        return cleaned


class CoordinatorAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Permissions from territory.rules, asked about each object; the module
    appears to coordinators (rule `territory`)."""

    def has_module_permission(self, request):
        return request.user.has_perm("territory")


@admin.register(Region)
class RegionAdmin(CoordinatorAdmin):
    form = RegionForm
    list_display = ["name", "state", "ordering", "municipality_count"]
    list_filter = ["state"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["ordering", "name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("state")
            .annotate(municipality_count=Count("municipalities"))
        )

    @admin.display(description=_("municipios"), ordering="municipality_count")
    def municipality_count(self, obj: Region) -> int:
        return obj.municipality_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        added, removed = region_set_municipalities(
            region=form.instance,
            municipalities=form.cleaned_data.get("municipalities") or [],
            by=request.user,
        )
        if added or removed:
            self.message_user(
                request,
                _("Municipios agregados: %(added)d; quitados: %(removed)d.")
                % {"added": added, "removed": removed},
                messages.SUCCESS,
            )


@admin.register(Municipality)
class MunicipalityAdmin(CoordinatorAdmin):
    list_display = ["code", "name", "state", "region", "district", "population"]
    list_filter = ["state", "region"]
    list_select_related = ["state", "region"]
    search_fields = ["name", "code", "seat"]
    list_per_page = 100
    fields = [
        "code",
        "name",
        "state",
        "region",
        "district",
        "seat",
        "population",
        "population_women",
        "population_men",
        "dwellings",
    ]
    # The INEGI catalogue is loaded, not typed: only the programme's fields change here.
    readonly_fields = [
        "code",
        "name",
        "state",
        "seat",
        "population",
        "population_women",
        "population_men",
        "dwellings",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("svg_path", "bbox", "label_point")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.select_related("state")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Community)
class CommunityAdmin(CoordinatorAdmin):
    list_display = ["name", "municipality", "code", "population", "source", "is_key"]
    list_filter = ["is_key", "source", "ambit", "municipality__state", "municipality__region"]
    list_select_related = ["municipality__state"]
    search_fields = ["name", "code", "municipality__name"]
    autocomplete_fields = ["municipality"]
    fields = [
        "name",
        "municipality",
        "code",
        "is_key",
        "ambit",
        "population",
        "latitude",
        "longitude",
        "altitude_m",
        "source",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source == Community.Source.INEGI:
            return ["municipality", "code", "source", "population"]
        return ["source"]

    def get_actions(self, request):
        # Deleting in bulk would skip the per-community rule (INEGI's stay).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Community.Source.USER
        super().save_model(request, obj, form, change)


@admin.register(State)
class StateAdmin(CoordinatorAdmin):
    list_display = ["code", "name", "abbreviation", "municipality_count"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_count=Count("municipalities"))

    @admin.display(description=_("municipios"), ordering="municipality_count")
    def municipality_count(self, obj: State) -> int:
        return obj.municipality_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
