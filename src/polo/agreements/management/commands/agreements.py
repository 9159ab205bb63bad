"""`polo agreements`: the agreements' periodic work.

    polo agreements remind [--days N]   e-mail the parties about commitments due
                                        within N days (POLO_AGREEMENTS_REMIND_DAYS,
                                        14 by default) or overdue

Meant for a daily cron: running it again sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from polo.agreements import services


class Command(BaseCommand):
    help = "Tareas periódicas de los convenios (avisos de compromisos)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="Envía los avisos de compromisos pendientes.")
        remind.add_argument("--days", type=int, default=None)

    def handle(self, *args, action: str, **options) -> None:
        if action == "remind":
            sent = services.send_reminders(days=options["days"])
            self.stdout.write(f"Avisos enviados: {sent}")
