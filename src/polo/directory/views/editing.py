"""The registry's editing side: propose, edit, people, networks, alliances,
review, merge, history and revert, key communities.

Every view: visitors are sent to sign in; an organisation the person may not
see is a 404, one they may see but not change a 403 (rules in
directory/rules.py). Forms are plain POSTs that work without JavaScript;
the services do the writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from polo.audit.selectors import find_tracked, record_history
from polo.directory import forms, services
from polo.directory.duplicates import find_duplicates
from polo.directory.models import (
    ContactPoint,
    KeyCommunity,
    Language,
    Membership,
    NetworkMembership,
    Organization,
    Population,
    ProfileRevision,
    Theme,
)
from polo.territory.models import Community, Municipality, Region

Status = Organization.Status
GET_POST = ["GET", "HEAD", "POST"]
QUEUE_LIMIT = 100
PICKER_LIMIT = 10


# --- helpers ---------------------------------------------------------------------


def _organization(
    request: HttpRequest, pk: int, perm: str = "directory.change_organization"
) -> Organization:
    """The organisation, if this person may see it (else 404) and do ``perm`` (else 403)."""
    organization = get_object_or_404(
        Organization.objects.select_related("municipality__region", "municipality__state"), pk=pk
    )
    if not request.user.has_perm("directory.view_organization", organization):
        raise Http404
    if not request.user.has_perm(perm, organization):
        raise PermissionDenied
    return organization


def _form_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown on the form (on the field it names, if the form has it)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _posted_pk(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _nav(organization: Organization, request: HttpRequest) -> dict[str, Any]:
    return {
        "organization": organization,
        "can_review": request.user.has_perm("directory.review_organization", organization),
        "can_revert": request.user.has_perm("directory.revert_organization", organization),
    }


def _picker(request: HttpRequest, *, exclude: list[int], networks_only: bool = False):
    """Published organisations matching ``?buscar=``, to pick one (no JavaScript)."""
    form = forms.OrganizationSearchForm(request.GET or None)
    results: list[Organization] = []
    if form.is_valid() and form.cleaned_data["buscar"]:
        found = Organization.objects.published().search(form.cleaned_data["buscar"])
        if networks_only:
            found = found.of_kind(Organization.Kind.NETWORK)
        results = list(
            found.exclude(pk__in=exclude)
            .select_related("municipality__state")
            .order_by("-relevance", "name")[:PICKER_LIMIT]
        )
    return form, results


# --- propose and edit ----------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("directory.propose_organization", raise_exception=True)
def propose(request: HttpRequest) -> HttpResponse:
    """ "Registra tu organización": a proposal that waits for review."""
    profile = forms.ProfileForms(
        data=request.POST or None, files=request.FILES or None, with_duplicate_check=True
    )
    duplicates: list = []
    if request.method == "POST" and profile.is_valid():
        try:
            organization = services.organization_propose(
                by=request.user, changes=profile.changes(), not_a_duplicate=profile.not_a_duplicate
            )
        except services.DuplicateSuspected as suspected:
            duplicates = suspected.matches
        except ValidationError as error:
            _form_errors(profile.profile, error)
        else:
            messages.success(
                request,
                _(
                    "Gracias. Registramos «%(name)s»; el equipo del programa la revisará antes "
                    "de publicarla en el directorio."
                )
                % {"name": organization.name},
            )
            return redirect("directory:organization_edit", organization.pk)
    return render(
        request,
        "directory/editing/organization_propose.html",
        {"forms": profile, "duplicates": duplicates},
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    reviewer = services.can_review(request.user, organization)
    pending = (
        None
        if reviewer
        else organization.revisions.filter(
            submitted_by=request.user, status=ProfileRevision.Status.PENDING
        ).first()
    )
    profile = forms.ProfileForms(
        organization=organization,
        data=request.POST or None,
        files=request.FILES or None,
        overlay=pending.data if pending else None,
    )
    if request.method == "POST" and profile.is_valid():
        try:
            result = services.organization_update(
                organization=organization, by=request.user, changes=profile.changes()
            )
        except ValidationError as error:
            _form_errors(profile.profile, error)
        else:
            if result.revision is not None and result.changed:
                messages.info(
                    request,
                    _(
                        "Tus cambios quedaron en revisión: se publicarán cuando el equipo del "
                        "programa los apruebe."
                    ),
                )
            elif result.changed:
                messages.success(request, _("Se guardaron los cambios."))
            else:
                messages.info(request, _("No hubo cambios que guardar."))
            return redirect("directory:organization_edit", organization.pk)
    decision = (
        organization.revisions.exclude(status=ProfileRevision.Status.PENDING)
        .select_related("reviewed_by")
        .order_by("-reviewed_at")
        .first()
    )
    return render(
        request,
        "directory/editing/organization_edit.html",
        {**_nav(organization, request), "forms": profile, "pending": pending, "decision": decision},
    )


@require_POST
@login_required
def organization_submit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    try:
        services.organization_submit_for_review(organization=organization, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Enviada a revisión."))
    return redirect("directory:organization_edit", organization.pk)


# --- people ------------------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    form = forms.MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("%(who)s está en la organización.") % {"who": membership.user}
            )
            return redirect("directory:organization_members", organization.pk)
    memberships = organization.memberships.select_related("user").order_by(
        "-is_editor", "user__full_name", "pk"
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "directory/editing/organization_members.html",
        {**_nav(organization, request), "form": form, "page": page},
    )


@require_POST
@login_required
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La persona ya no está en la organización."))
    return redirect("directory:organization_members", organization.pk)


# --- networks ----------------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_networks(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    is_network = organization.kind == Organization.Kind.NETWORK
    form = forms.NetworkMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        joining = request.POST.get("accion") == "unirse"
        other_pk = _posted_pk(request, "network" if joining else "member")
        other = Organization.objects.exclude(status=Status.ARCHIVED).filter(pk=other_pk).first()
        if other is None or (not joining and not is_network):
            form.add_error(None, _("Elige una organización de la lista."))
        else:
            network, member = (other, organization) if joining else (organization, other)
            try:
                services.network_membership_add(
                    network=network, member=member, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("«%(member)s» es integrante de «%(network)s».")
                    % {"member": member.name, "network": network.name},
                )
                return redirect("directory:organization_networks", organization.pk)
    links = organization.network_memberships.select_related("network").order_by(
        "end_date", "network__name"
    )
    members = (
        organization.network_members.select_related("member__municipality").order_by(
            "end_date", "member__name"
        )
        if is_network
        else NetworkMembership.objects.none()
    )
    current = [link.network_id for link in links if link.end_date is None]
    networks = (
        Organization.objects.published()
        .of_kind(Organization.Kind.NETWORK)
        .exclude(pk__in=[organization.pk, *current])
        .order_by("name")
    )
    search, results = _picker(
        request,
        exclude=[organization.pk, *[m.member_id for m in members if m.end_date is None]],
    )
    return render(
        request,
        "directory/editing/organization_networks.html",
        {
            **_nav(organization, request),
            "form": form,
            "links": links,
            "members": members,
            "networks": networks,
            "is_network": is_network,
            "search": search,
            "results": results,
        },
    )


@require_POST
@login_required
def network_membership_end(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    link = get_object_or_404(
        NetworkMembership, Q(network=organization) | Q(member=organization), pk=link_pk
    )
    result = services.network_membership_remove(membership=link, by=request.user)
    messages.success(
        request,
        _("Se registró la fecha de salida.") if result else _("Se quitó la integración."),
    )
    return redirect("directory:organization_networks", organization.pk)


# --- alliances ---------------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_alliances(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    form = forms.AllianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = Organization.objects.published().filter(pk=_posted_pk(request, "target")).first()
        if target is None:
            form.add_error(None, _("Elige con qué organización, de la lista."))
        else:
            try:
                services.alliance_declare(
                    source=organization, target=target, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Alianza declarada. Se mostrará en el directorio cuando «%(name)s» la "
                        "confirme."
                    )
                    % {"name": target.name},
                )
                return redirect("directory:organization_alliances", organization.pk)
    alliances = (
        services.alliances_of(organization)
        .select_related("source", "target")
        .order_by("-source_confirmed_at", "pk")
    )
    search, results = _picker(request, exclude=[organization.pk])
    return render(
        request,
        "directory/editing/organization_alliances.html",
        {
            **_nav(organization, request),
            "form": form,
            "alliances": alliances,
            "search": search,
            "results": results,
        },
    )


@require_POST
@login_required
def alliance_action(request: HttpRequest, pk: int, alliance_pk: int, action: str) -> HttpResponse:
    organization = _organization(request, pk)
    alliance = get_object_or_404(services.alliances_of(organization), pk=alliance_pk)
    if action == "confirmar":
        services.alliance_confirm(alliance=alliance, side=organization, by=request.user)
        messages.success(request, _("Alianza confirmada."))
    elif action == "retirar":
        kept = services.alliance_withdraw(alliance=alliance, side=organization, by=request.user)
        messages.success(
            request,
            _("Retiraste la confirmación: ya no se muestra en el directorio.")
            if kept
            else _("La alianza se eliminó."),
        )
    else:
        raise Http404
    return redirect("directory:organization_alliances", organization.pk)


# --- review ------------------------------------------------------------------------


def _in_scope(user) -> Q:
    """Facilitators review their regions; coordinators everything."""
    if user.is_coordinator:
        return Q()
    return Q(municipality__region__in=user.regions.all())


@never_cache
@require_http_methods(["GET", "HEAD"])
@login_required
@permission_required("directory.review_queue", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    scope = Organization.objects.filter(_in_scope(request.user))
    proposals = (
        scope.filter(status=Status.PENDING)
        .select_related("municipality__state", "municipality__region", "created_by")
        .order_by("created_at", "pk")
    )
    revisions = (
        ProfileRevision.objects.filter(
            status=ProfileRevision.Status.PENDING, organization__in=scope
        )
        .select_related("organization__municipality__state", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    counts = {"proposals": proposals.count(), "revisions": revisions.count()}
    return render(
        request,
        "directory/editing/review_queue.html",
        {
            "proposals": proposals[:QUEUE_LIMIT],
            "revisions": revisions[:QUEUE_LIMIT],
            "counts": counts,
            "limit": QUEUE_LIMIT,
            "labels": _field_labels(),
        },
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A new (pending) organisation, seen whole, approved or sent back."""
    organization = _organization(request, pk, perm="directory.review_organization")
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_review(
                organization=organization,
                by=request.user,
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("«%(name)s» se publicó.") % {"name": organization.name})
            else:
                messages.success(request, _("Se devolvió como borrador, con tu nota."))
            return redirect("directory:review_queue")
    duplicates = find_duplicates(
        name=organization.name,
        municipality=organization.municipality_id,
        rfc=organization.rfc,
        cluni=organization.cluni,
        exclude=organization.pk,
    )
    return render(
        request,
        "directory/editing/organization_review.html",
        {
            **_nav(organization, request),
            "form": form,
            "rows": _describe_profile(organization),
            "duplicates": duplicates,
        },
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def revision_review(request: HttpRequest, revision_pk: int) -> HttpResponse:
    """Changes to a published profile: proposed against current, field by field."""
    revision = get_object_or_404(
        ProfileRevision.objects.select_related("submitted_by", "reviewed_by"), pk=revision_pk
    )
    organization = _organization(
        request, revision.organization_id, perm="directory.review_organization"
    )
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_review(
                revision=revision,
                by=request.user,
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Cambios aprobados y publicados.")
                if form.approve
                else _("Cambios rechazados; quien los propuso verá tu nota."),
            )
            return redirect("directory:review_queue")
    return render(
        request,
        "directory/editing/revision_review.html",
        {
            **_nav(organization, request),
            "revision": revision,
            "form": form,
            "changes": _describe_changes(organization, revision.data),
        },
    )


# --- merge, history, revert ------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("directory.merge_organization", raise_exception=True)
def merge(request: HttpRequest) -> HttpResponse:
    """A coordinator picks two records (by number), sees them side by side, confirms."""
    source = request.POST if request.method == "POST" else request.GET
    form = forms.MergeForm(source if {"keep", "drop"} & set(source) else None)
    keep = drop = None
    if form.is_valid():
        found = Organization.objects.select_related("municipality__state").in_bulk(
            [form.cleaned_data["keep"], form.cleaned_data["drop"]]
        )
        keep, drop = found.get(form.cleaned_data["keep"]), found.get(form.cleaned_data["drop"])
        if keep is None or drop is None:
            form.add_error(None, _("No hay organización con ese número."))
            keep = drop = None
    if request.method == "POST" and keep and drop and request.POST.get("confirmar") == "1":
        try:
            summary = services.organization_merge(keep=keep, drop=drop, by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            moved = sum(summary.moved.values())
            messages.success(
                request,
                _("Se fusionó «%(drop)s» en «%(keep)s»: %(moved)s relaciones movidas.")
                % {"drop": drop.name, "keep": keep.name, "moved": moved},
            )
            return redirect("directory:organization_history", keep.pk)
    return render(
        request,
        "directory/editing/merge.html",
        {
            "form": form,
            "keep": keep,
            "drop": drop,
            "sides": _merge_preview(keep, drop) if keep and drop else None,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
@login_required
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk, perm="directory.revert_organization")
    page = record_history(
        find_tracked("directory.organization"),
        organization.pk,
        page_number=request.GET.get("pagina"),
    )
    return render(
        request,
        "directory/editing/organization_history.html",
        {**_nav(organization, request), "page": page},
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def organization_revert(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    organization = _organization(request, pk, perm="directory.revert_organization")
    record = get_object_or_404(Organization.history, id=organization.pk, history_id=history_id)
    if request.method == "POST":
        try:
            services.organization_revert(
                organization=organization, history_id=history_id, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Se restauró la versión elegida."))
        return redirect("directory:organization_history", organization.pk)
    return render(
        request,
        "directory/editing/organization_revert.html",
        {**_nav(organization, request), "record": record},
    )


# --- key communities -------------------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
def key_community_edit(request: HttpRequest, community_pk: int) -> HttpResponse:
    community = get_object_or_404(
        Community.objects.select_related("municipality__region", "municipality__state"),
        pk=community_pk,
    )
    if not request.user.has_perm("directory.edit_key_community", community):
        raise PermissionDenied
    key = KeyCommunity.objects.filter(community=community).first()
    initial = (
        {
            "reason": key.reason,
            "notes": key.notes,
            "languages": list(key.languages.values_list("pk", flat=True)),
            "organizations": list(key.organizations.values_list("pk", flat=True)),
        }
        if key
        else None
    )
    form = forms.KeyCommunityForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and request.POST.get("accion") == "quitar":
        services.key_community_unset(community=community, by=request.user)
        messages.success(
            request, _("%(name)s ya no es comunidad clave.") % {"name": community.name}
        )
        return redirect(community.municipality.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        services.key_community_set(community=community, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s es comunidad clave.") % {"name": community.name})
        return redirect("directory:key_community_edit", community.pk)
    return render(
        request,
        "directory/editing/key_community_edit.html",
        {"community": community, "key": key, "form": form},
    )


# --- what reviewers read -----------------------------------------------------------------


@dataclass
class Row:
    field: str
    label: str
    current: Any
    proposed: Any = None

    @property
    def current_items(self) -> list | None:
        return self.current if isinstance(self.current, list) else None

    @property
    def proposed_items(self) -> list | None:
        return self.proposed if isinstance(self.proposed, list) else None


def _field_labels() -> dict[str, str]:
    labels = {
        name: str(Organization._meta.get_field(name).verbose_name).capitalize()
        for name in (*services.SCALAR_FIELDS, *services.M2M_FIELDS)
    }
    labels.update(
        contacts=_("Datos de contacto"), identifiers=_("Otros identificadores"), status=_("Estado")
    )
    return labels


def _names(model, pks) -> dict[int, str]:
    pks = [pk for pk in pks if pk is not None]
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=pks)} if pks else {}


RELATED = {
    "municipality": Municipality,
    "community": Community,
    "themes": Theme,
    "populations": Population,
    "languages": Language,
    "coverage_municipalities": Municipality,
    "coverage_regions": Region,
}
CHOICES = {
    "kind": dict(Organization.Kind.choices),
    "legal_form": dict(Organization.LegalForm.choices),
    "size_band": dict(Organization.SizeBand.choices),
    "status": dict(Organization.Status.choices),
}


def _readable(snapshots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON snapshots (a profile, a revision) as text a reviewer reads; one query
    per related model whatever the number of fields."""
    wanted: dict[str, set] = {}
    for snapshot in snapshots:
        for name, model in RELATED.items():
            value = snapshot.get(name)
            ids = value if isinstance(value, list) else [value]
            wanted.setdefault(model.__name__, set()).update(ids)
    names = {
        model.__name__: _names(model, wanted.get(model.__name__, ()))
        for model in set(RELATED.values())
    }
    kinds = dict(ContactPoint.Kind.choices)
    readable = []
    for snapshot in snapshots:
        shown = {}
        for name, value in snapshot.items():
            if name in RELATED:
                lookup = names[RELATED[name].__name__]
                ids = value if isinstance(value, list) else ([value] if value else [])
                shown[name] = [lookup.get(pk, f"#{pk}") for pk in ids]
            elif name in CHOICES:
                shown[name] = str(CHOICES[name].get(value, value or ""))
            elif name == "contacts":
                shown[name] = [
                    f"{kinds.get(c['kind'], c['kind'])}: {c['value']} · "
                    + (_("público") if c["is_public"] else _("privado"))
                    for c in value
                ]
            elif name == "identifiers":
                shown[name] = [f"{i['scheme']}: {i['value']}" for i in value]
            elif name == "logo":
                shown[name] = default_storage.url(value) if value else ""
            else:
                shown[name] = "" if value is None else value
        readable.append(shown)
    return readable


def _describe_changes(organization: Organization, data: dict[str, Any]) -> list[Row]:
    current = services.organization_snapshot(organization)
    current["status"] = organization.status
    now, proposed = _readable([current, data])
    labels = _field_labels()
    return [Row(name, labels.get(name, name), now.get(name), proposed[name]) for name in data]


def _describe_profile(organization: Organization) -> list[Row]:
    (shown,) = _readable([services.organization_snapshot(organization)])
    labels = _field_labels()
    return [Row(name, labels[name], value) for name, value in shown.items()]


def _merge_preview(keep: Organization, drop: Organization) -> list[Row]:
    rows = _describe_changes(keep, services.organization_snapshot(drop))
    counts = {
        org.pk: org
        for org in Organization.objects.filter(pk__in=[keep.pk, drop.pk]).annotate(
            n_members=Count("memberships", distinct=True),
            n_networks=Count("network_memberships", distinct=True),
            n_network_members=Count("network_members", distinct=True),
            n_declared=Count("alliances_declared", distinct=True),
            n_received=Count("alliances_received", distinct=True),
        )
    }
    for attr, label in (
        ("n_members", _("Integrantes")),
        ("n_networks", _("Redes de las que es parte")),
        ("n_network_members", _("Integrantes (si es red)")),
        ("n_declared", _("Alianzas declaradas")),
        ("n_received", _("Alianzas recibidas")),
    ):
        rows.append(
            Row(attr, label, getattr(counts[keep.pk], attr), getattr(counts[drop.pk], attr))
        )
    rows.insert(0, Row("status", _("Estado"), keep.get_status_display(), drop.get_status_display()))
    return rows


urlpatterns = [
    path("registrar/", propose, name="propose"),
    path("organizaciones/<int:pk>/editar/", organization_edit, name="organization_edit"),
    path(
        "organizaciones/<int:pk>/enviar-a-revision/",
        organization_submit,
        name="organization_submit",
    ),
    path("organizaciones/<int:pk>/integrantes/", organization_members, name="organization_members"),
    path(
        "organizaciones/<int:pk>/integrantes/<int:membership_pk>/quitar/",
        membership_remove,
        name="membership_remove",
    ),
    path("organizaciones/<int:pk>/redes/", organization_networks, name="organization_networks"),
    path(
        "organizaciones/<int:pk>/redes/<int:link_pk>/terminar/",
        network_membership_end,
        name="network_membership_end",
    ),
    path(
        "organizaciones/<int:pk>/alianzas/", organization_alliances, name="organization_alliances"
    ),
    path(
        "organizaciones/<int:pk>/alianzas/<int:alliance_pk>/<slug:action>/",
        alliance_action,
        name="alliance_action",
    ),
    path("organizaciones/<int:pk>/historial/", organization_history, name="organization_history"),
    path(
        "organizaciones/<int:pk>/historial/<int:history_id>/restaurar/",
        organization_revert,
        name="organization_revert",
    ),
    path("revision/", review_queue, name="review_queue"),
    path("revision/organizaciones/<int:pk>/", organization_review, name="organization_review"),
    path("revision/cambios/<int:revision_pk>/", revision_review, name="revision_review"),
    path("fusionar/", merge, name="merge"),
    path(
        "comunidades-clave/<int:community_pk>/editar/",
        key_community_edit,
        name="key_community_edit",
    ),
]
