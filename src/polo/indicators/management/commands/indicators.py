"""`polo indicators`: compute indicators from the command line.

    polo indicators refresh [--stale] [SLUG ...]

Recomputes the cells of every indicator (or the ones named). With --stale,
only survey indicators whose campaign has responses saved or reviewed since
they were last computed (and every indicator over Polo's data): the command
to run periodically (cron, a systemd timer) so that the dashboard follows the
reviews.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from polo.indicators import services
from polo.indicators.compute import IndicatorError
from polo.indicators.models import Indicator


class Command(BaseCommand):
    help = "Calcula los indicadores del diagnóstico."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="refresh")
        refresh = actions.add_parser("refresh", help="Recalcula las cifras de los indicadores.")
        refresh.add_argument("slugs", nargs="*", help="Solo estos indicadores.")
        refresh.add_argument(
            "--stale",
            action="store_true",
            help="Solo los que tienen respuestas nuevas o revisadas desde su último cálculo.",
        )

    def handle(self, *args, action, slugs=(), stale=False, **options):
        if slugs:
            indicators = list(Indicator.objects.filter(slug__in=slugs))
            missing = set(slugs) - {i.slug for i in indicators}
            if missing:
                raise CommandError(f"No existen: {', '.join(sorted(missing))}")
            done = []
            for indicator in indicators:
                try:
                    done.append((indicator, services.indicator_refresh(indicator)))
                except IndicatorError as exc:
                    raise CommandError(f"{indicator.slug}: {exc}") from exc
        else:
            done = services.indicators_refresh(stale_only=stale)
        for indicator, count in done:
            self.stdout.write(f"{indicator.slug}: {count} cifras")
        self.stdout.write(self.style.SUCCESS(f"{len(done)} indicadores calculados."))
