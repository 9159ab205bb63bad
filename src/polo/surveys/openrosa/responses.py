"""The XML documents of the OpenRosa server and the headers every answer carries.

- Every response: ``X-OpenRosa-Version: 1.0`` and ``Date`` (OpenRosa HTTP
  Request API); submission endpoints add ``X-OpenRosa-Accept-Content-Length``,
  the largest body the server takes (ODK Collect splits a larger submission
  into several requests).
- Messages: ``<OpenRosaResponse xmlns="http://openrosa.org/http/response">
  <message nature="...">`` — ODK Collect and Enketo show the text to the person.
- The form list (Form List API): one ``<xform>`` per round open to the person,
  whose ``formID`` is the round's ``xform_id`` and whose ``hash`` is the MD5 of
  the very bytes ``served_xform`` serves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import http_date

from polo.surveys.models import FormVersion, Round

CONTENT_TYPE = "text/xml; charset=utf-8"
OPENROSA_VERSION = "1.0"
HASH_CACHE_SECONDS = 24 * 60 * 60

INSTANCE_ROOT_RE = re.compile(r"(<instance>\s*<[A-Za-z_][\w.-]*\s+id=)(\"[^\"]*\"|'[^']*')")
TITLE_RE = re.compile(r"<h:title>.*?</h:title>", re.DOTALL)


def with_headers(response: HttpResponse, *, accept_length: int | None = None) -> HttpResponse:
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    response["Date"] = http_date()
    if accept_length is not None:
        response["X-OpenRosa-Accept-Content-Length"] = str(accept_length)
    return response


def message(
    text: str, *, status: int, nature: str = "", accept_length: int | None = None
) -> HttpResponse:
    """An OpenRosaResponse with one message."""
    if not nature:
        nature = "submit_success" if status < 300 else "error"
    body = render_to_string("surveys/openrosa/response.xml", {"message": text, "nature": nature})
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    return with_headers(response, accept_length=accept_length)


def no_content(*, accept_length: int | None = None) -> HttpResponse:
    return with_headers(HttpResponse(status=204), accept_length=accept_length)


# --- the served form ---------------------------------------------------------------------


def form_name(round_: Round) -> str:
    """What the collecting app lists: the campaign and the round, since one
    instrument may be in the field in two rounds (or campaigns) at once."""
    return f"{round_.campaign.title} — {round_.name}"


def served_xform(version: FormVersion, round_: Round) -> bytes:
    """The version's XForm as this round serves it: the instance's form id is
    the round's ``xform_id`` (what submissions name) and the title names the
    round."""
    xform = version.xform
    xform = INSTANCE_ROOT_RE.sub(
        lambda match: match.group(1) + quoteattr(round_.xform_id), xform, count=1
    )
    xform = TITLE_RE.sub(f"<h:title>{escape(form_name(round_))}</h:title>", xform, count=1)
    return xform.encode("utf-8")


def _hash_key(version: FormVersion, round_: Round) -> str:
    inputs = f"{version.pk}:{version.xform_md5}:{round_.xform_id}:{form_name(round_)}"
    return "openrosa:form-md5:" + hashlib.sha256(inputs.encode()).hexdigest()


def served_hashes(pairs: list[tuple[FormVersion, Round]]) -> list[str]:
    """The MD5 of ``served_xform`` for each (version, round), cached: the form
    list names one for every round and would otherwise read every XForm on
    each request. Misses read the XForms they need in one query."""
    keys = [_hash_key(version, round_) for version, round_ in pairs]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        documents = FormVersion.objects.only("pk", "xform", "xform_md5").in_bulk(
            {pairs[index][0].pk for index in missing}
        )
        fresh = {}
        for index in missing:
            version, round_ = pairs[index]
            document = served_xform(documents[version.pk], round_)
            fresh[keys[index]] = hashlib.md5(document, usedforsecurity=False).hexdigest()
        cache.set_many(fresh, HASH_CACHE_SECONDS)
        found.update(fresh)
    return [found[key] for key in keys]


@dataclass(frozen=True)
class ListedForm:
    form_id: str
    name: str
    version: str
    hash: str
    download_url: str
    description: str = ""


def form_list(forms: list[ListedForm]) -> HttpResponse:
    body = render_to_string("surveys/openrosa/form_list.xml", {"forms": forms})
    return with_headers(HttpResponse(body, content_type=CONTENT_TYPE))


def form_document(document: bytes) -> HttpResponse:
    return with_headers(HttpResponse(document, content_type=CONTENT_TYPE))
