"""Organisational self-assessments (the Incidence Manual), their results and
the improvement plan that follows.

An assessment *is* a survey response: the instrument is an XLSForm of kind
"assessment" (``surveys.Instrument``), taken in a campaign of the surveys
module with two rounds — the organisations' assessments (one consensus
response each) and the members' own answers, kept in a round of their own so
that they never enter an aggregate. This app adds what a response does not
have: whose assessment it is and how it was taken, the invited members, the
scores per area computed at completion, and the plan.

- ``Assessment``: an organisation's assessment; its consensus response holds
  the answers (levels, evidence, exercises). ``version`` is the optimistic
  lock of the consensus page: a save that started from an older version is
  refused and the person told, so that no update is lost.
- ``Invitation``: a member asked to answer alone; their own response.
- ``AreaScore``: the score of one area at completion (``scoring.py``), so that
  aggregates over thousands of assessments are one grouped query.
- ``PlanAction`` and ``PlanComment``: the improvement plan and the
  facilitator's comments on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AssessmentQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(status=Assessment.Status.COMPLETED)

    def in_progress(self):
        return self.filter(status=Assessment.Status.IN_PROGRESS)

    def current(self):
        """Each organisation's latest completed assessment: what aggregates count."""
        return self.filter(is_current=True)


class Assessment(models.Model):
    class Mode(models.TextChoices):
        SELF = "self", _("Autodiagnóstico de la organización")
        FACILITATED = "facilitated", _("Facilitado en un taller")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("En curso")
        COMPLETED = "completed", _("Completado")

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("organización"),
    )
    response = models.OneToOneField(
        "surveys.Response",
        on_delete=models.PROTECT,
        related_name="assessment",
        verbose_name=_("respuesta de consenso"),
    )
    mode = models.CharField(_("modalidad"), max_length=12, choices=Mode.choices)
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("iniciado por"),
    )
    # Who ran the workshop and recorded the answers on the organisation's
    # behalf (facilitated mode).
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitado por"),
    )
    started_at = models.DateTimeField(_("iniciado"), default=timezone.now)
    completed_at = models.DateTimeField(_("completado"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completado por"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autodiagnóstico anterior"),
    )
    is_current = models.BooleanField(_("el más reciente de la organización"), default=False)
    overall_score = models.FloatField(_("puntaje general"), null=True, blank=True)
    # The area scores again, {area: score}, beside the AreaScore rows: an
    # aggregate over thousands of assessments reads one row per assessment
    # instead of one per area (about ten times fewer rows).
    scores = models.JSONField(_("puntajes por área"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(_("versión del consenso"), default=1)
    # The response's version (its updated_at) that the scores were computed
    # from: a response edited afterwards through the surveys pages is scored
    # again (services.assessment_refresh_scores).
    scored_version = models.CharField(max_length=40, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["scored_version", "scores"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("autodiagnóstico")
        verbose_name_plural = _("autodiagnósticos")
        indexes = [models.Index(fields=["organization", "status"], name="assess_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_current=True),
                name="assess_one_current_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {timezone.localtime(self.started_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_facilitated(self) -> bool:
        return self.mode == self.Mode.FACILITATED


class Invitation(models.Model):
    """A member of the organisation asked to answer alone; their answers are
    their own response, shown beside the others' on the consensus page."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessment_invitations",
        verbose_name=_("persona"),
    )
    response = models.OneToOneField(
        "surveys.Response",
        on_delete=models.PROTECT,
        related_name="assessment_invitation",
        verbose_name=_("sus respuestas"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitada por"),
    )
    invited_at = models.DateTimeField(_("invitada"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("invitación a responder")
        verbose_name_plural = _("invitaciones a responder")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"], name="assess_one_invitation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.assessment}"


class AreaScore(models.Model):
    """One area's score in a completed assessment (derived: see scoring.py)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="area_scores")
    area = models.CharField(_("área"), max_length=60)
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    score = models.FloatField(_("puntaje"))
    items_answered = models.PositiveSmallIntegerField(_("ítems respondidos"))
    items_total = models.PositiveSmallIntegerField(_("ítems del área"))

    class Meta:
        ordering = ["assessment", "position"]
        verbose_name = _("puntaje por área")
        verbose_name_plural = _("puntajes por área")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="assess_one_score_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.score:.2f}"


class PlanAction(models.Model):
    """An action the organisation chose for its improvement plan."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Por hacer")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Hecha")
        DROPPED = "dropped", _("Descartada")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="plan_actions"
    )
    item = models.CharField(_("ítem"), max_length=100)
    # The suggested action it came from ("<item>:<n>" in the definition), if any.
    suggestion = models.CharField(_("acción sugerida"), max_length=120, blank=True)
    title = models.CharField(_("acción"), max_length=300)
    responsible = models.CharField(_("persona responsable"), max_length=150)
    due_on = models.DateField(_("fecha compromiso"))
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress_note = models.TextField(_("avance"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agregada por"),
    )
    created_at = models.DateTimeField(_("agregada"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("acción del plan de mejora")
        verbose_name_plural = _("acciones del plan de mejora")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.IN_PROGRESS}

    def is_late(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class PlanComment(models.Model):
    """A comment on the plan (or on one of its actions) by the facilitator who
    accompanies the organisation, or by its editors answering."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="plan_comments"
    )
    action = models.ForeignKey(
        PlanAction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("acción"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="assessment_comments",
        verbose_name=_("autor(a)"),
    )
    text = models.TextField(_("comentario"))
    created_at = models.DateTimeField(_("escrito"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comentario al plan de mejora")
        verbose_name_plural = _("comentarios al plan de mejora")

    def __str__(self) -> str:
        return self.text[:60]
