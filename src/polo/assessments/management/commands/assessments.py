"""`polo assessments`: the self-assessment's instrument from the command line.

    polo assessments xlsform FILE.xlsx     write the Incidence Manual as shipped
    polo assessments install [--user EMAIL]   upload it, if no version is installed
    polo assessments upload FILE.xlsx [--user EMAIL]   an adapted version

A workbook with problems prints each one with its sheet, row and column and
exits with status 1; nothing is saved then.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polo.accounts.models import User
from polo.assessments import selectors, services
from polo.assessments.instrument.manual import manual_xlsform
from polo.surveys.services import VersionConflict
from polo.surveys.xlsform import XLSFormError


class Command(BaseCommand):
    help = "El instrumento del autodiagnóstico (Manual de incidencia)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="xlsform|install|upload"
        )
        xlsform = actions.add_parser("xlsform", help="Escribe el Manual de incidencia (.xlsx).")
        xlsform.add_argument("file")
        install = actions.add_parser("install", help="Instala el Manual si no está instalado.")
        install.add_argument("--user", help="Correo de quien lo instala (queda en la bitácora).")
        upload = actions.add_parser("upload", help="Sube una versión adaptada.")
        upload.add_argument("file")
        upload.add_argument("--user", help="Correo de quien la sube (queda en la bitácora).")

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    def _user(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No hay una cuenta con el correo {email}.")
        return user

    def handle_xlsform(self, options) -> None:
        path = Path(options["file"])
        path.write_bytes(manual_xlsform())
        self.stdout.write(f"Escrito {path}.")

    def handle_install(self, options) -> None:
        instrument = services.instrument_install_default(by=self._user(options.get("user")))
        version = instrument.current_version
        self.stdout.write(f"{instrument.title}: versión {version.number} ({version.version}).")

    def handle_upload(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No existe el archivo {path}.")
        try:
            version = services.instrument_upload(
                data=path.read_bytes(),
                filename=path.name,
                by=self._user(options.get("user")),
                instrument=selectors.current_instrument(),
            )
        except XLSFormError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError("No se guardó: corrija el libro.") from error
        except VersionConflict as error:
            raise CommandError(f"Ya hay una versión «{error}».") from error
        self.stdout.write(f"Versión {version.number} ({version.version}) guardada.")
