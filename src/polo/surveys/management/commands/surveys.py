"""`polo surveys`: instruments and responses from the command line.

    polo surveys import-form FILE.xlsx [--instrument SLUG] [--kind survey|assessment]
                             [--user EMAIL]
    polo surveys import-responses FORM FILE [--round R] [--version V] [--dry-run]
                                  [--user EMAIL]
    polo surveys export FORM [--round R] [--campaign SLUG] --format csv|xlsx [--labels]
                        [--language es|en] [--status S] [--region SLUG]
                        [--municipality CODE] -o FILE

FORM is an instrument's slug; R a round's id or «campaign-slug/order»; V a
version string or number (by default, the latest). A form with problems prints
each one with its sheet, row and column; an import prints the same preview as
the web page and writes only if no row is rejected (all or nothing). Both exit
with status 1 when nothing was saved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polo.accounts.models import User
from polo.surveys import exporting, importing, services
from polo.surveys.models import Instrument, Response
from polo.surveys.xlsform import XLSFormError

ACTION_LABELS = {"create": "nueva", "skip": "ya importada", "rejected": "rechazada"}
PRINTED_ROWS = 200


class Command(BaseCommand):
    help = "Formularios XLSForm, importación y exportación de respuestas de encuestas."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="import-form|import-responses|export"
        )

        form = actions.add_parser("import-form", help="Sube un XLSForm como nueva versión.")
        form.add_argument("file", help="El archivo .xlsx del XLSForm.")
        form.add_argument("--instrument", help="Identificador del instrumento (nueva versión).")
        form.add_argument("--kind", choices=Instrument.Kind.values, default=Instrument.Kind.SURVEY)
        form.add_argument("--user", help="Correo de quien lo sube (queda en la bitácora).")

        responses = actions.add_parser(
            "import-responses", help="Importa respuestas exportadas de KoboToolbox u ODK Central."
        )
        responses.add_argument("form", help="Identificador del instrumento.")
        responses.add_argument("file", help="CSV, XLSX o ZIP exportado.")
        responses.add_argument("--round", help="Ronda: su id o «campaña/orden».")
        responses.add_argument("--version", help="Versión del formulario (por omisión, la última).")
        responses.add_argument(
            "--dry-run", action="store_true", help="Solo mostrar la vista previa; no guardar nada."
        )
        responses.add_argument("--user", help="Correo de quien importa (queda en la bitácora).")

        export = actions.add_parser("export", help="Exporta respuestas en CSV o XLSX.")
        export.add_argument("form", help="Identificador del instrumento.")
        export.add_argument("--round", help="Solo esta ronda: su id o «campaña/orden».")
        export.add_argument("--campaign", help="Solo esta campaña (su identificador).")
        export.add_argument("--format", required=True, choices=exporting.FORMATS)
        export.add_argument("--labels", action="store_true", help="Etiquetas en lugar de nombres.")
        export.add_argument("--language", choices=["es", "en"], default="es")
        export.add_argument("--status", action="append", choices=Response.Status.values)
        export.add_argument("--region", help="Solo esta región (su identificador).")
        export.add_argument("--municipality", help="Solo este municipio (clave INEGI).")
        export.add_argument("-o", "--output", required=True, help="Archivo de salida.")

    def handle(self, *args, **options):
        getattr(self, "handle_" + options["action"].replace("-", "_"))(options)

    # ---- import-form ------------------------------------------------------------------

    def handle_import_form(self, options) -> None:
        path = self._file(options["file"])
        instrument = None
        if options["instrument"]:
            instrument = Instrument.objects.filter(slug=options["instrument"]).first()
            if instrument is None:
                raise CommandError(f"No existe el instrumento «{options['instrument']}».")
        user = self._user(options["user"], "surveys.manage_instruments")
        try:
            version = services.form_version_create(
                data=path.read_bytes(),
                filename=path.name,
                by=user,
                instrument=instrument,
                kind=options["kind"],
            )
        except XLSFormError as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            count = len(exc.problems)
            raise CommandError(
                f"El formulario tiene {count} problema{'s' if count != 1 else ''}; no se guardó."
            ) from exc
        except services.VersionConflict as exc:
            raise CommandError(
                f"La versión «{exc}» ya existe en este instrumento: cambia «version» en la hoja "
                "settings. No se guardó."
            ) from exc
        for warning in version.warnings:
            self.stdout.write(f"  aviso: {warning}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{version.instrument.slug}: versión {version.number} ({version.version}), "
                f"{sum(1 for q in version.form.questions if q.is_input)} preguntas."
            )
        )

    # ---- import-responses --------------------------------------------------------------

    def handle_import_responses(self, options) -> None:
        instrument = self._instrument(options["form"])
        path = self._file(options["file"])
        user = self._user(options["user"], "surveys.view_instruments")
        try:
            round_ = importing.find_round(instrument, options["round"])
            version = importing.find_version(instrument, options["version"])
        except importing.TargetError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with path.open("rb") as handle:
                plan = importing.import_file(
                    handle,
                    round_=round_,
                    version=version,
                    user=user,
                    file_name=path.name,
                    write=not options["dry_run"],
                    limit=importing.common.MAX_FILE_BYTES,
                )
        except importing.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except importing.ImportApplyError as exc:
            raise CommandError(str(exc)) from exc
        self._print_plan(plan, round_)
        counts = plan["counts"]
        if options["dry_run"]:
            self.stdout.write("Simulación (--dry-run): no se guardó nada.")
            return
        if counts["rejected"]:
            raise CommandError(
                f"{counts['rejected']} filas rechazadas: no se importó nada (todo o nada). "
                "Corrige el archivo y vuelve a importarlo."
            )
        if plan["applied"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Importación hecha: {plan['applied']['created']} respuestas nuevas, "
                    f"{counts['skip']} ya estaban."
                )
            )
        else:
            self.stdout.write(f"Nada que importar: {counts['skip']} respuestas ya estaban.")

    def _print_plan(self, plan: dict, round_) -> None:
        counts = plan["counts"]
        self.stdout.write(
            f"{plan['file_name']} · {plan['format']} · {plan['total']} respuestas → {round_}"
        )
        self.stdout.write(
            f"  nuevas: {counts['create']}  ya importadas: {counts['skip']}  "
            f"rechazadas: {counts['rejected']}"
        )
        for warning in plan["warnings"]:
            self.stdout.write(f"  aviso: {warning}")
        printed = 0
        for row in plan["rows"]:
            if row["action"] == "create":
                continue
            if printed >= PRINTED_ROWS:
                self.stdout.write("  …")
                break
            printed += 1
            reasons = "; ".join(row["reasons"])
            self.stdout.write(
                f"  Fila {row['row']}: {ACTION_LABELS[row['action']]} "
                f"({row['instance_id'] or '—'}): {reasons}"
            )

    # ---- export -------------------------------------------------------------------------

    def handle_export(self, options) -> None:
        instrument = self._instrument(options["form"])
        responses = Response.objects.filter(round__campaign__instrument=instrument)
        if options["campaign"]:
            responses = responses.filter(round__campaign__slug=options["campaign"])
        if options["round"]:
            try:
                round_ = importing.find_round(instrument, options["round"])
            except importing.TargetError as exc:
                raise CommandError(str(exc)) from exc
            responses = responses.filter(round=round_)
        statuses = options["status"] or [
            s for s in Response.Status.values if s != Response.Status.DRAFT
        ]
        responses = responses.filter(status__in=statuses)
        if options["region"]:
            responses = responses.filter(municipality__region__slug=options["region"])
        if options["municipality"]:
            responses = responses.filter(municipality__code=options["municipality"])
        export_options = exporting.Options(labels=options["labels"], language=options["language"])
        output = Path(options["output"])
        if options["format"] == "xlsx":
            with (
                exporting.xlsx_file(instrument, responses, export_options) as source,
                output.open("wb") as target,
            ):
                shutil.copyfileobj(source, target)
        else:
            with output.open("w", encoding="utf-8", newline="") as target:
                for chunk in exporting.csv_stream(instrument, responses, export_options):
                    target.write(chunk)
        self.stdout.write(
            self.style.SUCCESS(f"{responses.count()} respuestas exportadas → {output}")
        )

    # ---- helpers -------------------------------------------------------------------------

    def _file(self, name: str) -> Path:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No existe el archivo {path}.")
        return path

    def _instrument(self, slug: str) -> Instrument:
        instrument = Instrument.objects.filter(slug=slug).first()
        if instrument is None:
            known = ", ".join(Instrument.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No existe el instrumento «{slug}». Instrumentos: {known or '—'}.")
        return instrument

    def _user(self, email: str | None, perm: str) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No hay ninguna cuenta con el correo {email}.")
        if not user.has_perm(perm):
            raise CommandError(f"{email} no tiene permiso para esto.")
        return user
