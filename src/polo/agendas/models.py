"""Common agendas (A4.3): proposals gathered in a territory on a theme,
deliberated, prioritised by the eligible participants and adopted.

The agenda owns its phases: ``agenda.open_phase(phase, by=...)`` moves it one
step on (draft → collecting → deliberation → prioritisation → adopted), records
who and when (``PhaseChange`` and the history) and refuses anything else. What a
participant may do in each phase is written down once here (``Phase`` and the
``allows_*`` properties): services and templates read it from the agenda.

Supports are rows (one per person and proposal, a unique constraint); the
proposal's ``support_count`` and ``comment_count`` are kept by the services
with F() updates in the same transaction as the row, so lists sort and show
counts without counting.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from polo.moderation.models import Moderated
from polo.territory.validation import check_region_or_municipality


class Phase(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    COLLECTING = "collecting", _("Recepción de propuestas")
    DELIBERATION = "deliberation", _("Deliberación")
    PRIORITISATION = "prioritisation", _("Priorización")
    ADOPTED = "adopted", _("Agenda adoptada")


PHASE_ORDER = [
    Phase.DRAFT,
    Phase.COLLECTING,
    Phase.DELIBERATION,
    Phase.PRIORITISATION,
    Phase.ADOPTED,
]

PHASE_HELP = {
    Phase.DRAFT: _("La agenda se está preparando; todavía no recibe propuestas."),
    Phase.COLLECTING: _(
        "Puede presentar propuestas, editar las suyas, comentar y apoyar las que comparta."
    ),
    Phase.DELIBERATION: _(
        "Las propuestas ya no se editan: puede comentarlas, apoyarlas y proponer enmiendas, "
        "que la persona autora acepta o no."
    ),
    Phase.PRIORITISATION: _(
        "Las personas habilitadas reparten sus puntos (u ordenan sus preferidas) entre las "
        "propuestas. El resultado se publica cuando el equipo cierra la priorización."
    ),
    Phase.ADOPTED: _(
        "La agenda fue adoptada: sus prioridades, con sus propuestas y evidencias, son públicas."
    ),
}


class AgendaQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(phase=Phase.DRAFT)

    def in_region(self, region):
        return self.filter(Q(region=region) | Q(municipality__region=region))


class Agenda(models.Model):
    Phase = Phase

    class Method(models.TextChoices):
        POINTS = "points", _("Reparto de puntos")
        RANKS = "ranks", _("Orden de preferencia (conteo Borda)")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agendas",
        verbose_name=_("región"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agendas",
        verbose_name=_("municipio"),
        help_text=_("Si se elige un municipio, la agenda es solo de ese municipio."),
    )
    theme = models.ForeignKey(
        "directory.Theme", on_delete=models.PROTECT, related_name="agendas", verbose_name=_("tema")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_agendas",
        verbose_name=_("facilitadores"),
    )
    forum = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agendas",
        verbose_name=_("foro"),
        help_text=_("Las personas inscritas en el foro también pueden priorizar."),
    )
    phase = models.CharField(
        _("fase"), max_length=16, choices=Phase.choices, default=Phase.DRAFT, db_index=True
    )
    phase_changed_at = models.DateTimeField(_("fase desde"), null=True, blank=True)
    method = models.CharField(
        _("forma de priorizar"), max_length=8, choices=Method.choices, default=Method.POINTS
    )
    points = models.PositiveSmallIntegerField(
        _("puntos por persona"),
        default=10,
        help_text=_("Con reparto de puntos: cuántos reparte cada persona."),
    )
    ranks = models.PositiveSmallIntegerField(
        _("propuestas a ordenar"),
        default=3,
        help_text=_("Con orden de preferencia: cuántas propuestas ordena cada persona."),
    )
    result = models.JSONField(_("resultado"), null=True, blank=True, editable=False)
    result_published_at = models.DateTimeField(
        _("resultado publicado el"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creada por"),
    )
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["result"])

    objects = AgendaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("agenda común")
        verbose_name_plural = _("agendas comunes")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(municipality__isnull=False),
                name="agenda_has_territory",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1) & Q(ranks__gte=1), name="agenda_positive_allowance"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agendas:agenda", args=[self.slug])

    def clean(self) -> None:
        check_region_or_municipality(
            self, missing=_("Elija la región o el municipio de la agenda.")
        )

    @property
    def territory_region_id(self) -> int | None:
        if self.municipality_id:
            return self.municipality.region_id
        return self.region_id

    @property
    def territory_name(self) -> str:
        return str(self.municipality or self.region or "")

    @property
    def phase_help(self) -> str:
        return PHASE_HELP[Phase(self.phase)]

    @property
    def is_public(self) -> bool:
        return self.phase != Phase.DRAFT

    @property
    def allows_proposals(self) -> bool:
        return self.phase == Phase.COLLECTING

    @property
    def allows_comments(self) -> bool:
        return self.phase in (Phase.COLLECTING, Phase.DELIBERATION)

    @property
    def allows_supports(self) -> bool:
        return self.phase in (Phase.COLLECTING, Phase.DELIBERATION)

    @property
    def allows_amendments(self) -> bool:
        return self.phase == Phase.DELIBERATION

    @property
    def allows_ballots(self) -> bool:
        return self.phase == Phase.PRIORITISATION and self.result_published_at is None

    @property
    def result_is_public(self) -> bool:
        return self.result_published_at is not None

    @property
    def next_phase(self) -> Phase | None:
        index = PHASE_ORDER.index(Phase(self.phase))
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    def open_phase(self, phase: str, *, by) -> PhaseChange:
        """Move to the next phase, and only to it. The adopted phase is opened
        by adopting (``services.agenda_adopt``), once the result is published."""
        if phase != self.next_phase:
            raise ValidationError(
                _("La agenda está en «%(now)s»: no puede pasar a «%(to)s».")
                % {"now": self.get_phase_display(), "to": Phase(phase).label}
            )
        if phase == Phase.ADOPTED and not self.result_is_public:
            raise ValidationError(
                _("Antes de adoptar la agenda, cierre la priorización y publique su resultado.")
            )
        self.phase = phase
        self.phase_changed_at = timezone.now()
        self._change_reason = f"phase:{phase}"
        self.save(update_fields=["phase", "phase_changed_at"])
        return PhaseChange.objects.create(agenda=self, phase=phase, by=by, at=self.phase_changed_at)


class PhaseChange(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(_("fase"), max_length=16, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("por"),
    )
    at = models.DateTimeField(_("fecha"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de fase")
        verbose_name_plural = _("cambios de fase")

    def __str__(self) -> str:
        return f"{self.agenda} → {self.get_phase_display()}"


class ProposalQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)


class Proposal(Moderated):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agenda_proposals",
        verbose_name=_("autor(a)"),
    )
    title = models.CharField(_("título"), max_length=160)
    problem = models.TextField(_("problema"), max_length=4000)
    proposal = models.TextField(_("lo que se propone"), max_length=4000)
    authority = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_proposals_to_decide",
        limit_choices_to={"kind": "local_authority"},
        verbose_name=_("autoridad que puede decidirlo"),
    )
    authority_text = models.CharField(
        _("autoridad (si no está en el directorio)"), max_length=200, blank=True
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipio"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comunidad"),
    )
    themes = models.ManyToManyField(
        "directory.Theme", blank=True, related_name="agenda_proposals", verbose_name=_("temas")
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="agenda_proposals",
        verbose_name=_("indicadores del diagnóstico"),
    )
    organizations = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="agenda_proposals",
        verbose_name=_("organizaciones vinculadas"),
    )
    support_count = models.PositiveIntegerField(_("apoyos"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comentarios"), default=0, editable=False)
    created_at = models.DateTimeField(_("presentada el"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["support_count", "comment_count", "updated_at"],
        m2m_fields=[themes, indicators, organizations],
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("propuesta")
        verbose_name_plural = _("propuestas")
        indexes = [
            models.Index(fields=["agenda", "-created_at", "-id"], name="proposal_newest"),
            models.Index(fields=["agenda", "-support_count", "-id"], name="proposal_supported"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agendas:proposal", args=[self.agenda.slug, self.pk])

    @property
    def authority_label(self) -> str:
        return self.authority.name if self.authority_id else self.authority_text


class Comment(Moderated):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("en respuesta a"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agenda_comments",
        verbose_name=_("autor(a)"),
    )
    body = models.TextField(_("comentario"), max_length=3000)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.proposal.get_absolute_url()}#comentario-{self.pk}"


class Amendment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Por decidir")
        ACCEPTED = "accepted", _("Aceptada")
        REJECTED = "rejected", _("No aceptada")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agenda_amendments",
        verbose_name=_("autor(a)"),
    )
    text = models.TextField(_("nuevo texto de lo que se propone"), max_length=4000)
    reason = models.TextField(_("por qué"), max_length=2000, blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField(_("respuesta de la persona autora"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enmienda")
        verbose_name_plural = _("enmiendas")

    def __str__(self) -> str:
        return f"{self.proposal} · {self.get_status_display()}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("apoyo")
        verbose_name_plural = _("apoyos")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class Ballot(models.Model):
    """A participant's prioritisation, editable until the result is published.
    ``points`` of each line are what the tally sums: the points given, or under
    ranking the Borda points of the rank (K for the first of K, 1 for the last)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_ballots"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("papeleta de priorización")
        verbose_name_plural = _("papeletas de priorización")
        constraints = [
            models.UniqueConstraint(fields=["agenda", "voter"], name="one_ballot_per_agenda")
        ]

    def __str__(self) -> str:
        return f"{self.agenda} · {self.voter_id}"


class BallotLine(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="lines")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="one_line_per_proposal"),
            models.CheckConstraint(condition=Q(points__gte=1), name="ballot_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.points}"


class InPersonTally(models.Model):
    """The votes of an in-person forum (paper or show of hands), entered by a
    facilitator: shown beside the online result, as such."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="tallies")
    note = models.TextField(_("cómo se votó"), max_length=2000)
    people = models.PositiveIntegerField(_("personas que votaron"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    entered_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entered_at", "pk"]
        verbose_name = _("conteo presencial")
        verbose_name_plural = _("conteos presenciales")

    def __str__(self) -> str:
        return f"{self.agenda} · {self.people}"


class InPersonLine(models.Model):
    tally = models.ForeignKey(InPersonTally, on_delete=models.CASCADE, related_name="lines")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tally", "proposal"], name="one_tally_line_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.points}"


class Priority(models.Model):
    """A priority of the adopted agenda, in order: the proposal the facilitators
    adopted, and the other proposals that support it (they asked for the same
    thing in other words or places, and are adopted together with it)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(_("orden"))
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("propuesta")
    )
    supporting = models.ManyToManyField(
        Proposal,
        blank=True,
        related_name="supported_priorities",
        verbose_name=_("propuestas que la sustentan"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda", "position"]
        verbose_name = _("prioridad")
        verbose_name_plural = _("prioridades")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "position"], name="one_priority_per_position"
            ),
            models.UniqueConstraint(
                fields=["agenda", "proposal"], name="one_priority_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.proposal}"
