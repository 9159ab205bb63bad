"""One's own account: profile, rectification, data export, cancellation; the notice."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from polo.accounts import personal_data, selectors, services
from polo.accounts.forms import CancelAccountForm, PrivacyAcceptForm, ProfileForm
from polo.accounts.models import PrivacyNotice

own_account = permission_required("accounts.manage_own_account")


@never_cache
@require_safe
@own_account
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", selectors.profile_overview(user=request.user))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@own_account
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Tus datos se guardaron."))
        response = redirect("accounts:profile")
        # The new preferred language applies from the next page on.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile_edit.html", {"form": form})


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return _notice_page(request, PrivacyNotice.current())


@require_safe
def privacy_notice_version(request: HttpRequest, version: str) -> HttpResponse:
    return _notice_page(request, get_object_or_404(PrivacyNotice, version=version))


def _notice_page(request: HttpRequest, notice: PrivacyNotice | None) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "accounts/privacy_notice.html",
        {
            "notice": notice,
            "text": notice.text_for(language) if notice else "",
            "versions": selectors.privacy_notice_versions(),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@own_account
def privacy_notice_accept(request: HttpRequest) -> HttpResponse:
    notice = PrivacyNotice.current()
    next_url = _safe_next(request)
    if notice is None or request.user.has_accepted(notice):
        return redirect(next_url)
    form = PrivacyAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(user=request.user, notice=notice)
        messages.success(request, _("Gracias. Registramos que aceptaste el aviso de privacidad."))
        return redirect(next_url)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "accounts/privacy_notice_accept.html",
        {"notice": notice, "text": notice.text_for(language), "form": form, "next": next_url},
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "accounts:profile"


@never_cache
@require_safe
@own_account
def my_data(request: HttpRequest) -> HttpResponse:
    """ARCO access: every registered section of the person's data, as a download."""
    body = json.dumps(
        personal_data.export(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"polo-mis-datos-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@own_account
def cancel(request: HttpRequest) -> HttpResponse:
    """ARCO cancellation: confirm with the password, anonymize, sign out."""
    form = CancelAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_cancel(user=request.user, reason=form.cleaned_data["reason"])
        logout(request)
        return redirect("accounts:cancelled")
    return render(request, "accounts/cancel.html", {"form": form})


@require_safe
def cancelled(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/cancelled.html")
