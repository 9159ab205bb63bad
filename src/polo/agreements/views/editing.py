"""Managing agreements (facilitators of the region, coordinators): the agreement
and its signed document, its parties and signatories, its commitments."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.agreements import services
from polo.agreements.forms import AgreementForm, CommitmentForm, PartyForm, SignatoryForm
from polo.agreements.models import Agreement, Commitment
from polo.agreements.views.access import agreement_for, check, refusals


@require_http_methods(["GET", "POST"])
@refusals
def agreement_create(request: HttpRequest) -> HttpResponse:
    check(request, "agreements.create_agreement", None)
    return _agreement_form(request, Agreement())


@require_http_methods(["GET", "POST"])
@refusals
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for(request, slug)
    check(request, "agreements.manage_agreement", agreement)
    return _agreement_form(request, agreement)


def _agreement_form(request: HttpRequest, agreement: Agreement) -> HttpResponse:
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        services.agreement_save(
            agreement=agreement,
            by=request.user,
            document=form.cleaned_data.get("document") or None,
            m2m=form.save_m2m,
        )
        messages.success(request, _("Convenio guardado."))
        return redirect(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "agreement": agreement if agreement.pk else None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@refusals
def parties(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for(request, slug)
    check(request, "agreements.manage_agreement", agreement)
    action = request.POST.get("action")
    party_form = PartyForm(
        request.POST if action == "party" else None, agreement=agreement, prefix="party"
    )
    signatory_form = SignatoryForm(
        request.POST if action == "signatory" else None, agreement=agreement, prefix="signatory"
    )
    if action == "party" and party_form.is_valid():
        try:
            services.party_add(
                agreement=agreement,
                organization=party_form.cleaned_data["organization"],
                role=party_form.cleaned_data["role"],
            )
        except IntegrityError:
            party_form.add_error("organization", _("Esa organización ya es parte."))
        else:
            messages.success(request, _("Parte añadida."))
            return redirect("agreements:parties", slug=agreement.slug)
    if action == "signatory" and signatory_form.is_valid():
        services.signatory_add(**signatory_form.cleaned_data)
        messages.success(request, _("Firmante añadido."))
        return redirect("agreements:parties", slug=agreement.slug)
    bad = request.method == "POST"
    return render(
        request,
        "agreements/parties.html",
        {
            "agreement": agreement,
            "parties": agreement.parties.select_related("organization").prefetch_related(
                "signatories"
            ),
            "party_form": party_form,
            "signatory_form": signatory_form,
        },
        status=400 if bad else 200,
    )


@require_http_methods(["GET", "POST"])
@refusals
def commitment_create(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for(request, slug)
    check(request, "agreements.manage_agreement", agreement)
    return _commitment_form(request, agreement, Commitment())


@require_http_methods(["GET", "POST"])
@refusals
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("agreement"), pk=pk)
    agreement = agreement_for(request, commitment.agreement.slug)
    check(request, "agreements.manage_agreement", agreement)
    return _commitment_form(request, agreement, commitment)


def _commitment_form(request: HttpRequest, agreement: Agreement, commitment) -> HttpResponse:
    form = CommitmentForm(request.POST or None, instance=commitment, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        commitment = services.commitment_save(commitment=form.save(commit=False))
        messages.success(request, _("Compromiso guardado."))
        return redirect(commitment)
    return render(
        request,
        "agreements/commitment_form.html",
        {"form": form, "agreement": agreement, "commitment": commitment if commitment.pk else None},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("nuevo/", agreement_create, name="agreement_create"),
    path("compromisos/<int:pk>/editar/", commitment_edit, name="commitment_edit"),
    path("<slug:slug>/editar/", agreement_edit, name="agreement_edit"),
    path("<slug:slug>/partes/", parties, name="parties"),
    path("<slug:slug>/compromisos/nuevo/", commitment_create, name="commitment_create"),
]
