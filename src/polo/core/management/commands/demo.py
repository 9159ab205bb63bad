"""`polo demo`: fill the database with realistic demo data, idempotently.

    polo demo                      the programme's scale (190 CSOs, 50 collectives...)
    polo demo --scale national     50,000 organisations across Mexico (benchmarks)
    polo demo --codes              the current TOTP codes of the staff demo accounts

Demo accounts have public passwords and TOTP secrets, so the command refuses to
run unless DEBUG is on or --force is given.
"""

from __future__ import annotations

import argparse
import time
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from polo import demo
from polo.demo.accounts import account_rows, current_code


class Command(BaseCommand):
    help = "Llena la base de datos con datos de demostración (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["programme", "national"],
            default="programme",
            help="programme: las cifras del programa (por omisión); national: 50,000 "
            "organizaciones en todo México, para pruebas de rendimiento.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ejecutar aunque DEBUG esté apagado (nunca en producción).",
        )
        parser.add_argument(
            "--codes",
            action="store_true",
            help="Solo mostrar los códigos TOTP vigentes de las cuentas de "
            "demostración del personal.",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Semilla de los datos generados."
        )
        # For tests and benchmarks: load the territory separately, and make a
        # smaller national set.
        parser.add_argument("--skip-territory", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument(
            "--national-size", type=int, default=demo.NATIONAL_SIZE, help=argparse.SUPPRESS
        )

    def handle(self, *args, **options):
        if options["codes"]:
            self._print_codes()
            return
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Los datos de demostración crean cuentas con contraseñas públicas: solo se "
                "cargan con DEBUG=1 (desarrollo) o con --force. No los uses en producción."
            )
        if options["national_size"] < 0:
            raise CommandError("--national-size no puede ser negativo.")
        started = time.perf_counter()
        if not options["skip_territory"]:
            self._load_territory()
        scale = demo.Scale(name=options["scale"], national_size=options["national_size"])
        seed = options["seed"]
        self.stdout.write(f"Datos de demostración, escala {scale.name} (semilla {seed}):")
        try:
            timings = demo.run(scale=scale, seed=seed, stdout=self.stdout)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        if scale.is_national:
            # Fresh planner statistics after a bulk load of tens of thousands of
            # rows; otherwise PostgreSQL plans the first minutes' queries blind.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for step, seconds in timings:
            self.stdout.write(f"  {step}: {seconds:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Listo en {time.perf_counter() - started:.1f} s."))
        self._print_accounts()

    def _load_territory(self) -> None:
        report = StringIO()  # its full report is long; the demo shows its first line
        call_command("load_territory", stdout=report, stderr=self.stderr)
        self.stdout.write(report.getvalue().split("\n", 1)[0])

    def _print_accounts(self) -> None:
        rows = account_rows()
        widths = {
            key: max(len(header), *(len(row[key]) for row in rows))
            for key, header in HEADERS.items()
        }
        line = "  ".join(header.ljust(widths[key]) for key, header in HEADERS.items())
        self.stdout.write("\nCuentas de demostración:")
        self.stdout.write(line)
        self.stdout.write("  ".join("-" * widths[key] for key in HEADERS))
        for row in rows:
            self.stdout.write("  ".join(row[key].ljust(widths[key]) for key in HEADERS))
        uris = [row for row in rows if row["uri"]]
        if uris:
            self.stdout.write(
                "\nPara el personal, agrega la clave TOTP a una aplicación de "
                "autenticación (o usa el código de la tabla):"
            )
            for row in uris:
                self.stdout.write(f"  {row['email']}: {row['uri']}")
            self.stdout.write("Códigos vigentes en cualquier momento: polo demo --codes")

    def _print_codes(self) -> None:
        rows = [row for row in account_rows() if row["code"]]
        if not rows:
            raise CommandError("No hay cuentas de demostración del personal: ejecuta `polo demo`.")
        _code, seconds = current_code()
        for row in rows:
            self.stdout.write(f"{row['email']}  {row['code']}")
        self.stdout.write(f"(válido {seconds} s más)")


HEADERS = {
    "label": "Rol",
    "email": "Correo",
    "password": "Contraseña",
    "secret": "Clave TOTP",
    "code": "Código actual",
}
