"""Forms of the registry's editing side: a profile (with its contacts and
identifiers), memberships, networks, alliances, reviews, merges and key
communities.

Every form only reads and cleans what people typed; the writes are the
services'. Text is treated as hostile until cleaned: control and invisible
formatting characters go, lengths are bounded, markup is kept as text (the
templates escape it).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from polo.directory import text
from polo.directory.models import (
    Alliance,
    ContactPoint,
    KeyCommunity,
    Language,
    Membership,
    Organization,
    Population,
    Theme,
    validate_cluni,
    validate_rfc,
)
from polo.directory.services import organization_snapshot
from polo.territory.models import Community, Municipality, Region

# The programme's states (INEGI keys): Guerrero, Oaxaca, Puebla. A national
# list would make the page several times heavier on slow connections; an
# organisation elsewhere keeps its own municipality in the list when edited.
PROGRAMME_STATE_CODES = ("12", "20", "21")

NAME_MAX = 255
DESCRIPTION_MAX = 5000
NOTE_MAX = 2000
COVERAGE_MAX = 200
ORGANIZATIONS_NEARBY_MAX = 300
CONTACTS_MAX = 20
IDENTIFIERS_MAX = 10

# Mexico's bounding box (continental and islands), with a small margin.
LATITUDE_RANGE = (Decimal("14.3"), Decimal("32.8"))
LONGITUDE_RANGE = (Decimal("-118.6"), Decimal("-86.5"))

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}

# Characters that are never part of a name or a description: controls (Cc)
# and invisible formatting (Cf: bidirectional overrides, zero-width spaces).
_KEEP_IN_TEXT = {"\n", "\t"}


def clean_line(value: str | None) -> str:
    """One line of text: normalized, without invisible characters, single spaces."""
    value = unicodedata.normalize("NFC", value or "")
    kept = "".join(
        " " if char in _KEEP_IN_TEXT else char
        for char in value
        if char in _KEEP_IN_TEXT or unicodedata.category(char) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())


def clean_paragraphs(value: str | None) -> str:
    """Text with paragraphs: line breaks kept (at most one blank line in a row)."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in value.split("\n"):
        line = clean_line(line)
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


class CleanCharField(forms.CharField):
    """A CharField that cleans hostile text before checking its length."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("required", False)
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return clean_paragraphs(value) if self.multiline else clean_line(value)


def _normalize_key(value: str) -> str:
    return re.sub(r"[\s\-.]", "", value or "").upper()


# --- the profile ------------------------------------------------------------------


class MunicipalityField(forms.TypedChoiceField):
    """The headquarters: a select of the programme's municipalities, grouped by state."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, empty_value=None, **kwargs)

    def load(self, *, include: int | None = None) -> None:
        rows = (
            Municipality.objects.filter(Q(state__code__in=PROGRAMME_STATE_CODES) | Q(pk=include))
            .order_by("state__name", "name")
            .values_list("pk", "name", "state__name")
        )
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, name, state in rows:
            groups[state].append((pk, name))
        self.choices = [("", _("Elige el municipio")), *groups.items()]

    def clean(self, value: Any) -> Municipality | None:
        pk = super().clean(value)
        if pk is None:
            return None
        municipality = Municipality.objects.select_related("state", "region").filter(pk=pk).first()
        if municipality is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return municipality


class OrganizationForm(forms.Form):
    """Everything an editor changes on a profile (contacts and identifiers are
    formsets beside it). ``changes()`` gives the services their input."""

    name = CleanCharField(label=_("Nombre"), max_length=NAME_MAX, required=True)
    acronym = CleanCharField(label=_("Siglas"), max_length=40)
    kind = forms.ChoiceField(label=_("Tipo de organización"), choices=Organization.Kind.choices)
    legal_form = forms.ChoiceField(
        label=_("Figura jurídica"),
        choices=[("", _("Sin especificar")), *Organization.LegalForm.choices],
        required=False,
    )
    description = CleanCharField(
        label=_("Descripción"),
        multiline=True,
        max_length=DESCRIPTION_MAX,
        help_text=_("Qué hace la organización, con quién y dónde. Hasta 5,000 caracteres."),
    )
    description_en = CleanCharField(
        label=_("Descripción en inglés (opcional)"), multiline=True, max_length=DESCRIPTION_MAX
    )
    rfc = forms.CharField(
        label=_("RFC"),
        required=False,
        max_length=20,
        help_text=_("De la persona moral: 12 caracteres, p. ej. MUV120315AB1."),
    )
    cluni = forms.CharField(
        label=_("CLUNI"),
        required=False,
        max_length=24,
        help_text=_("Clave del Registro Federal de las OSC, p. ej. MUV1203150901A."),
    )
    founded_year = forms.IntegerField(label=_("Año de fundación"), required=False, min_value=1800)
    size_band = forms.ChoiceField(
        label=_("Tamaño del equipo"),
        choices=[("", _("Sin especificar")), *Organization.SizeBand.choices],
        required=False,
    )
    municipality = MunicipalityField(label=_("Municipio sede"))
    community = CleanCharField(
        label=_("Comunidad o localidad sede (opcional)"),
        max_length=160,
        help_text=_(
            "Su nombre como lo escribe el INEGI, o su clave de 9 dígitos. Debe estar en el "
            "municipio sede."
        ),
    )
    latitude = forms.DecimalField(
        label=_("Latitud"),
        required=False,
        min_value=LATITUDE_RANGE[0],
        max_value=LATITUDE_RANGE[1],
        help_text=_("En grados decimales, p. ej. 17.0606. Escribe las dos coordenadas o ninguna."),
    )
    longitude = forms.DecimalField(
        label=_("Longitud"),
        required=False,
        min_value=LONGITUDE_RANGE[0],
        max_value=LONGITUDE_RANGE[1],
        help_text=_("En grados decimales, negativa en México, p. ej. -96.7253."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Temas"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Elige al menos un tema.")},
    )
    populations = forms.ModelMultipleChoiceField(
        label=_("Poblaciones con las que trabaja"),
        queryset=Population.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Lenguas en las que trabaja"),
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    coverage_regions = forms.ModelMultipleChoiceField(
        label=_("Regiones del programa donde trabaja"),
        queryset=Region.objects.select_related("state"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    coverage_municipalities = CleanCharField(
        label=_("Municipios donde trabaja"),
        multiline=True,
        max_length=8000,
        help_text=_(
            "Uno por línea: el nombre del municipio (Guerrero, Oaxaca o Puebla) o su clave "
            "INEGI de 5 dígitos."
        ),
    )
    logo = forms.FileField(
        label=_("Logotipo"),
        required=False,
        help_text=_("PNG, JPEG o WebP; hasta 2 MB y 4000 × 4000 píxeles."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_clear = forms.BooleanField(label=_("Quitar el logotipo actual"), required=False)

    def __init__(self, *args, organization: Organization | None = None, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["founded_year"].validators.append(MaxValueValidator(this_year))
        self.fields["founded_year"].widget.attrs["max"] = this_year
        self.fields["municipality"].load(
            include=organization.municipality_id if organization else None
        )
        self.fields["coverage_regions"].label_from_instance = lambda region: (
            f"{region.name} ({region.state.name})"
        )
        if not organization or not organization.logo:
            del self.fields["logo_clear"]

    # -- fields that need the database or each other

    def clean_rfc(self) -> str:
        value = _normalize_key(self.cleaned_data.get("rfc", ""))
        if value:
            validate_rfc(value)
        return value

    def clean_cluni(self) -> str:
        value = _normalize_key(self.cleaned_data.get("cluni", ""))
        if value:
            validate_cluni(value)
        return value

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if not any(char.isalnum() for char in name):
            raise ValidationError(_("Escribe el nombre de la organización."), code="no_letters")
        return name

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return clean_logo_upload(upload)

    def clean_coverage_municipalities(self) -> list[Municipality]:
        return resolve_municipalities(self.cleaned_data.get("coverage_municipalities", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Escribe la latitud y la longitud, o ninguna de las dos."),
            )
        for name in ("latitude", "longitude"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].quantize(Decimal("0.000001"))
        municipality = cleaned.get("municipality")
        community = cleaned.get("community")
        if municipality and community:
            try:
                cleaned["community"] = resolve_community(municipality, community)
            except ValidationError as error:
                self.add_error("community", error)
        elif not community:
            cleaned["community"] = None
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The cleaned profile, as the services take it."""
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in (
                "name",
                "acronym",
                "kind",
                "legal_form",
                "description",
                "description_en",
                "rfc",
                "cluni",
                "founded_year",
                "size_band",
                "municipality",
                "community",
                "latitude",
                "longitude",
                "themes",
                "populations",
                "languages",
                "coverage_regions",
                "coverage_municipalities",
            )
        }
        if data.get("logo"):
            changes["logo"] = data["logo"]
        elif data.get("logo_clear"):
            changes["logo"] = ""
        return changes


def initial_from_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A profile's JSON snapshot (or a revision over it) as a form's initial values."""
    initial = {
        key: value
        for key, value in snapshot.items()
        if key not in ("community", "coverage_municipalities", "logo", "contacts", "identifiers")
    }
    if snapshot.get("community"):
        community = Community.objects.filter(pk=snapshot["community"]).first()
        initial["community"] = community.code or community.name if community else ""
    codes = Municipality.objects.filter(pk__in=snapshot.get("coverage_municipalities") or [])
    initial["coverage_municipalities"] = "\n".join(
        f"{code} {name}" for code, name in codes.order_by("code").values_list("code", "name")
    )
    return initial


def clean_logo_upload(upload):
    """Only a real PNG, JPEG or WebP image of a sensible size; renamed to a
    random name with the extension of its true format."""
    invalid = ValidationError(
        _("El logotipo debe ser una imagen PNG, JPEG o WebP."), code="invalid_image"
    )
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("El logotipo pesa más de 2 MB; redúcelo e inténtalo de nuevo."), code="too_big"
        )
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(LOGO_FORMATS)) as image:
            image_format, (width, height) = image.format, image.size
            if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                raise ValidationError(
                    _("El logotipo mide más de 4000 × 4000 píxeles; redúcelo."),
                    code="too_large",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid from None
    if image_format not in LOGO_FORMATS:
        raise invalid
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}.{LOGO_FORMATS[image_format]}"
    return upload


def resolve_community(municipality: Municipality, value: str) -> Community:
    value = value.strip()
    communities = list(municipality.communities.only("pk", "code", "name"))
    if re.fullmatch(r"\d{9}", value):
        for community in communities:
            if community.code == value:
                return community
    else:
        wanted = " ".join(text.words(value))
        for community in communities:
            if " ".join(text.words(community.name)) == wanted:
                return community
    close = difflib.get_close_matches(value, [c.name for c in communities], n=3, cutoff=0.6)
    message = gettext("No encontramos «%(value)s» entre las localidades de %(municipality)s.") % {
        "value": value[:80],
        "municipality": municipality.name,
    }
    if close:
        message += " " + gettext("¿Quisiste decir: %(names)s?") % {"names": ", ".join(close)}
    raise ValidationError(message, code="unknown_community")


def resolve_municipalities(value: str) -> list[Municipality]:
    """Municipalities typed as INEGI keys or names, one per line (or separated by
    commas or semicolons). Unknown or ambiguous names are errors that say which."""
    tokens = [t.strip() for t in re.split(r"[\n;,]", value or "") if t.strip()]
    if not tokens:
        return []
    if len(tokens) > COVERAGE_MAX:
        raise ValidationError(
            _("Escribe como máximo %(n)s municipios."), params={"n": COVERAGE_MAX}, code="too_many"
        )
    rows = list(
        Municipality.objects.filter(state__code__in=PROGRAMME_STATE_CODES).values_list(
            "pk", "code", "name"
        )
    )
    by_code = {code: pk for pk, code, _name in rows}
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, _code, name in rows:
        by_name[" ".join(text.words(name))].append(pk)
    wanted, errors = [], []
    for token in tokens:
        code = re.match(r"^(\d{5})\b", token)
        if code:
            pk = by_code.get(code.group(1))
            if pk is None:
                pk = Municipality.objects.filter(code=code.group(1)).values_list("pk", flat=True)
                pk = pk.first()
            if pk is None:
                errors.append(gettext("No hay municipio con la clave %(code)s.") % {"code": token})
            else:
                wanted.append(pk)
            continue
        matches = by_name.get(" ".join(text.words(token)), [])
        if len(matches) == 1:
            wanted.append(matches[0])
        elif matches:
            errors.append(
                gettext("Hay varios municipios «%(name)s»: escribe su clave INEGI.")
                % {"name": token[:80]}
            )
        else:
            close = difflib.get_close_matches(token, [name for _pk, _c, name in rows], n=2)
            hint = (
                (" " + gettext("¿Quisiste decir: %(names)s?") % {"names": ", ".join(close)})
                if close
                else ""
            )
            errors.append(
                gettext("No encontramos el municipio «%(name)s».") % {"name": token[:80]} + hint
            )
    if errors:
        raise ValidationError(errors)
    return list(Municipality.objects.filter(pk__in=set(wanted)).order_by("code"))


class ContactForm(forms.Form):
    """One way to reach the organisation, public or private on its own."""

    kind = forms.ChoiceField(
        label=_("Tipo de dato"),
        choices=[("", _("Elige el tipo")), *ContactPoint.Kind.choices],
        required=False,
    )
    value = CleanCharField(label=_("Dato"), max_length=300)
    is_public = forms.BooleanField(label=_("Público"), required=False)

    SOCIAL = {
        ContactPoint.Kind.FACEBOOK: "https://www.facebook.com/{}",
        ContactPoint.Kind.INSTAGRAM: "https://www.instagram.com/{}",
        ContactPoint.Kind.X: "https://x.com/{}",
        ContactPoint.Kind.YOUTUBE: "https://www.youtube.com/@{}",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if cleaned.get("DELETE") or (not kind and not value):
            return cleaned
        if not value:
            self.add_error("value", _("Escribe el dato o marca «Eliminar»."))
            return cleaned
        if not kind:
            self.add_error("kind", _("Elige qué tipo de dato es."))
            return cleaned
        try:
            cleaned["value"] = self.normalize(kind, value)
        except ValidationError as error:
            self.add_error("value", error)
        return cleaned

    @classmethod
    def normalize(cls, kind: str, value: str) -> str:
        if kind == ContactPoint.Kind.EMAIL:
            value = value.lower()
            EmailValidator(message=_("Escribe un correo electrónico válido."))(value)
            return value
        if kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP):
            if not re.fullmatch(r"[\d\s()+\-.]+((ext|ext\.|extensión)\s*\d+)?", value, re.I):
                raise ValidationError(
                    _("Un teléfono lleva solo números (y espacios, guiones o paréntesis)."),
                    code="bad_phone",
                )
            digits = re.sub(r"\D", "", re.split(r"ext", value, flags=re.I)[0])
            if not 8 <= len(digits) <= 15:
                raise ValidationError(
                    _("El teléfono debe tener 10 dígitos (o la lada internacional y el número)."),
                    code="bad_phone",
                )
            return value
        if kind in cls.SOCIAL and re.fullmatch(r"@?[\w.\-]{1,80}", value):
            return cls.SOCIAL[kind].format(value.lstrip("@"))
        if kind == ContactPoint.Kind.WEBSITE or kind in cls.SOCIAL:
            if "://" not in value:
                value = f"https://{value}"
            URLValidator(schemes=["http", "https"], message=_("Escribe una dirección web válida."))(
                value
            )
            return value
        return value


class _EveryRowFormSet(forms.BaseFormSet):
    """Every row is read, whatever its initial value: a row the person left as
    it was is still wanted (Django would skip an unchanged extra row, and the
    contacts are replaced by what the formset holds)."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = False
        return super()._construct_form(i, **kwargs)


class BaseContactFormSet(_EveryRowFormSet):
    def contacts(self) -> list[dict[str, Any]]:
        rows, seen = [], set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("value") or not data.get("kind"):
                continue
            key = (data["kind"], data["value"])
            if key not in seen:
                seen.add(key)
                rows.append(
                    {"kind": data["kind"], "value": data["value"], "is_public": data["is_public"]}
                )
        return rows


ContactFormSet = forms.formset_factory(
    ContactForm,
    formset=BaseContactFormSet,
    extra=2,
    can_delete=True,
    max_num=CONTACTS_MAX,
    validate_max=True,
    absolute_max=CONTACTS_MAX + 5,
)


class IdentifierForm(forms.Form):
    scheme = CleanCharField(
        label=_("Esquema"),
        max_length=40,
        help_text=_("El registro que lo emite, p. ej. «Donataria autorizada»."),
    )
    value = CleanCharField(label=_("Clave"), max_length=120)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scheme, value = cleaned.get("scheme"), cleaned.get("value")
        if scheme and scheme.strip().casefold() in ("rfc", "cluni"):
            self.add_error("scheme", _("El RFC y la CLUNI tienen sus propios campos."))
        if bool(scheme) != bool(value) and not cleaned.get("DELETE"):
            self.add_error("value" if scheme else "scheme", _("Escribe el esquema y la clave."))
        return cleaned


class BaseIdentifierFormSet(_EveryRowFormSet):
    def identifiers(self) -> list[dict[str, str]]:
        rows, seen = [], set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data and not data.get("DELETE") and data.get("scheme") and data.get("value"):
                key = (data["scheme"], data["value"])
                if key not in seen:
                    seen.add(key)
                    rows.append({"scheme": key[0], "value": key[1]})
        return rows


IdentifierFormSet = forms.formset_factory(
    IdentifierForm,
    formset=BaseIdentifierFormSet,
    extra=1,
    can_delete=True,
    max_num=IDENTIFIERS_MAX,
    validate_max=True,
    absolute_max=IDENTIFIERS_MAX + 5,
)


class ProfileForms:
    """The profile form and its two formsets, bound and validated together."""

    def __init__(
        self,
        *,
        organization: Organization | None = None,
        data=None,
        files=None,
        overlay: dict | None = None,
        with_duplicate_check: bool = False,
    ):
        snapshot = (
            {**organization_snapshot(organization), **(overlay or {})} if organization else {}
        )
        initial = initial_from_snapshot(snapshot) if organization else None
        self.profile = OrganizationForm(
            data=data, files=files, organization=organization, initial=initial
        )
        self.contacts = ContactFormSet(
            data=data, prefix="contactos", initial=snapshot.get("contacts") or None
        )
        self.identifiers = IdentifierFormSet(
            data=data, prefix="identificadores", initial=snapshot.get("identifiers") or None
        )
        self.confirm = DuplicateConfirmForm(data=data) if with_duplicate_check else None

    def is_valid(self) -> bool:
        results = [self.profile.is_valid(), self.contacts.is_valid(), self.identifiers.is_valid()]
        return all(results)

    def changes(self) -> dict[str, Any]:
        return {
            **self.profile.changes(),
            "contacts": self.contacts.contacts(),
            "identifiers": self.identifiers.identifiers(),
        }

    @property
    def not_a_duplicate(self) -> bool:
        return bool(self.confirm and self.confirm.is_valid() and self.confirm.cleaned_data["sure"])


class DuplicateConfirmForm(forms.Form):
    sure = forms.BooleanField(
        label=_("Revisé la lista: mi organización no es ninguna de estas, no es un duplicado."),
        required=False,
    )


# --- people, networks, alliances ------------------------------------------------------


class MembershipForm(forms.Form):
    email = forms.EmailField(
        label=_("Correo electrónico de su cuenta en Polo"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Papel"), choices=Membership.Role.choices)
    position = CleanCharField(label=_("Cargo (opcional)"), max_length=120)
    is_editor = forms.BooleanField(
        label=_("Puede editar el perfil de la organización"), required=False
    )


class OrganizationSearchForm(forms.Form):
    """Find an organisation to link to (a network, an ally), without JavaScript."""

    buscar = CleanCharField(label=_("Busca por nombre o siglas"), max_length=120)


class NetworkMembershipForm(forms.Form):
    start_date = forms.DateField(
        label=_("Desde (opcional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_start_date(self):
        value = self.cleaned_data.get("start_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("La fecha no puede ser futura."), code="future")
        return value


class AllianceForm(NetworkMembershipForm):
    kind = forms.ChoiceField(label=_("Tipo de alianza"), choices=Alliance.Kind.choices)
    description = CleanCharField(
        label=_("En qué consiste (opcional)"), multiline=True, max_length=NOTE_MAX
    )
    field_order = ["kind", "description", "start_date"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[("approve", _("Aprobar y publicar")), ("reject", _("Rechazar"))],
        widget=forms.RadioSelect,
    )
    note = CleanCharField(
        label=_("Nota para quien edita"),
        multiline=True,
        max_length=NOTE_MAX,
        help_text=_("Obligatoria al rechazar: explica qué hay que corregir."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note"):
            self.add_error("note", _("Al rechazar, explica el motivo."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class MergeForm(forms.Form):
    keep = forms.IntegerField(
        label=_("Número de la organización que se conserva"), min_value=1, max_value=2**62
    )
    drop = forms.IntegerField(
        label=_("Número de la organización que se archiva"), min_value=1, max_value=2**62
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("drop"):
            raise ValidationError(_("Elige dos organizaciones distintas."), code="same")
        return cleaned


class KeyCommunityForm(forms.Form):
    reason = CleanCharField(
        label=_("Por qué es clave"), multiline=True, max_length=NOTE_MAX, required=True
    )
    notes = CleanCharField(
        label=_("Características (opcional)"),
        multiline=True,
        max_length=DESCRIPTION_MAX,
        help_text=_("Población, servicios, organización comunitaria, retos..."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Lenguas indígenas que se hablan"),
        queryset=Language.objects.filter(is_indigenous=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizaciones que trabajan ahí"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        # Those based in the municipality or working in it, and those already
        # linked; bounded, so that a city's page stays light.
        municipality = community.municipality
        nearby = (
            Organization.objects.exclude(status=Organization.Status.ARCHIVED)
            .filter(Q(municipality=municipality) | Q(coverage_municipalities=municipality))
            .order_by("name")
            .values_list("pk", flat=True)
            .distinct()[:ORGANIZATIONS_NEARBY_MAX]
        )
        key = KeyCommunity.objects.filter(community=community).first()
        linked = key.organizations.values_list("pk", flat=True) if key else []
        self.fields["organizations"].queryset = Organization.objects.filter(
            pk__in={*nearby, *linked}
        ).order_by("name")
