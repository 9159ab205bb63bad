"""Agreements (convenios) between organisations of the directory, and the
commitments inside them, tracked in public.

A commitment's *status* is what the parties have confirmed; whether it is
*overdue* is never stored: it follows from the due date and today (an open
commitment, pending or in progress, past its due date). ``CommitmentQuerySet``
and ``Commitment.is_overdue`` compute it the same way.

An update is a claim by the responsible party (its editor, or programme staff on
its behalf, recorded) with its evidence; it moves the commitment's status only
once an editor of another party confirms it. A disputed update keeps its reason
in public and changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def today() -> datetime.date:
    return timezone.localdate()


class AgreementQuerySet(models.QuerySet):
    def public(self):
        """Signed agreements, in force or no longer: drafts are staff's."""
        return self.exclude(status=Agreement.Status.DRAFT)

    def in_region(self, region):
        return self.filter(region=region)


def agreement_document_path(instance: Agreement, filename: str) -> str:
    return f"agreements/{instance.slug}/convenio.pdf"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        CSO_AUTHORITY = "cso_authority", _("Convenio entre OSC y autoridad local")
        ACADEMIC = "academic", _("Convenio académico")
        INTER_NETWORK = "inter_network", _("Convenio entre redes")
        TERRITORIAL_PACT = "territorial_pact", _("Pacto territorial")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SIGNED = "signed", _("Firmado, en vigor")
        CONCLUDED = "concluded", _("Concluido")
        CANCELLED = "cancelled", _("Cancelado")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField(_("objeto del convenio"), blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    signed_on = models.DateField(_("fecha de firma"), null=True, blank=True)
    document = models.FileField(
        _("documento firmado (PDF)"), upload_to=agreement_document_path, blank=True
    )
    document_size = models.PositiveIntegerField(default=0, editable=False)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("región"),
    )
    municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="agreements",
        verbose_name=_("municipios"),
    )
    themes = models.ManyToManyField(
        "directory.Theme", blank=True, related_name="agreements", verbose_name=_("temas")
    )
    source_agenda = models.ForeignKey(
        "agendas.Agenda",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        limit_choices_to={"phase": "adopted"},
        verbose_name=_("agenda común de la que proviene"),
    )
    # Before agendas existed, the agenda or forum was written down as text: kept.
    source_note = models.CharField(
        _("origen (nota)"),
        max_length=300,
        blank=True,
        help_text=_("Nombre o dirección de la agenda común o del foro que dio origen al convenio."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title", "pk"]
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.SIGNED


class Party(models.Model):
    """An organisation of the directory (a local authority is one, of that kind)
    that is part of an agreement."""

    class Role(models.TextChoices):
        PARTY = "party", _("Parte firmante")
        WITNESS = "witness", _("Testigo")
        SUPPORT = "support", _("Acompañamiento técnico")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organización"),
    )
    role = models.CharField(_("papel"), max_length=10, choices=Role.choices, default=Role.PARTY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("parte")
        verbose_name_plural = _("partes")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="one_party_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.organization.name


class Signatory(models.Model):
    """Who signed for a party, with their post: public officials and
    representatives acting in public, as on the signed document."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("nombre"), max_length=150)
    post = models.CharField(_("cargo"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("firmante")
        verbose_name_plural = _("firmantes")

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"


OPEN_STATUSES = ("pending", "in_progress")


class CommitmentQuerySet(models.QuerySet):
    def overdue(self, on: datetime.date | None = None):
        return self.filter(status__in=OPEN_STATUSES, due_on__lt=on or today())

    def with_overdue(self, on: datetime.date | None = None):
        """Annotate ``overdue`` (a boolean), computed by the database."""
        return self.annotate(
            overdue=models.Case(
                models.When(
                    Q(status__in=OPEN_STATUSES, due_on__lt=on or today()),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def public(self):
        return self.filter(agreement__in=Agreement.objects.public())


class Commitment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En proceso")
        FULFILLED = "fulfilled", _("Cumplido")
        PARTLY_FULFILLED = "partly_fulfilled", _("Cumplido en parte")
        NOT_FULFILLED = "not_fulfilled", _("No cumplido")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.TextField(_("compromiso"), max_length=2000)
    responsible = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("parte responsable"),
    )
    due_on = models.DateField(_("fecha límite"), db_index=True)
    indicator = models.CharField(_("indicador de cumplimiento"), max_length=500)
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The date the confirmed closing update was reported: "on time" compares it
    # with the due date.
    closed_on = models.DateField(_("cerrado el"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "due_on", "pk"]
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("agreements:commitment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.is_open and self.due_on < (on or today())

    @property
    def overdue_now(self) -> bool:
        """For templates: an ``overdue`` annotation when the query made one."""
        annotated = self.__dict__.get("overdue")
        return annotated if annotated is not None else self.is_overdue()

    @property
    def fulfilled_on_time(self) -> bool:
        return (
            self.status == self.Status.FULFILLED
            and self.closed_on is not None
            and self.closed_on <= self.due_on
        )

    def apply(self, update: CommitmentUpdate) -> None:
        """A confirmed update sets the status (and, when it closes, the date)."""
        self.status = update.status
        self.closed_on = None if self.is_open else timezone.localdate(update.created_at)
        self.save(update_fields=["status", "closed_on"])


def evidence_path(instance: CommitmentUpdate, filename: str) -> str:
    # The service names the file after its sniffed type (evidencia.pdf, .jpg, .png).
    return f"agreements/evidence/{instance.commitment_id}/{filename}"


class CommitmentUpdate(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("Por confirmar")
        CONFIRMED = "confirmed", _("Confirmado")
        DISPUTED = "disputed", _("Impugnado")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("parte que informa")
    )
    status = models.CharField(_("nuevo estado"), max_length=20, choices=Commitment.Status.choices)
    note = models.TextField(_("nota"), max_length=4000)
    link = models.URLField(_("enlace a la evidencia"), max_length=500, blank=True)
    file = models.FileField(_("archivo de evidencia"), upload_to=evidence_path, blank=True)
    file_size = models.PositiveIntegerField(default=0, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("capturado por"),
    )
    on_behalf = models.BooleanField(
        _("capturado por el equipo del programa a nombre de la parte"), default=False
    )
    created_at = models.DateTimeField(_("informado el"), default=timezone.now, db_index=True)
    review = models.CharField(
        _("revisión"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewed_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parte que revisa"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisado por"),
    )
    reviewed_at = models.DateTimeField(_("revisado el"), null=True, blank=True)
    dispute_reason = models.TextField(_("motivo de la impugnación"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("avance de compromiso")
        verbose_name_plural = _("avances de compromisos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(review="disputed") | ~Q(dispute_reason=""),
                name="dispute_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.get_status_display()}"


class Reminder(models.Model):
    """An e-mail sent about a commitment, so that none is sent twice: one per
    commitment, threshold and due date (a new due date may be reminded again)."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", _("Vence pronto")
        OVERDUE = "overdue", _("Vencido")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("aviso enviado")
        verbose_name_plural = _("avisos enviados")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "threshold", "due_on"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.get_threshold_display()}"
