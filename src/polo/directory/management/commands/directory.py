"""`polo directory`: the directory's import and export from the command line.

    polo directory import FILE [--dry-run] [--publish] [--user EMAIL] [--kind KIND]
                               [--duplicates skip|all] [--strict]
    polo directory export --format csv|xlsx|json|pdf [--q TEXT] [--kind K] [--theme SLUG]
                          [--population SLUG] [--language CODE] [--state CODE]
                          [--region SLUG] [--municipality CODE] [--lang es|en] -o FILE
    polo directory purge [--days 7]     delete old uploads, previews and PDFs

The import prints the same preview as the web page (counts and, per row, the
reasons) and writes it unless --dry-run. A bad file exits with status 1.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polo.accounts.models import User
from polo.directory import exporting, importing, printing
from polo.directory.models import Organization
from polo.directory.selectors import DirectoryFilters, FilterError, organization_search

FILTERS = ("q", "kind", "theme", "population", "language", "state", "region", "municipality")
ACTION_LABELS = {
    "create": "nueva",
    "update": "actualiza",
    "duplicate": "posible duplicado",
    "rejected": "rechazada",
}


class Command(BaseCommand):
    help = "Importa y exporta el directorio de organizaciones."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="import|export|purge")

        imports = actions.add_parser("import", help="Importa organizaciones de un CSV o XLSX.")
        imports.add_argument("file", help="El archivo CSV o XLSX.")
        imports.add_argument(
            "--dry-run", action="store_true", help="Solo mostrar la vista previa; no guardar nada."
        )
        imports.add_argument(
            "--publish",
            action="store_true",
            help="Publicar las nuevas (si no, quedan en revisión).",
        )
        imports.add_argument("--user", help="Correo de quien importa (queda en la bitácora).")
        imports.add_argument(
            "--kind",
            default="",
            choices=["", *Organization.Kind.values],
            help="Tipo para las filas sin tipo.",
        )
        imports.add_argument(
            "--duplicates",
            choices=["skip", "all"],
            default="skip",
            help="Qué hacer con los posibles duplicados (por omisión, omitirlos).",
        )
        imports.add_argument(
            "--strict",
            action="store_true",
            help="No importar nada si alguna fila se rechaza.",
        )

        exports = actions.add_parser("export", help="Exporta una búsqueda del directorio.")
        exports.add_argument("--format", required=True, choices=[*exporting.FORMATS, "pdf"])
        exports.add_argument("-o", "--output", required=True, help="Archivo de salida.")
        exports.add_argument("--lang", choices=["es", "en"], default="es")
        for name in FILTERS:
            exports.add_argument(f"--{name}", action="append", default=[])

        purge = actions.add_parser("purge", help="Borra archivos de importación y PDF viejos.")
        purge.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    # ---- import ---------------------------------------------------------------------

    def handle_import(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No existe el archivo {path}.")
        if path.stat().st_size > importing.common.MAX_UPLOAD_BYTES:
            size = round(path.stat().st_size / 2**20, 1)
            limit = importing.common.MAX_UPLOAD_BYTES // 2**20
            raise CommandError(importing.msg("too_big", size=size, limit=limit))
        user = self._user(options["user"], publish=options["publish"])
        try:
            plan = importing.plan_import(
                path.read_bytes(), file_name=path.name, user=user, default_kind=options["kind"]
            )
        except importing.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._print_plan(plan)
        if options["dry_run"]:
            self.stdout.write("Simulación (--dry-run): no se guardó nada.")
            return
        if options["strict"] and plan["counts"]["rejected"]:
            raise CommandError("Hay filas rechazadas y se pidió --strict: no se importó nada.")
        try:
            outcome = importing.apply_import(
                plan, user=user, publish=options["publish"], duplicates=options["duplicates"]
            )
        except importing.ImportApplyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Importación hecha: {len(outcome['created'])} nuevas, "
                f"{len(outcome['updated'])} actualizadas, "
                f"{len(outcome['skipped_duplicates'])} duplicados omitidos, "
                f"{outcome['rejected']} filas rechazadas."
            )
        )

    def _user(self, email: str | None, *, publish: bool) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No hay ninguna cuenta con el correo {email}.")
        if not user.has_perm("directory.import_organizations"):
            raise CommandError(f"{email} no tiene permiso para importar organizaciones.")
        if publish and not user.is_coordinator:
            raise CommandError("Solo coordinación publica sin revisión (--publish).")
        return user

    def _print_plan(self, plan: dict) -> None:
        counts = plan["counts"]
        self.stdout.write(f"{plan['file_name']} · {plan['format']} · {plan['total']} filas")
        self.stdout.write(
            f"  nuevas: {counts['create']}  actualizaciones: {counts['update']}  "
            f"posibles duplicados: {counts['duplicate']}  rechazadas: {counts['rejected']}"
        )
        if plan["unknown_columns"]:
            columns = ", ".join(plan["unknown_columns"])
            self.stdout.write(f"  columnas no reconocidas (se ignoran): {columns}")
        for row in plan["rows"]:
            if row["action"] in ("create", "update") and not row["warnings"]:
                continue
            details = list(row["reasons"]) + list(row["warnings"])
            if row["same_as_row"]:
                details.append(importing.msg("same_as_row", row=row["same_as_row"]))
            details += [
                f"{m['name']} (id {m['id']}: {', '.join(m['reasons'])})" for m in row["matches"]
            ]
            line = f"  Fila {row['row']}: {ACTION_LABELS[row['action']]} — {row['name'] or '—'}"
            self.stdout.write(line + (": " + "; ".join(details) if details else ""))

    # ---- export ---------------------------------------------------------------------

    def handle_export(self, options) -> None:
        params = {name: options[name] for name in FILTERS if options[name]}
        try:
            filters = DirectoryFilters.from_params(params, strict=True)
        except FilterError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        fmt = options["format"]
        if fmt == "pdf":
            count = organization_search(filters).count()
            self.stdout.write(f"Preparando el PDF de {count} organizaciones…")
            result = printing.render_pdf(filters)
            output.write_bytes(result.pdf)
            self.stdout.write(
                self.style.SUCCESS(
                    f"PDF: {result.count} organizaciones en {result.pages} páginas → {output}"
                )
            )
            return
        if fmt == "xlsx":
            with (
                exporting.xlsx_file(filters, lang=options["lang"]) as source,
                output.open("wb") as target,
            ):
                shutil.copyfileobj(source, target)
        else:
            stream = (
                exporting.csv_stream(filters, lang=options["lang"])
                if fmt == "csv"
                else exporting.json_stream(filters)
            )
            with output.open("w", encoding="utf-8", newline="") as target:
                for chunk in stream:
                    target.write(chunk)
        count = organization_search(filters).count()
        self.stdout.write(self.style.SUCCESS(f"{count} organizaciones exportadas → {output}"))

    # ---- purge ----------------------------------------------------------------------

    def handle_purge(self, options) -> None:
        """Uploads are deleted once read; previews never confirmed and PDFs stay
        until this runs (schedule it daily, as the other periodic commands)."""
        limit = timezone.now() - timedelta(days=options["days"])
        removed = 0
        for folder in (importing.STORAGE_DIR, printing.STORAGE_DIR):
            if not default_storage.exists(folder):
                continue
            for name in default_storage.listdir(folder)[1]:
                path = f"{folder}/{name}"
                if default_storage.get_modified_time(path) < limit:
                    default_storage.delete(path)
                    removed += 1
        self.stdout.write(f"{removed} archivos borrados.")
