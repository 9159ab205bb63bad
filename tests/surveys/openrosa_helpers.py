"""A test OpenRosa client that speaks to /openrosa/ as ODK Collect does, and
the fixtures of the OpenRosa tests.

The client answers the server's Digest challenge itself (RFC 2617/7616,
qop=auth, MD5), computing the response from the password exactly as a
collecting app does, and reuses the nonce with an increasing count until the
server calls it stale. Submissions are multipart bodies built here byte by
byte, with the parts ODK Collect sends.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field

import pytest
from django.test import Client

from polo.surveys import services
from polo.surveys.models import Campaign, Round
from polo.surveys.openrosa import auth
from polo.surveys.openrosa.instance import data_to_xml
from polo.surveys.workbooks import xlsform_bytes

CHALLENGE_PARAM_RE = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')
BOUNDARY = "----PoloTestBoundary7MA4YWxkTrZu0gW"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def parse_challenge(header: str) -> dict[str, str]:
    scheme, _sep, rest = header.partition(" ")
    assert scheme == "Digest", header
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in CHALLENGE_PARAM_RE.finditer(rest)
    }


def digest_header(
    *, username: str, password: str, method: str, uri: str, challenge: dict, nc: int, **over
) -> str:
    """The Authorization header a client computes from a challenge."""
    cnonce = secrets.token_hex(8)
    count = f"{nc:08x}"
    ha1 = md5(f"{username}:{challenge['realm']}:{password}")
    ha2 = md5(f"{method}:{uri}")
    values = {
        "username": username,
        "realm": challenge["realm"],
        "nonce": challenge["nonce"],
        "uri": uri,
        "qop": "auth",
        "nc": count,
        "cnonce": cnonce,
        "response": md5(f"{ha1}:{challenge['nonce']}:{count}:{cnonce}:auth:{ha2}"),
        "algorithm": "MD5",
    }
    values.update(over)
    quoted = {"username", "realm", "nonce", "uri", "cnonce", "response"}
    return "Digest " + ", ".join(
        f'{key}="{value}"' if key in quoted else f"{key}={value}" for key, value in values.items()
    )


def basic_header(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@dataclass
class Part:
    name: str
    content: bytes
    filename: str | None = None
    content_type: str = "application/octet-stream"


def multipart(parts: list[Part]) -> bytes:
    lines: list[bytes] = []
    for part in parts:
        disposition = f'form-data; name="{part.name}"'
        if part.filename is not None:
            disposition += f'; filename="{part.filename}"'
        lines += [
            f"--{BOUNDARY}".encode(),
            f"Content-Disposition: {disposition}".encode(),
            f"Content-Type: {part.content_type}".encode(),
            b"",
            part.content,
        ]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def submission_parts(document: bytes, files: dict[str, tuple[bytes, str]] | None = None):
    """What ODK Collect posts: the instance, then each file under its own name."""
    parts = [Part("xml_submission_file", document, "instancia.xml", "text/xml")]
    for name, (content, content_type) in (files or {}).items():
        parts.append(Part(name, content, name, content_type))
    return parts


@dataclass
class OpenRosaClient:
    """Requests to the OpenRosa endpoints with Digest (or Basic) authentication."""

    username: str
    password: str
    scheme: str = "digest"
    secure: bool = False
    client: Client = field(default_factory=Client)
    challenge: dict | None = None
    nc: int = 0
    exchanges: list = field(default_factory=list)

    def _send(self, method: str, path: str, body: bytes | None, content_type: str | None, header):
        extra = {"secure": self.secure}
        if header:
            extra["HTTP_AUTHORIZATION"] = header
        if body is not None:
            extra["content_type"] = content_type
        response = self.client.generic(method, path, body or b"", **extra)
        self.exchanges.append((method, path, response.status_code))
        return response

    def request(self, method: str, path: str, body: bytes | None = None, content_type=None):
        if self.scheme == "basic":
            header = basic_header(self.username, self.password)
            return self._send(method, path, body, content_type, header)
        if self.challenge is None:
            first = self._send(method, path, body, content_type, None)
            if first.status_code != 401:
                return first
            self.challenge = parse_challenge(first["WWW-Authenticate"])
        for _attempt in range(2):
            self.nc += 1
            header = digest_header(
                username=self.username,
                password=self.password,
                method=method,
                uri=path,
                challenge=self.challenge,
                nc=self.nc,
            )
            response = self._send(method, path, body, content_type, header)
            challenge = response.get("WWW-Authenticate", "")
            if response.status_code == 401 and "stale=true" in challenge:
                self.challenge, self.nc = parse_challenge(challenge), 0
                continue
            return response
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def head(self, path: str):
        return self.request("HEAD", path)

    def submit(self, document: bytes, files=None, *, parts: list[Part] | None = None):
        """HEAD then POST, as ODK Collect sends a finalized form."""
        check = self.head("/openrosa/submission")
        assert check.status_code == 204, check.status_code
        body = multipart(parts if parts is not None else submission_parts(document, files))
        return self.request("POST", "/openrosa/submission", body, MULTIPART)


def message_of(response) -> str:
    """The text of an OpenRosaResponse message."""
    from defusedxml.ElementTree import fromstring

    root = fromstring(response.content)
    assert root.tag == "{http://openrosa.org/http/response}OpenRosaResponse", root.tag
    return root.find("{http://openrosa.org/http/response}message").text or ""


def instance_document(round_: Round, data: dict, *, instance_id: str | None = None, version=None):
    form_version = round_.campaign.instrument.current_version
    return data_to_xml(
        form_version.form,
        data,
        round_.xform_id,
        version or form_version.version,
        instance_id or f"uuid:{uuid.uuid4()}",
    )


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(name="collector_password")
def collector_password_fixture(facilitator) -> str:
    return auth.collector_credential_issue(user=facilitator)


@pytest.fixture(name="collector")
def collector_fixture(facilitator, collector_password) -> OpenRosaClient:
    return OpenRosaClient(facilitator.email, collector_password)


@pytest.fixture(name="other_collector")
def other_collector_fixture(other_facilitator) -> OpenRosaClient:
    password = auth.collector_credential_issue(user=other_facilitator)
    return OpenRosaClient(other_facilitator.email, password)


@pytest.fixture(name="coordinator_collector")
def coordinator_collector_fixture(coordinator) -> OpenRosaClient:
    password = auth.collector_credential_issue(user=coordinator)
    return OpenRosaClient(coordinator.email, password)


MEDIA_FORM = {
    "survey": [
        ["type", "name", "label", "required"],
        ["text", "nombre", "Nombre del lugar", "yes"],
        ["image", "foto", "Foto de la fachada", ""],
        ["file", "acta", "Acta de asamblea (PDF)", ""],
        ["begin_repeat", "visitas", "Visitas", ""],
        ["date", "visita_fecha", "Fecha", "yes"],
        ["image", "visita_foto", "Foto de la visita", ""],
        ["end_repeat", "", "", ""],
    ],
    "settings": [["form_title", "form_id", "version"], ["Registro con fotos", "fotos", "1"]],
}


@pytest.fixture(name="media_round")
def media_round_fixture(coordinator, media_root) -> Round:
    """A round of a form with photo and file questions, open to the whole programme."""
    version = services.form_version_create(
        data=xlsform_bytes(MEDIA_FORM), filename="fotos.xlsx", by=coordinator
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug="registro-fotos",
        title="Registro con fotos",
        respondent=Campaign.Respondent.COMMUNITY,
        status=Campaign.Status.OPEN,
    )
    return Round.objects.create(
        campaign=campaign, kind=Round.Kind.OTHER, name="Única", order=1, is_open=True
    )
