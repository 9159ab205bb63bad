"""People with an account, their role, and the consent they gave."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", User.Role.COORDINATOR)
        return self._create_user(email, password, **extra)

    def coordinators(self):
        return self.filter(role=User.Role.COORDINATOR, is_active=True)

    def facilitators_of(self, region):
        return self.filter(role=User.Role.FACILITATOR, is_active=True, regions=region)


class User(AbstractUser):
    """A person with an account. Signs in with e-mail; no user name.

    Roles: every account is a participant; facilitators work in one or more
    regions; coordinators see everything. Organisation editors are participants
    with an editor membership in an organisation (see directory.Membership).
    """

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participante")
        FACILITATOR = "facilitator", _("Facilitador(a)")
        COORDINATOR = "coordinator", _("Coordinación")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("correo electrónico"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=150)
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices,
                            default=Role.PARTICIPANT)
    regions = models.ManyToManyField("territory.Region", blank=True, related_name="facilitators",
                                     verbose_name=_("regiones que facilita"))
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("municipio donde vive"))
    language = models.CharField(_("idioma preferido"), max_length=8, default="es-mx")
    anonymized_at = models.DateTimeField(_("anonimizada el"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("persona usuaria")
        verbose_name_plural = _("personas usuarias")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and (self.role == self.Role.COORDINATOR or self.is_superuser)

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == self.Role.FACILITATOR

    @property
    def is_programme_staff(self) -> bool:
        """Staff roles must sign in with two-factor authentication."""
        return self.is_coordinator or self.is_facilitator

    def facilitates(self, region) -> bool:
        if region is None or not self.is_facilitator:
            return False
        return self.regions.filter(pk=region.pk).exists()

    def anonymize(self) -> None:
        """Cancellation (ARCO): strip personal data, keep aggregate records.

        The row stays so that counts and relations (attendance, answers) remain
        true; nothing left on it identifies the person.
        """
        token = uuid.uuid4().hex[:12]
        self.email = f"anonima-{token}@anonimizada.invalid"
        self.full_name = _("Persona anonimizada")
        self.municipality = None
        self.is_active = False
        self.is_staff = False
        self.is_superuser = False
        self.role = self.Role.PARTICIPANT
        self.set_unusable_password()
        self.anonymized_at = timezone.now()
        self.save()
        self.regions.clear()


class PrivacyNotice(models.Model):
    """A version of the privacy notice (aviso de privacidad). Consent names one."""

    version = models.CharField(_("versión"), max_length=20, unique=True)
    published_on = models.DateField(_("fecha de publicación"))
    text_es = models.TextField(_("texto (español)"))
    text_en = models.TextField(_("texto (inglés)"), blank=True)
    is_current = models.BooleanField(_("vigente"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-version"]
        verbose_name = _("aviso de privacidad")
        verbose_name_plural = _("avisos de privacidad")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=models.Q(is_current=True),
                                    name="one_current_privacy_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.published_on:%Y-%m-%d})"

    @classmethod
    def current(cls) -> PrivacyNotice | None:
        return cls.objects.filter(is_current=True).first()

    def text_for(self, language: str) -> str:
        if language.startswith("en") and self.text_en:
            return self.text_en
        return self.text_es


class Consent(models.Model):
    """A person accepted a version of the privacy notice at a moment."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("persona"))
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("aviso"))
    accepted_at = models.DateTimeField(_("aceptado el"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_consent_per_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice.version}"


class Cancellation(models.Model):
    """Record that an account was cancelled (anonymized): when, not who."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="cancellation")
    requested_at = models.DateTimeField(_("solicitada el"), default=timezone.now)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cancelación")
        verbose_name_plural = _("cancelaciones")
