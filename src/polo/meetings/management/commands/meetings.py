"""`polo meetings`: the meetings' periodic work.

    polo meetings send-reminders [--hours 48]   remind those registered (once each)

Meant for cron or a worker: running it again sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from polo.meetings import services


class Command(BaseCommand):
    help = "Tareas periódicas de los encuentros (recordatorios)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reminders = sub.add_parser("send-reminders", help="Envía los recordatorios pendientes.")
        reminders.add_argument("--hours", type=int, default=48)

    def handle(self, *args, action: str, **options) -> None:
        if action == "send-reminders":
            sent = services.send_reminders(ahead=timedelta(hours=options["hours"]))
            self.stdout.write(f"Recordatorios enviados: {sent}")
