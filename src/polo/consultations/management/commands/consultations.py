"""`polo consultations`: the consultations' command-line tools.

polo consultations tally <slug>   count the stored ballots again and compare
                                  with the published result (exit 1 if they differ)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from polo.consultations import services
from polo.consultations.models import Consultation


class Command(BaseCommand):
    help = "Herramientas de las consultas ciudadanas (recuento)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        tally = sub.add_parser("tally", help="Vuelve a contar y compara con lo publicado.")
        tally.add_argument("slug")

    def handle(self, *args, action: str, **options) -> None:
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"No consultation {options['slug']!r}")
        if not consultation.is_published:
            raise CommandError("The result is not published yet: nothing to compare with")
        fresh, differences = services.recount(consultation)
        self.stdout.write(
            f"{consultation.slug}: {fresh['ballots']} ballots, {fresh['voters']} voter records, "
            f"{fresh['eligible']} eligible, digest {fresh['digest']}"
        )
        for question in fresh["questions"]:
            self.stdout.write(f"  {question['text']}")
            for option in question["options"]:
                self.stdout.write(f"    {option['count']:>8}  {option['text']}")
            self.stdout.write(f"    {question['blank']:>8}  (blank)")
        if differences:
            raise CommandError(
                "The recount differs from the published result: " + "; ".join(differences)
            )
        self.stdout.write("The recount matches the published result.")
