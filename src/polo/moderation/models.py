"""Moderation, for any module's user content (agenda proposals and comments
today; later modules register theirs in ``polo.moderation.registry``).

A model that can be moderated inherits ``Moderated``: whether it is hidden, why,
by whom and when live on its own row, so that lists filter or mark hidden items
without a query per row. Reports and every hide or restore are rows here,
pointing at the item through contenttypes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Moderated(models.Model):
    hidden_at = models.DateTimeField(_("ocultado el"), null=True, blank=True, editable=False)
    hidden_reason = models.TextField(_("motivo de la moderación"), blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("ocultado por"),
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def hide(self, *, reason: str, by) -> None:
        self.hidden_at = timezone.now()
        self.hidden_reason = reason
        self.hidden_by = by
        self.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])

    def restore(self) -> None:
        self.hidden_at = None
        self.hidden_reason = ""
        self.hidden_by = None
        self.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Publicidad o spam")
        OFFENSIVE = "offensive", _("Ofensivo")
        OFF_TOPIC = "off_topic", _("Fuera de tema")

    class Status(models.TextChoices):
        OPEN = "open", _("Por revisar")
        HIDDEN = "hidden", _("Ocultado")
        DISMISSED = "dismissed", _("Revisado, se mantiene")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderation_reports",
        verbose_name=_("quien reporta"),
    )
    reason = models.CharField(_("motivo"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("nota"), max_length=1000, blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("reportado el"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reporte")
        verbose_name_plural = _("reportes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"], name="one_report_per_person"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.content_type_id}:{self.object_id}"


class Decision(models.Model):
    """A moderator hid or restored an item: the record of every decision."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Ocultó")
        RESTORE = "restore", _("Restauró")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("acción"), max_length=8, choices=Action.choices)
    reason = models.TextField(_("motivo"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderador(a)"),
    )
    at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("decisión de moderación")
        verbose_name_plural = _("decisiones de moderación")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type_id}:{self.object_id}"
