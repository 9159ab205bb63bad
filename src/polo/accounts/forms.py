"""Forms of the accounts app: sign-up extras, rectification, consent, cancellation."""

from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polo.accounts.models import PrivacyNotice, User
from polo.territory.models import Municipality

# The programme's states (INEGI keys): Guerrero, Oaxaca, Puebla. The place where
# a person lives is chosen among their municipalities; a national list would
# make the page several times heavier for people on slow connections.
PROGRAMME_STATE_CODES = ("12", "20", "21")

# Characters that can make a name display as something else (right-to-left
# overrides and isolates) or break the pages and exports that show it.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean_person_name(value: str) -> str:
    """A person's name as typed, normalized; refuses markup and control characters."""
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if any(
        unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS or char in "<>"
        for char in name
    ):
        raise forms.ValidationError(
            _("El nombre contiene caracteres no permitidos (como < o > o caracteres de control)."),
            code="invalid_characters",
        )
    if not any(char.isalpha() for char in name):
        raise forms.ValidationError(_("Escribe tu nombre."), code="no_letters")
    return name


def _privacy_label() -> str:
    notice = PrivacyNotice.current()
    url = notice.get_absolute_url() if notice else reverse("accounts:privacy_notice")
    version = notice.version if notice else "—"
    return format_html(
        gettext(
            'He leído y acepto el <a href="{url}" target="_blank" rel="noopener">aviso de '
            "privacidad</a> (versión {version}; se abre en otra pestaña)."
        ),
        url=url,
        version=version,
    )


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds: the name and consent to the notice.

    The account adapter stores the name; signup() records the consent.
    """

    full_name = forms.CharField(
        label=_("Nombre completo"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"),
        required=True,
        error_messages={
            "required": _("Para crear una cuenta debes aceptar el aviso de privacidad.")
        },
    )

    field_order = ["full_name", "email", "password1", "password2", "accept_privacy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_privacy"].label = _privacy_label()

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        if PrivacyNotice.current() is None:
            raise forms.ValidationError(
                _("No hay un aviso de privacidad vigente; el registro está cerrado."),
                code="no_notice",
            )
        return cleaned

    def signup(self, request, user) -> None:
        from polo.accounts.services import consent_record

        consent_record(user=user, notice=PrivacyNotice.current())


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.state.name})"


class ProfileForm(forms.Form):
    """Rectification of one's own data. The e-mail changes through allauth, verified."""

    full_name = forms.CharField(
        label=_("Nombre completo"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipio donde vives"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Prefiero no decirlo"),
        help_text=_("Municipios de Guerrero, Oaxaca y Puebla."),
    )
    language = forms.ChoiceField(label=_("Idioma preferido"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(state__code__in=PROGRAMME_STATE_CODES)
            .select_related("state")
            .order_by("name", "state__name")
        )
        self.fields["language"].choices = [(code, name) for code, name in settings.LANGUAGES]

    @classmethod
    def for_user(cls, user: User, data=None) -> ProfileForm:
        initial = {
            "full_name": user.full_name,
            "municipality": user.municipality_id,
            "language": user.language,
        }
        return cls(data=data, initial=initial)

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])


class PrivacyAcceptForm(forms.Form):
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto esta versión del aviso de privacidad."),
        required=True,
        error_messages={
            "required": _("Para seguir usando tu cuenta debes aceptar el aviso de privacidad.")
        },
    )


class CancelAccountForm(forms.Form):
    """Cancellation asks for the password: a forgotten open session is not enough."""

    password = forms.CharField(
        label=_("Tu contraseña actual"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    reason = forms.CharField(
        label=_("¿Por qué cancelas tu cuenta? (opcional)"),
        required=False,
        max_length=200,
        help_text=_("No escribas datos personales aquí: esta respuesta se conserva."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("La contraseña no es correcta. Tu cuenta no se canceló."),
                code="wrong_password",
            )
        return password

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if any(unicodedata.category(char) == "Cc" for char in reason):
            raise forms.ValidationError(_("El texto contiene caracteres no permitidos."))
        return reason
