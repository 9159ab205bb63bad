from django import forms
from django.utils.translation import gettext_lazy as _

from polo.accounts.models import PrivacyNotice
from polo.accounts.services import consent_record


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds: the name and consent to the notice."""

    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"),
        required=True,
        error_messages={"required": _("Para crear una cuenta debes aceptar el aviso de "
                                      "privacidad.")},
    )

    field_order = ["full_name", "email", "password1", "password2", "accept_privacy"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if any(ord(char) < 32 for char in name) or "<" in name or ">" in name:
            raise forms.ValidationError(_("El nombre contiene caracteres no permitidos."))
        if not name:
            raise forms.ValidationError(_("Escribe tu nombre."))
        return name

    def clean(self):
        cleaned = super().clean()
        if PrivacyNotice.current() is None:
            raise forms.ValidationError(
                _("No hay un aviso de privacidad vigente; el registro está cerrado.")
            )
        return cleaned

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.language = getattr(request, "LANGUAGE_CODE", "es-mx")
        user.save(update_fields=["full_name", "language"])
        consent_record(user=user, notice=PrivacyNotice.current())
