"""Who is sending: HTTP Digest (RFC 7616, as RFC 2617 clients speak it) and,
over HTTPS only, HTTP Basic, against a facilitator's app password.

The app password (``CollectorCredential``) is not the account password: staff
accounts have a second factor that a collecting app cannot give, and a phone
left in a car should be revocable without touching the account. It is made by
Polo (``collector_credential_issue``), shown once, and kept as a Django
password hash (for Basic) and as the Digest HA1 ``md5(email:Polo:password)``
(Digest needs it; it is worth nothing anywhere but here).

Digest nonces carry their own time and an HMAC of it with the SECRET_KEY, so
that every process of every server checks them without shared state; one older
than ``NONCE_LIFETIME`` is answered with ``stale=true`` and the client retries
without asking the person again. Replays within those minutes are possible (no
nonce-count is kept); they repeat a request to the same URL, and a repeated
submission is accepted once (the instance id is unique).

Failed attempts are counted per address and user name, and per address, in
the cache; past the limits the server answers 429 without checking anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from polo.surveys.models import CollectorCredential

REALM = "Polo"
NONCE_LIFETIME = 5 * 60  # seconds
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Failed attempts allowed in FAILURE_WINDOW: per address and user name, and per
# address whatever the name (a team behind one connection shares the latter).
FAILURE_WINDOW = 15 * 60
FAILURES_PER_USER = 10
FAILURES_PER_ADDRESS = 60
# App passwords: 20 characters typed on a phone keyboard, no look-alikes (about
# 99 bits), shown in groups of five.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 5

PARAM_RE = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def digest_ha1(email: str, password: str) -> str:
    return _md5(f"{email}:{REALM}:{password}")


# --- issuing and revoking ------------------------------------------------------------


def new_app_password() -> str:
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


@transaction.atomic
def collector_credential_issue(*, user) -> str:
    """A new app password for this person, replacing any earlier one (which
    stops working at once). Returns the password: it is not kept in clear."""
    password = new_app_password()
    CollectorCredential.objects.update_or_create(
        user=user,
        defaults={
            "password_hash": make_password(password),
            "digest_ha1": digest_ha1(user.email, password),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return password


def collector_credential_revoke(*, user) -> bool:
    deleted, _rows = CollectorCredential.objects.filter(user=user).delete()
    return bool(deleted)


# --- nonces ---------------------------------------------------------------------


def _mac(value: str) -> str:
    return salted_hmac("polo.surveys.openrosa.nonce", value, algorithm="sha256").hexdigest()[:32]


def make_nonce(now: float | None = None) -> str:
    stamp = f"{int(time.time() if now is None else now):x}"
    salt = secrets.token_hex(6)
    return f"{stamp}.{salt}.{_mac(f'{stamp}.{salt}')}"


def nonce_state(nonce: str, now: float | None = None) -> str:
    """'valid', 'stale' (ours, but too old) or 'invalid' (not made here)."""
    parts = nonce.split(".")
    if len(parts) != 3:
        return "invalid"
    stamp, salt, mac = parts
    if not constant_time_compare(mac, _mac(f"{stamp}.{salt}")):
        return "invalid"
    try:
        issued = int(stamp, 16)
    except ValueError:
        return "invalid"
    age = (time.time() if now is None else now) - issued
    return "valid" if -60 <= age <= NONCE_LIFETIME else "stale"


def challenge(*, stale: bool = False) -> str:
    """The WWW-Authenticate value of a 401."""
    value = f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{make_nonce()}"'
    return f"{value}, stale=true" if stale else value


# --- checking a request ---------------------------------------------------------------


@dataclass
class AuthResult:
    """``user`` when the request is authenticated; otherwise the status to
    answer (401, 403 or 429), a message, and whether the nonce was stale."""

    user: object | None = None
    status: int = 401
    message: str = ""
    stale: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


def parse_authorization(header: str) -> tuple[str, dict[str, str] | str]:
    """('digest', {param: value}) or ('basic', token) or ('', '')."""
    scheme, _sep, rest = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "digest":
        params = {}
        for match in PARAM_RE.finditer(rest):
            quoted, bare = match.group(2), match.group(3)
            value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
            params[match.group(1).lower()] = value
        return scheme, params
    if scheme == "basic":
        return scheme, rest.strip()
    return "", ""


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"


def _failure_keys(request, username: str) -> tuple[str, str]:
    address = _address(request)
    name = _md5(username.strip().lower())
    return f"openrosa:auth-fail:{address}:{name}", f"openrosa:auth-fail:{address}"


def _blocked(keys: tuple[str, str]) -> bool:
    counts = cache.get_many(keys)
    return (
        counts.get(keys[0], 0) >= FAILURES_PER_USER
        or counts.get(keys[1], 0) >= FAILURES_PER_ADDRESS
    )


def _record_failure(keys: tuple[str, str]) -> None:
    for key in keys:
        cache.add(key, 0, FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, FAILURE_WINDOW)


def _credential(username: str) -> CollectorCredential | None:
    username = username.strip().lower()
    if not username or len(username) > 254:
        return None
    return CollectorCredential.objects.select_related("user").filter(user__email=username).first()


def _uri_matches(uri: str, request) -> bool:
    """The Digest `uri` names this request (clients send the path and query,
    some the absolute URL)."""
    parts = urlsplit(uri)
    return unquote(parts.path) == request.path and parts.query == request.META.get(
        "QUERY_STRING", ""
    )


def _check_digest(request, params: dict[str, str]) -> tuple[CollectorCredential | None, bool]:
    """(credential, stale): the credential when the response is right."""
    required = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
    if not all(params.get(name) for name in required):
        return None, False
    if (
        params["realm"] != REALM
        or params["qop"] != "auth"
        or params.get("algorithm", "MD5").upper() != "MD5"
        or not _uri_matches(params["uri"], request)
    ):
        return None, False
    state = nonce_state(params["nonce"])
    if state == "invalid":
        return None, False
    credential = _credential(params["username"])
    if credential is None:
        return None, False
    ha2 = _md5(f"{request.method}:{params['uri']}")
    expected = _md5(
        f"{credential.digest_ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}"
    )
    if not constant_time_compare(expected, params["response"].lower()):
        return None, False
    return credential, state == "stale"


def _basic_matches(credential: CollectorCredential, password: str) -> bool:
    """The password against its hash. A right answer is remembered for a few
    minutes (under a key derived from the hash, so a new password forgets it):
    ODK Collect sends Basic with every request, and a slow hash on each
    submission would cost more than the submission."""
    key = (
        "openrosa:basic-ok:"
        + hashlib.sha256(
            f"{credential.pk}:{credential.password_hash}:{password}".encode()
        ).hexdigest()
    )
    if cache.get(key):
        return True
    if check_password(password, credential.password_hash):
        cache.set(key, True, NONCE_LIFETIME)
        return True
    return False


def _touch(credential: CollectorCredential) -> None:
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at >= LAST_USED_RESOLUTION:
        CollectorCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


def authenticate(request) -> AuthResult:
    """Check the request's Authorization header; a session does not count."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, value = parse_authorization(header)
    if not scheme:
        return AuthResult(message=_("Hace falta iniciar sesión con la contraseña de recolección."))
    if scheme == "basic" and not request.is_secure():
        return AuthResult(
            message=_(
                "La autenticación básica solo se acepta por HTTPS; usa la autenticación Digest."
            )
        )
    if scheme == "digest":
        assert isinstance(value, dict)
        username = value.get("username", "")
    else:
        try:
            decoded = base64.b64decode(str(value), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        username, _sep, password = decoded.partition(":")
    keys = _failure_keys(request, username)
    if _blocked(keys):
        return AuthResult(
            status=429,
            message=_(
                "Demasiados intentos fallidos. Espera 15 minutos y revisa la contraseña de "
                "recolección."
            ),
        )
    stale = False
    if scheme == "digest":
        credential, stale = _check_digest(request, value)
    else:
        credential = _credential(username)
        if credential is not None and not _basic_matches(credential, password):
            credential = None
    if credential is None:
        _record_failure(keys)
        return AuthResult(
            message=_(
                "El usuario o la contraseña de recolección no son correctos. La contraseña "
                "se genera en Polo, en la página «Recolección sin conexión»; no es la de tu cuenta."
            )
        )
    if stale:
        return AuthResult(stale=True, message=_("La sesión expiró; vuelve a intentarlo."))
    cache.delete(keys[0])
    user = credential.user
    if not (user.is_active and user.has_perm("surveys.use_openrosa")):
        return AuthResult(
            status=403,
            message=_("Tu cuenta no tiene permiso para recolectar sin conexión."),
        )
    _touch(credential)
    return AuthResult(user=user, status=200)
