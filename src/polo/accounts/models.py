"""People with an account, their role, and the consent they gave."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.urls import reverse
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


# What an anonymized account keeps as its name: stored data, not interface text,
# so it is the same whatever language the cancellation happened in.
ANONYMIZED_NAME = "Persona anonimizada"
ANONYMIZED_EMAIL_DOMAIN = "anonimizada.invalid"


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
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    regions = models.ManyToManyField(
        "territory.Region",
        blank=True,
        related_name="facilitators",
        verbose_name=_("regiones que facilita"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipio donde vive"),
    )
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

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None

    def has_accepted(self, notice: PrivacyNotice | None) -> bool:
        return notice is not None and self.consents.filter(notice=notice).exists()

    def anonymize(self) -> None:
        """Cancellation (ARCO): strip personal data, keep aggregate records.

        The row stays so that counts and relations (attendance, answers,
        memberships) remain true; nothing left on it identifies the person.
        The password becomes unusable and the account inactive, so nobody can
        sign in as it again; changing the password also invalidates every open
        session (Django checks a hash of it on each request).
        """
        self.email = f"anonima-{uuid.uuid4().hex[:16]}@{ANONYMIZED_EMAIL_DOMAIN}"
        self.full_name = ANONYMIZED_NAME
        self.municipality = None
        self.language = "es-mx"
        self.is_active = False
        self.is_staff = False
        self.is_superuser = False
        self.role = self.Role.PARTICIPANT
        self.last_login = None
        self.set_unusable_password()
        self.anonymized_at = timezone.now()
        self.save()
        self.regions.clear()
        self.groups.clear()
        self.user_permissions.clear()


NOTICE_TEXT_HELP = _(
    "Texto plano. Una línea que empieza con «## » es un título; una que empieza con «- », "
    "un elemento de lista; una línea en blanco separa párrafos. «[correo-de-privacidad]» "
    "se sustituye por el correo de contacto de privacidad configurado."
)
PRIVACY_EMAIL_TOKEN = "[correo-de-privacidad]"


class PrivacyNotice(models.Model):
    """A version of the privacy notice (aviso de privacidad). Consent names one.

    Exactly one version is current at a time. Publishing a new one (saving it
    as current) retires the previous one; people who accepted an earlier
    version are asked to accept the new one (see middleware).
    """

    version = models.CharField(_("versión"), max_length=20, unique=True)
    published_on = models.DateField(_("fecha de publicación"))
    text_es = models.TextField(_("texto (español)"), help_text=NOTICE_TEXT_HELP)
    text_en = models.TextField(_("texto (inglés)"), blank=True, help_text=NOTICE_TEXT_HELP)
    is_current = models.BooleanField(_("vigente"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-version"]
        verbose_name = _("aviso de privacidad")
        verbose_name_plural = _("avisos de privacidad")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_privacy_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.published_on:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        # One current notice at a time (a database constraint): making this one
        # current retires the previous one in the same transaction, so that
        # publishing a new version is a single save in the admin.
        with transaction.atomic():
            if self.is_current:
                # One by one (a handful at most) so that the history records it.
                for previous in PrivacyNotice.objects.filter(is_current=True).exclude(pk=self.pk):
                    previous.is_current = False
                    previous.save(update_fields=["is_current"])
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:privacy_notice_version", args=[self.version])

    def validate_constraints(self, exclude=None) -> None:
        # save() retires the current notice, so marking a new one current is
        # not a violation of "one current notice" (forms call this first).
        super().validate_constraints(exclude={*(exclude or ()), "is_current"})

    @classmethod
    def current(cls) -> PrivacyNotice | None:
        return cls.objects.filter(is_current=True).first()

    def text_for(self, language: str) -> str:
        text = self.text_en if language.startswith("en") and self.text_en else self.text_es
        return text.replace(PRIVACY_EMAIL_TOKEN, settings.PRIVACY_CONTACT_EMAIL)


class Consent(models.Model):
    """A person accepted a version of the privacy notice at a moment."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("persona")
    )
    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="consents", verbose_name=_("aviso")
    )
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

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.requested_at:%Y-%m-%d}"
