"""The life of a commitment update: the responsible party reports (its editor,
or programme staff on its behalf), another party confirms or disputes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.agreements import services
from polo.agreements.forms import ReviewForm, UpdateForm
from polo.agreements.views.access import check, commitment_for, refusals, update_for


@require_http_methods(["GET", "POST"])
@refusals
def update_create(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_for(request, pk)
    check(
        request,
        "agreements.post_update",
        commitment,
        _(
            "Solo la parte responsable de este compromiso (%(party)s) puede informar sus "
            "avances: su organización no es la responsable."
        )
        % {"party": commitment.responsible.organization.name},
    )
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(
                commitment=commitment,
                by=request.user,
                status=form.cleaned_data["status"],
                evidence=services.Evidence(
                    note=form.cleaned_data["note"],
                    link=form.cleaned_data["link"],
                    file=form.cleaned_data.get("file") or None,
                    file_extension=form.file_extension,
                ),
            )
        except services.AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Avance registrado; queda por confirmar por otra parte."))
            return redirect(commitment)
    return render(
        request,
        "agreements/update_form.html",
        {"form": form, "commitment": commitment, "agreement": commitment.agreement},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@refusals
def update_review(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_for(request, pk)
    check(
        request,
        "agreements.review_update",
        update,
        lambda: services.review_refusal(request.user, update),
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "confirm":
                services.update_confirm(update=update, by=request.user)
                messages.success(request, _("Avance confirmado."))
            else:
                services.update_dispute(
                    update=update, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Avance impugnado; el motivo queda público."))
        except services.AgreementError as error:
            form.add_error(None, str(error))
        else:
            return redirect(update.commitment)
    status = 200
    if form.errors:
        status = 409 if form.non_field_errors() else 400
    return render(
        request,
        "agreements/update_review.html",
        {"form": form, "update": update, "commitment": update.commitment},
        status=status,
    )


urlpatterns = [
    path("compromisos/<int:pk>/avance/", update_create, name="update_create"),
    path("avances/<int:pk>/revisar/", update_review, name="update_review"),
]
