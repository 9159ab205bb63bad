"""The improvement plan: for the weak items, the suggested actions (from the
instrument) and materials; the organisation picks actions, gives each a
person responsible and a date, and updates their status; the facilitator of
its region sees the plan and comments on it.

Editors keep the plan (``assessments.edit_plan``); the region's facilitators,
coordinators and editors comment (``assessments.comment_plan``); every member
sees it. An action changed by someone else since the page was drawn is not
overwritten: the person is told (PlanAction.version).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from polo.assessments import selectors, services
from polo.assessments.forms import CommentForm, PlanActionForm, PlanActionUpdateForm
from polo.assessments.models import PlanAction
from polo.assessments.views._shared import assessment_for, nav

GET_POST = ["GET", "HEAD", "POST"]


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            shown = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if shown else None, errors)
    else:
        form.add_error(None, error.messages)


def _item_choices(found) -> list[tuple[str, str]]:
    return [
        (item.name, f"{area.label} · {item.label}") for area in found.areas for item in area.items
    ]


def _render_plan(request, assessment, *, action_form=None, comment_form=None, status=200):
    language = request.LANGUAGE_CODE
    found = selectors.profile(assessment, language=language)
    actions = selectors.plan_actions(assessment)
    user = request.user
    may_edit = user.has_perm("assessments.edit_plan", assessment)
    chosen = {action.suggestion for action in actions if action.suggestion}
    definition = found.definition
    weak = [
        (
            area,
            item,
            [
                (
                    suggestion,
                    definition.text(suggestion.label, language),
                    definition.text(suggestion.material.label, language)
                    if suggestion.material
                    else "",
                    suggestion.material.safe_url if suggestion.material else "",
                )
                for suggestion in definition.items[item.name].actions
            ],
        )
        for area in found.areas
        for item in area.items
        if item.weak
    ]
    by_item = {item.name: item.label for area in found.areas for item in area.items}
    for action in actions:
        action.item_label = by_item.get(action.item, action.item)
    return render(
        request,
        "assessments/plan.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "plan"),
            "profile": found,
            "weak": weak,
            "chosen": chosen,
            "actions": actions,
            "may_edit": may_edit,
            "may_comment": user.has_perm("assessments.comment_plan", assessment),
            "action_form": action_form
            or PlanActionForm(items=_item_choices(found), initial={"due_on": ""}),
            "comment_form": comment_form or CommentForm(actions=actions),
            "comments": list(
                assessment.plan_comments.filter(action__isnull=True).select_related("author")
            ),
            "today": timezone.localdate(),
            "language": language,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(GET_POST)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    if request.method != "POST":
        return _render_plan(request, assessment)
    if not request.user.has_perm("assessments.edit_plan", assessment):
        raise PermissionDenied
    found = selectors.profile(assessment, language=request.LANGUAGE_CODE)
    form = PlanActionForm(request.POST, items=_item_choices(found))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_add(
                assessment=assessment,
                item=data["item"],
                suggestion=data["suggestion"],
                title=data["title"],
                responsible=data["responsible"],
                due_on=data["due_on"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Se agregó la acción al plan."))
            return redirect("assessments:plan", assessment.pk)
    return _render_plan(request, assessment, action_form=form)


@never_cache
@login_required
@require_http_methods(GET_POST)
def plan_action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, "assessments.edit_plan")
    action = get_object_or_404(PlanAction, pk=action_pk, assessment=assessment)
    conflict = False
    if request.method == "POST":
        form = PlanActionUpdateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_action_update(
                    action=action,
                    status=data["status"],
                    responsible=data["responsible"],
                    due_on=data["due_on"],
                    progress_note=data["progress_note"],
                    expected_version=data["version"],
                    by=request.user,
                )
            except services.PlanConflict as error:
                action = error.action
                conflict = True
                form = PlanActionUpdateForm({**request.POST.dict(), "version": action.version})
                form.is_valid()
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Se actualizó la acción."))
                return redirect("assessments:plan", assessment.pk)
    else:
        form = PlanActionUpdateForm(
            initial={
                "status": action.status,
                "responsible": action.responsible,
                "due_on": action.due_on,
                "progress_note": action.progress_note,
                "version": action.version,
            }
        )
    return render(
        request,
        "assessments/plan_action.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "plan"),
            "action": action,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@never_cache
@login_required
@require_POST
def plan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, "assessments.comment_plan")
    actions = list(assessment.plan_actions.all())
    form = CommentForm(request.POST, actions=actions)
    if form.is_valid():
        action = next((a for a in actions if a.pk == form.cleaned_data["action"]), None)
        try:
            services.plan_comment_add(
                assessment=assessment,
                action=action,
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Se publicó el comentario."))
            return redirect(f"{assessment.get_absolute_url()}plan/#comentarios")
    return _render_plan(request, assessment, comment_form=form)


urlpatterns = [
    path("<int:pk>/plan/", plan, name="plan"),
    path("<int:pk>/plan/acciones/<int:action_pk>/", plan_action, name="plan_action"),
    path("<int:pk>/plan/comentarios/", plan_comment, name="plan_comment"),
]
