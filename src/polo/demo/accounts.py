"""Demo people: the programme's 1,000 university students and one account per role.

Students get unusable passwords (hashing a thousand passwords would take most
of a minute for nothing: they are there to be counted and listed). The demo
accounts have a known password, a verified e-mail, consent to the current
privacy notice, and, for staff roles, TOTP with a fixed demo secret so that
anyone trying the site can compute the code.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import TextIO

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.hashers import make_password

from polo.accounts.models import Consent, PrivacyNotice, User
from polo.demo import DemoError, Scale
from polo.demo import names as n
from polo.demo.directory import academic_institutions
from polo.demo.places import apportion
from polo.directory.models import Membership, Organization
from polo.territory.models import Municipality, Region

STUDENT_COUNT = 1_000
STUDENT_DOMAIN = "alumnos.polo.demo"
DEMO_PASSWORD = "polo-demo-2026"
# A fixed, public base32 secret: demo staff accounts are for trying the site,
# never for production (the command refuses to run there without --force).
DEMO_TOTP_SECRET = "POLODEMOPOLODEMOPOLODEMOPOLODEMO"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    label: str  # what the account is for, as shown in the table
    staff: bool = False
    regions: tuple[str, ...] = ()
    municipality: str = "20067"


DEMO_ACCOUNTS = [
    DemoAccount(
        "participante@polo.demo", "Citlali Ramírez Santiago", User.Role.PARTICIPANT, "Participante"
    ),
    DemoAccount(
        "editora@polo.demo",
        "Rosa Martínez Aquino",
        User.Role.PARTICIPANT,
        "Editora de organización",
    ),
    DemoAccount(
        "facilitador@polo.demo",
        "Luis Hernández Bautista",
        User.Role.FACILITATOR,
        "Facilitador (Valles Centrales y Mixteca)",
        staff=True,
        regions=("valles-centrales", "mixteca-huajuapan"),
    ),
    DemoAccount(
        "coordinacion@polo.demo",
        "Marta Ruiz Velasco",
        User.Role.COORDINATOR,
        "Coordinación",
        staff=True,
    ),
]


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    created = _students(rng)
    stdout.write(f"  Estudiantes: {created} nuevas cuentas.\n")
    for account in DEMO_ACCOUNTS:
        _demo_account(account)
    stdout.write(f"  Cuentas de demostración: {len(DEMO_ACCOUNTS)}.\n")


def _students(rng: random.Random) -> int:
    universities = academic_institutions()
    if not universities:
        raise DemoError("No hay instituciones académicas: el paso del directorio debe ir antes.")
    counts = apportion(STUDENT_COUNT, [share for _org, share in universities])
    people: list[tuple[User, Organization]] = []
    number = 0
    for (university, _share), count in zip(universities, counts, strict=True):
        for _ in range(count):
            number += 1
            full_name = n.person_name(rng)
            first, surname = full_name.split(" ")[0], full_name.split(" ")[-2]
            email = f"{n.ascii_slug(first)}.{n.ascii_slug(surname)}.{number:04d}@{STUDENT_DOMAIN}"
            people.append(
                (
                    User(
                        email=email,
                        full_name=full_name,
                        role=User.Role.PARTICIPANT,
                        municipality_id=university.municipality_id,
                        password=make_password(None),
                    ),
                    university,
                )
            )
    existing = set(
        User.objects.filter(email__endswith=f"@{STUDENT_DOMAIN}").values_list("email", flat=True)
    )
    new = [(user, org) for user, org in people if user.email not in existing]
    if not new:
        return 0
    users = User.objects.bulk_create([user for user, _org in new], batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organization=org, position="Estudiante", is_editor=False)
            for user, (_user, org) in zip(users, new, strict=True)
        ],
        batch_size=1000,
    )
    return len(users)


def _demo_account(account: DemoAccount) -> User:
    municipality = Municipality.objects.filter(code=account.municipality).first()
    wanted = {
        "role": account.role,
        "is_active": True,
        "is_staff": account.role == User.Role.COORDINATOR,
        "is_superuser": account.role == User.Role.COORDINATOR,
    }
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User(
            email=account.email, full_name=account.full_name, municipality=municipality, **wanted
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif any(getattr(user, key) != value for key, value in wanted.items()):
        # Someone changed a demo account's role: put it back, and only then
        # write (a second demo run leaves no trace in the history).
        for key, value in wanted.items():
            setattr(user, key, value)
        user.save(update_fields=list(wanted))
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    notice = PrivacyNotice.current()
    if notice is not None:
        Consent.objects.get_or_create(user=user, notice=notice)
    if account.regions:
        regions = list(Region.objects.filter(slug__in=account.regions))
        if not regions:  # a catalogue with other slugs: the first two regions
            regions = list(Region.objects.all()[:2])
        missing = set(regions) - set(user.regions.all())
        if missing:
            user.regions.add(*missing)
    if account.staff:
        _give_demo_totp(user)
    if account.email.startswith("editora@"):
        _editor_membership(user)
    return user


def _give_demo_totp(user: User) -> None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )
    elif decrypt(authenticator.data.get("secret", "")) != DEMO_TOTP_SECRET:
        authenticator.data = {**authenticator.data, "secret": encrypt(DEMO_TOTP_SECRET)}
        authenticator.save(update_fields=["data"])


def _editor_membership(user: User) -> None:
    if Membership.objects.filter(user=user, is_editor=True).exists():
        return
    organization = (
        Organization.objects.published()
        .of_kind(Organization.Kind.CSO)
        .filter(municipality__code="20067")
        .order_by("name")
        .first()
    ) or Organization.objects.of_kind(Organization.Kind.CSO).order_by("name").first()
    if organization is None:
        raise DemoError("No hay organizaciones para la cuenta editora.")
    Membership.objects.get_or_create(
        user=user,
        organization=organization,
        defaults={"position": "Coordinadora general", "is_editor": True},
    )


def current_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> tuple[str, int]:
    """The TOTP code valid now, and the seconds it stays valid."""
    now = time.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, int(now) // period))
    return code, period - int(now) % period


def account_rows(*, with_codes: bool = True) -> list[dict[str, str]]:
    """The demo accounts as printed by ``polo demo``: role, e-mail, password, TOTP."""
    rows = []
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    for account in DEMO_ACCOUNTS:
        row = {
            "label": account.label,
            "email": account.email,
            "password": DEMO_PASSWORD,
            "secret": "",
            "uri": "",
            "code": "",
        }
        user = users.get(account.email)
        if account.staff and user is not None:
            row["secret"] = DEMO_TOTP_SECRET
            row["uri"] = get_mfa_adapter().build_totp_url(user, DEMO_TOTP_SECRET)
            if with_codes:
                row["code"] = current_code()[0]
        rows.append(row)
    return rows
