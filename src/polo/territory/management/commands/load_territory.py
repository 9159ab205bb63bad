"""`polo load-territory`: load or refresh the INEGI territory catalogue.

Idempotent: run it as often as you like. See polo.territory.services for what a
re-run refreshes and what it leaves to the coordinators' edits.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from polo.territory import maps
from polo.territory.services import TerritoryDataError, default_data_dir, territory_load


class Command(BaseCommand):
    help = _(
        "Carga o actualiza el catálogo territorial del INEGI: estados, municipios, "
        "contornos, localidades y las regiones del programa."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=_("Carpeta con los archivos (por omisión DATA_DIR/territory)."),
        )
        parser.add_argument(
            "--reset-regions",
            action="store_true",
            help=_(
                "Impone la pertenencia a regiones de programme-regions.csv, deshaciendo "
                "los cambios hechos por la coordinación."
            ),
        )

    def handle(self, *args, data_dir=None, reset_regions=False, **options):
        started = time.perf_counter()
        try:
            report = territory_load(
                data_dir=data_dir or default_data_dir(), reset_regions=reset_regions
            )
        except TerritoryDataError as error:
            raise CommandError(str(error)) from error
        maps.invalidate_cache()
        elapsed = time.perf_counter() - started

        write = self.stdout.write
        write(_("Catálogo territorial cargado en %(seconds).1f s.") % {"seconds": elapsed})
        write(
            _("Estados: %(created)d nuevos, %(updated)d actualizados.")
            % {"created": report.states_created, "updated": report.states_updated}
        )
        write(_("Regiones nuevas: %(count)d.") % {"count": report.regions_created})
        write(
            _(
                "Municipios: %(created)d nuevos, %(updated)d actualizados; %(assigned)d "
                "asignaciones de región."
            )
            % {
                "created": report.municipalities_created,
                "updated": report.municipalities_updated,
                "assigned": report.region_assignments,
            }
        )
        write(
            _("Contornos: %(count)d leídos, %(updated)d actualizados.")
            % {"count": report.boundaries, "updated": report.boundaries_updated}
        )
        write(
            _("Localidades: %(created)d nuevas, %(updated)d actualizadas.")
            % {"created": report.communities_created, "updated": report.communities_updated}
        )
        if report.name_mismatches:
            write(
                _("Nombres distintos en los contornos (se usa el del catálogo): %(count)d")
                % {"count": len(report.name_mismatches)}
            )
            for code, topo_name, name in report.name_mismatches:
                write(f"  {code}: {topo_name} → {name}")
        for label, codes in (
            (_("Contornos sin municipio en el catálogo"), report.unmatched_boundaries),
            (_("Localidades sin municipio en el catálogo"), report.unmatched_localities),
        ):
            if codes:
                self.stderr.write(f"{label}: {', '.join(codes)}")
        if not report.changed:
            write(_("Sin cambios: el catálogo ya estaba al día."))
