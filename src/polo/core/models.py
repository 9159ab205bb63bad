"""Shared records: background jobs whose progress a page shows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A long piece of work (import, export, PDF) run by the task worker.

    The worker updates ``done``/``total``; the job page reads them, so any app
    server can show progress whichever process does the work.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("En curso")
        SUCCEEDED = "succeeded", _("Terminado")
        FAILED = "failed", _("Falló")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=60)
    title = models.CharField(_("título"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("mensaje"), blank=True)
    result_file = models.FileField(_("resultado"), upload_to="jobs/%Y/%m/", blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tarea en segundo plano")
        verbose_name_plural = _("tareas en segundo plano")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    def start(self, total: int) -> None:
        Job.objects.filter(pk=self.pk).update(status=self.Status.RUNNING, total=total, done=0)
        self.refresh_from_db()

    def advance(self, steps: int = 1) -> None:
        Job.objects.filter(pk=self.pk).update(done=F("done") + steps)

    def succeed(self, message: str = "", result_url: str = "") -> None:
        self.status = self.Status.SUCCEEDED
        self.message = message
        self.result_url = result_url or self.result_url
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "result_url", "finished_at", "result_file"])

    def fail(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.message = message
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "finished_at"])
