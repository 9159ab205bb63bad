"""The OpenRosa server (mounted at /openrosa/, the server URL a collector is
given) and the page where a facilitator gets an app password for it.

The protocol endpoints authenticate each request themselves (HTTP Digest, or
Basic over HTTPS, with the app password: ``openrosa/auth.py``); a browser
session does not count, so a signed-in person who opens them gets the 401
challenge like any client. See ``polo.surveys.openrosa`` for the exchange.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import zlib

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from polo.surveys.models import CollectorCredential, FormVersion
from polo.surveys.openrosa import auth, responses
from polo.surveys.openrosa import submission as receiving
from polo.surveys.selectors import rounds_open_to

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER = 30  # seconds


def openrosa_endpoint(*, methods: tuple[str, ...], submission: bool = False):
    """Authenticate with the app password and give every answer the OpenRosa
    headers. Sets ``request.user`` to the collector, so that the history of
    what the request saves names them."""

    def decorate(view):
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            accept_length = receiving.accept_content_length() if submission else None
            if request.method not in methods:
                response = responses.message(
                    _("Método no permitido."), status=405, accept_length=accept_length
                )
                response["Allow"] = ", ".join(methods)
                return response
            result = auth.authenticate(request)
            if not result.ok:
                response = responses.message(
                    result.message, status=result.status, accept_length=accept_length
                )
                if result.status == 401:
                    response["WWW-Authenticate"] = auth.challenge(stale=result.stale)
                elif result.status == 429:
                    response["Retry-After"] = str(auth.FAILURE_WINDOW)
                return response
            request.user = result.user
            response = view(request, *args, **kwargs)
            return responses.with_headers(response, accept_length=accept_length)

        # Clients post without a CSRF token: they authenticate every request.
        return csrf_exempt(never_cache(functools.wraps(view)(wrapper)))

    return decorate


@openrosa_endpoint(methods=("GET", "HEAD"))
def form_list(request: HttpRequest) -> HttpResponse:
    """The rounds open to this person, one form each."""
    rounds = list(rounds_open_to(request.user).order_by("campaign__title", "order", "pk"))
    wanted = request.GET.get("formID")
    if wanted:
        rounds = [round_ for round_ in rounds if round_.xform_id == wanted]
    latest: dict[int, FormVersion] = {}
    instrument_ids = {round_.campaign.instrument_id for round_ in rounds}
    for version in (
        FormVersion.objects.filter(instrument_id__in=instrument_ids)
        .only("pk", "instrument_id", "number", "version", "xform_md5")
        .order_by("instrument_id", "-number")
    ):
        latest.setdefault(version.instrument_id, version)
    pairs = [
        (latest[round_.campaign.instrument_id], round_)
        for round_ in rounds
        if round_.campaign.instrument_id in latest
    ]
    forms = [
        responses.ListedForm(
            form_id=round_.xform_id,
            name=responses.form_name(round_),
            version=version.version,
            hash=md5,
            download_url=request.build_absolute_uri(
                reverse("openrosa:form_download", args=[round_.xform_id])
            ),
        )
        for (version, round_), md5 in zip(pairs, responses.served_hashes(pairs), strict=True)
    ]
    return responses.form_list(forms)


@openrosa_endpoint(methods=("GET", "HEAD"))
def form_download(request: HttpRequest, xform_id: str) -> HttpResponse:
    """The XForm of a round open to this person, as its current version."""
    try:
        round_ = receiving.check_round(request.user, receiving.round_for(xform_id), xform_id)
    except receiving.Rejected as rejection:
        return responses.message(rejection.message, status=rejection.status)
    version = round_.campaign.instrument.current_version
    if version is None:
        return responses.message(
            _("El formulario «%(id)s» aún no tiene versión.") % {"id": xform_id}, status=404
        )
    return responses.form_document(responses.served_xform(version, round_))


@openrosa_endpoint(methods=("GET", "HEAD", "POST"), submission=True)
def submission(request: HttpRequest) -> HttpResponse:
    """HEAD (and GET): 204, the check a client makes before posting. POST: a
    filled-in instance as `xml_submission_file`, with its files."""
    if request.method != "POST":
        return responses.no_content()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = receiving.accept_content_length()
    if length > limit:
        # Refused from its announced length, before the body is read.
        return responses.message(
            _("El envío pesa %(size)s MB; el servidor acepta hasta %(limit)s MB.")
            % {"size": round(length / 2**20, 1), "limit": round(limit / 2**20, 1)},
            status=413,
        )
    if not request.content_type.startswith("multipart/"):
        return responses.message(
            _("El envío debe ser multipart/form-data con la parte «xml_submission_file»."),
            status=400,
        )
    try:
        files = request.FILES
        fields = request.POST
    except (RequestDataTooBig, TooManyFilesSent, MultiPartParserError) as error:
        return responses.message(
            _("No se pudo leer el envío: %(error)s") % {"error": error}, status=400
        )
    upload = files.get(receiving.DOCUMENT_NAME)
    if upload is not None:
        if upload.size > receiving.MAX_DOCUMENT_BYTES:
            return responses.message(
                _("El documento de la respuesta pesa más de %(mb)s MB.")
                % {"mb": receiving.MAX_DOCUMENT_BYTES // 2**20},
                status=413,
            )
        document = upload.read()
    elif fields.get(receiving.DOCUMENT_NAME):
        document = fields[receiving.DOCUMENT_NAME].encode("utf-8")
    else:
        return responses.message(
            _("Falta la parte «xml_submission_file» con el documento de la respuesta."),
            status=400,
        )
    uploads = [
        item for name, items in files.lists() if name != receiving.DOCUMENT_NAME for item in items
    ]
    try:
        received = receiving.submission_receive(
            user=request.user, document=document, uploads=uploads
        )
    except receiving.Rejected as rejection:
        return responses.message(rejection.message, status=rejection.status)
    except OperationalError:
        # The database is busy (SQLite's write lock not granted in time) or
        # unreachable: nothing was stored, and the device should send again.
        logger.exception("openrosa: submission not stored, the database is unavailable")
        response = responses.message(
            _(
                "El servidor está ocupado y no guardó la respuesta; vuelve a enviarla en "
                "un momento."
            ),
            status=503,
        )
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return responses.message(received.message, status=received.status)


# --- the facilitator's set-up page ---------------------------------------------------------


def _needs_second_factor(user) -> bool:
    """The staff two-factor rule, checked here because the middleware leaves
    /openrosa/ alone for the collecting apps: an app password must not be a
    way around it."""
    if not (settings.STAFF_TWO_FACTOR_REQUIRED and user.is_programme_staff):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def server_url(request: HttpRequest) -> str:
    """What is typed into ODK Collect: the list's URL without "/formList"."""
    return request.build_absolute_uri(reverse("openrosa:form_list")).rsplit("/", 1)[0]


def collect_settings_payload(*, url: str, username: str, password: str) -> str:
    """What ODK Collect's and KoboCollect's settings QR code carries: the
    settings JSON, zlib-compressed and base64-encoded."""
    settings_json = {
        "general": {"server_url": url, "username": username, "password": password},
        "admin": {},
        "project": {"name": "Polo", "icon": "P", "color": "#005f56"},
    }
    return base64.b64encode(zlib.compress(json.dumps(settings_json).encode())).decode()


def collect_settings_qr(*, url: str, username: str, password: str) -> str:
    """That QR code («Configurar con código QR» in Collect), as inline SVG."""
    content = collect_settings_payload(url=url, username=username, password=password)
    return segno.make(content, error="l", micro=False).svg_inline(
        scale=4, title=_("Código QR de configuración para ODK Collect"), omitsize=False
    )


@login_required
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("surveys.use_openrosa"):
        raise PermissionDenied
    if _needs_second_factor(request.user):
        return redirect(reverse("mfa_activate_totp"))
    user = request.user
    context = {
        "server_url": server_url(request),
        "username": user.email,
        "forms": rounds_open_to(user).count(),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if auth.collector_credential_revoke(user=user):
                messages.success(
                    request,
                    _(
                        "La contraseña de recolección quedó revocada; ya no sirve en "
                        "ningún teléfono."
                    ),
                )
            return redirect("openrosa:setup")
        if action == "generate":
            password = auth.collector_credential_issue(user=user)
            context["password"] = password
            context["qr_svg"] = collect_settings_qr(
                url=context["server_url"], username=user.email, password=password
            )
        else:
            return redirect("openrosa:setup")
    elif request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    context["credential"] = CollectorCredential.objects.filter(user=user).first()
    response = render(request, "surveys/openrosa/setup.html", context)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("formList", form_list, name="form_list"),
    path("forms/<str:xform_id>/form.xml", form_download, name="form_download"),
    path("submission", submission, name="submission"),
    path("configurar/", setup, name="setup"),
]
