"""OpenRosa submissions under load (issue 4): sustained submissions per second
with 16 concurrent clients, and none lost.

A real server (gunicorn, gthread workers, the bench database and settings) is
started on a free port; 16 client threads, each with its own keep-alive HTTP
connection, authenticate with HTTP Digest as ODK Collect does (one challenge,
then the nonce reused with an increasing count) and post baseline-survey
instances (multipart, ``xml_submission_file``), all starting at once. Each
round's rate is its submissions over the wall time from the start to the last
answer; the figure is the median of the rounds. A client that loses its
connection reconnects and sends the same instance again, as a collecting app
would (the server stores an instance once); one answered 503 (busy: SQLite's
write lock not granted within its timeout, nothing stored) is sent again a
second later. Both kinds of resend are counted, and the latency of a
submission includes them.

Afterwards the stored rows are COUNTED in the database (responses, their
answer rows and kept documents) against the 201 answers: none lost, none twice.
A last phase sends one instance of each client again, all at once: each must
be answered 202 and nothing more stored. One untimed submission per client
first warms the server's processes up.

Every instance is checked with ``validation.validate`` before the clock starts,
so that a refusal in the run is the server's doing, not the generator's.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import Context, Section, summarize, table
from bench.server import Server, start_server

CLIENTS = 16
ROUNDS = 3
PER_CLIENT = 25  # submissions per client and round (5 with --quick)
BOUNDARY = "----PoloBenchBoundary0123456789"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
CHALLENGE_RE = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')
USER_EMAIL = "recoleccion.bench@polo.demo"
ROOT = Path(__file__).resolve().parent.parent

_ran = False


def sections(ctx: Context) -> list[Section]:
    """Once per run, at the first scale measured: the figures do not depend on
    the directory's size."""
    global _ran
    if _ran:
        return []
    _ran = True
    return [_openrosa_section(ctx)]


# --- the data ------------------------------------------------------------------------


@dataclass
class World:
    round_id: int
    xform_id: str
    version: str
    spec: object
    email: str
    password: str
    municipalities: list[tuple[str, str]]  # (INEGI key, region slug)


def _world() -> World:
    from polo.accounts.models import User
    from polo.surveys import services
    from polo.surveys.instruments.baseline import baseline_xlsform
    from polo.surveys.models import Campaign, Round
    from polo.surveys.openrosa import auth
    from polo.territory.models import Municipality, Region

    regions = list(Region.objects.order_by("slug").values_list("slug", "name"))
    municipalities = list(
        Municipality.objects.filter(region__isnull=False)
        .order_by("code")
        .values_list("code", "name", "region__slug")
    )
    user, _created = User.objects.get_or_create(
        email=USER_EMAIL,
        defaults={"full_name": "Recolección de prueba", "role": User.Role.FACILITATOR},
    )
    version = services.form_version_create(
        data=baseline_xlsform(regions=regions, municipalities=municipalities),
        filename="linea_base_bench.xlsx",
        by=user,
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug=f"bench-openrosa-{uuid.uuid4().hex[:8]}",
        title="Línea base (bench OpenRosa)",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )  # no regions: the whole programme, so the facilitator collects for it
    round_ = Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )
    password = auth.collector_credential_issue(user=user)
    return World(
        round_id=round_.pk,
        xform_id=round_.xform_id,
        version=version.version,
        spec=version.form,
        email=user.email,
        password=password,
        municipalities=[(code, region) for code, _name, region in municipalities],
    )


THEMES = ["salud", "educacion", "genero", "medio_ambiente", "derechos", "economia"]
SOURCES = ["donativos", "gobierno", "cooperacion", "cuotas"]


def _answers(rng: random.Random, world: World) -> dict:
    """A valid, varied response to the baseline survey."""
    code, region = rng.choice(world.municipalities)
    team = rng.randint(1, 40)
    sources = rng.sample(SOURCES, rng.randint(0, 3))
    themes = rng.sample(THEMES, rng.randint(1, 3))
    made = rng.randint(0, 8)
    data = {
        "region": region,
        "municipio": code,
        "tipo_actor": rng.choice(["osc", "colectivo", "academica", "red", "comunitaria"]),
        "anio_fundacion": str(rng.randint(1960, 2025)),
        "sexo_respondente": rng.choice(["mujer", "hombre", "otro"]),
        "indigena": rng.choice(["si", "no"]),
        "plan_estrategico": rng.choice(["si", "no"]),
        "personas_equipo": str(team),
        "mujeres_equipo": str(rng.randint(0, team)),
        "presupuesto": rng.choice(["menos_100k", "100k_1m", "mas_1m"]),
        "fuentes": " ".join(sources),
        "rinde_cuentas": rng.choice(["si", "no"]),
        "participa_consejos": rng.choice(["si", "no"]),
        "propuestas_presentadas": str(made),
        "relacion_gobierno": str(rng.randint(1, 5)),
        "temas": " ".join(themes),
        "proyectos": [
            {
                "proyecto_nombre": f"Proyecto {rng.randint(1, 999)}",
                "proyecto_tema": rng.choice(THEMES),
                "proyecto_personas": str(rng.randint(0, 300)),
            }
            for _ in range(rng.randint(0, 3))
        ],
        "ubicacion": f"{rng.uniform(16, 19):.6f} {rng.uniform(-99, -96):.6f} 1500 8",
        "fecha": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "observaciones": "Entrevista en la sede; sin incidentes.",
        "consentimiento": "OK",
        "inicio": "2026-10-01T10:00:00.000-06:00",
        "fin": "2026-10-01T10:40:00.000-06:00",
    }
    if data["indigena"] == "si":
        data["lengua"] = rng.choice(["mixteco", "zapoteco", "nahuatl", "mazateco", "otra"])
    if data["plan_estrategico"] == "si":
        data["plan_anios"] = str(rng.randint(1, 10))
    if "donativos" in sources:
        data["pct_donativos"] = str(rng.randint(0, 100))
    if data["participa_consejos"] == "si":
        data["consejos_cuales"] = "Consejo municipal de desarrollo rural"
    if made > 0:
        data["propuestas_adoptadas"] = str(rng.randint(0, made))
    if len(themes) > 1:
        data["tema_principal"] = rng.choice(themes)
    return {key: value for key, value in data.items() if value != ""}


def _multipart(document: bytes) -> bytes:
    return b"\r\n".join(
        [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="xml_submission_file"; filename="i.xml"',
            b"Content-Type: text/xml",
            b"",
            document,
            f"--{BOUNDARY}--".encode(),
            b"",
        ]
    )


def _bodies(world: World, count: int, rng: random.Random) -> list[tuple[str, bytes]]:
    from polo.surveys import validation
    from polo.surveys.openrosa.instance import data_to_xml

    bodies = []
    for _ in range(count):
        data = _answers(rng, world)
        problems = validation.validate(world.spec, validation.compute(world.spec, data))
        if problems:
            raise RuntimeError(f"the bench made an invalid instance: {problems[:3]}")
        instance_id = f"uuid:{uuid.uuid4()}"
        document = data_to_xml(world.spec, data, world.xform_id, world.version, instance_id)
        bodies.append((instance_id, _multipart(document)))
    return bodies


# --- the server ----------------------------------------------------------------------


def _start_server() -> Server:
    workers = max(2, min(4, os.cpu_count() or 2))
    return start_server(
        workers=workers,
        threads=max(1, CLIENTS // workers),
        log_name="openrosa-server.log",
        media_prefix="polo-bench-openrosa-",
    )


# --- the clients ---------------------------------------------------------------------


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Collector:
    """One device: a keep-alive connection and a Digest nonce with its count."""

    port: int
    username: str
    password: str
    conn: http.client.HTTPConnection | None = None
    challenge: dict = field(default_factory=dict)
    nc: int = 0
    reconnects: int = 0
    busy: int = 0

    def connect(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def _send(self, method: str, body: bytes | None, authorization: str | None):
        headers = {"X-OpenRosa-Version": "1.0"}
        if authorization:
            headers["Authorization"] = authorization
        if body is not None:
            headers["Content-Type"] = MULTIPART
        self.conn.request(method, "/openrosa/submission", body, headers)
        response = self.conn.getresponse()
        response.read()
        return response

    def authenticate(self) -> None:
        """HEAD without credentials: the server's challenge."""
        response = self._send("HEAD", None, None)
        header = response.getheader("WWW-Authenticate", "")
        self.challenge = {
            m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
            for m in CHALLENGE_RE.finditer(header.partition(" ")[2])
        }
        self.nc = 0

    def _authorization(self, method: str) -> str:
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.username}:{self.challenge['realm']}:{self.password}")
        ha2 = _md5(f"{method}:/openrosa/submission")
        answer = _md5(f"{ha1}:{self.challenge['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{self.username}", realm="{self.challenge["realm"]}", '
            f'nonce="{self.challenge["nonce"]}", uri="/openrosa/submission", qop=auth, '
            f'nc={nc}, cnonce="{cnonce}", response="{answer}", algorithm=MD5'
        )

    def submit(self, body: bytes) -> int:
        """POST until the server answers (a broken connection is retried with
        the same instance, as a device would); the final status."""
        for _attempt in range(10):
            try:
                response = self._send("POST", body, self._authorization("POST"))
            except (OSError, http.client.HTTPException):
                self.reconnects += 1
                self.connect()
                continue
            if response.status == 401:
                self.authenticate()  # stale nonce (or a restarted server)
                continue
            if response.status == 503:
                # Busy (SQLite's write lock): nothing stored; send it again, as
                # a device would, a moment later.
                self.busy += 1
                time.sleep(1)
                continue
            return response.status
        return 0


def _run_round(port: int, world: World, bodies: list[list[tuple[str, bytes]]]) -> dict:
    barrier = threading.Barrier(len(bodies) + 1)
    results: list[list[tuple[str, int, float]]] = [[] for _ in bodies]
    reconnects = [0] * len(bodies)
    busy = [0] * len(bodies)
    failures: list[str] = []

    def work(index: int) -> None:
        collector = Collector(port, world.email, world.password)
        try:
            collector.connect()
            collector.authenticate()
        except Exception as error:  # reported, and the round goes on without it
            failures.append(f"client {index}: {error!r}")
            barrier.wait()
            return
        barrier.wait()
        for instance_id, body in bodies[index]:
            started = time.perf_counter()
            status = collector.submit(body)
            results[index].append((instance_id, status, time.perf_counter() - started))
        reconnects[index] = collector.reconnects
        busy[index] = collector.busy
        collector.conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    flat = [item for client in results for item in client]
    return {
        "seconds": seconds,
        "sent": len(flat),
        "statuses": [status for _id, status, _s in flat],
        "created": [instance_id for instance_id, status, _s in flat if status == 201],
        "latencies_ms": [s * 1000 for _id, _st, s in flat],
        "reconnects": sum(reconnects),
        "busy": sum(busy),
        "failures": failures,
    }


# --- the section ---------------------------------------------------------------------


def _openrosa_section(ctx: Context) -> Section:
    from django.db import connection

    from polo.surveys.models import Answer, Attachment, Response

    per_client = 5 if ctx.quick else PER_CLIENT
    rounds = 1 if ctx.quick else ROUNDS
    rng = random.Random(20261126)
    world = _world()
    plan = [
        [_bodies(world, per_client, rng) for _client in range(CLIENTS)] for _round in range(rounds)
    ]
    warmup = [_bodies(world, 1, rng) for _client in range(CLIENTS)]
    load_before = os.getloadavg()
    server = _start_server()
    outcomes = []
    try:
        # Untimed: every process and thread loads its code and opens its connection.
        warmed = _run_round(server.port, world, warmup)
        for number, bodies in enumerate(plan, start=1):
            outcome = _run_round(server.port, world, bodies)
            outcomes.append(outcome)
            rate = outcome["sent"] / outcome["seconds"]
            print(f"  OpenRosa round {number}: {rate:.1f} submissions/s", flush=True)
        # Each client sends its first instance of the first round again, at once.
        repeats = [[plan[0][client][0]] for client in range(CLIENTS)]
        repeat = _run_round(server.port, world, repeats)
    finally:
        server.stop()
    load_after = os.getloadavg()

    connection.close()
    sent = sum(o["sent"] for o in [warmed, *outcomes])
    created = [instance_id for o in [warmed, *outcomes] for instance_id in o["created"]]
    errors = [status for o in [warmed, *outcomes] for status in o["statuses"] if status != 201]
    stored = Response.objects.filter(round_id=world.round_id)
    stored_count = stored.count()
    distinct = stored.values("instance_id").distinct().count()
    kept = Attachment.objects.filter(
        response__round_id=world.round_id, name="xml_submission_file"
    ).count()
    files_on_disk = sum(1 for path in server.media.rglob("*.xml") if path.is_file())
    answer_rows = Answer.objects.filter(round_id=world.round_id).count()
    expected_rows = _expected_answer_rows(world, stored)
    created_stored = stored.filter(instance_id__in=created).count()
    shutil.rmtree(server.media, ignore_errors=True)

    rates = [o["sent"] / o["seconds"] for o in outcomes]
    latency = summarize([ms for o in outcomes for ms in o["latencies_ms"]])
    rows = [
        [
            str(number),
            str(o["sent"]),
            f"{o['seconds']:.2f}",
            f"{o['sent'] / o['seconds']:.1f}",
            f"{statistics.median(o['latencies_ms']):.0f}",
            f"{summarize(o['latencies_ms'])['p95']:.0f}",
            str(sum(1 for s in o["statuses"] if s != 201)),
            str(o["reconnects"]),
            str(o["busy"]),
        ]
        for number, o in enumerate(outcomes, start=1)
    ]
    none_lost = stored_count == len(created) == created_stored == sent and not errors
    repeat_statuses = repeat["statuses"]
    repeat_ok = all(status == 202 for status in repeat_statuses)
    text = "\n".join(
        [
            f"Server: gunicorn, {server.workers} processes × {server.threads} threads (gthread), "
            f"{connection.vendor}; {CLIENTS} clients with keep-alive connections and HTTP Digest; "
            f"baseline survey ({len(world.spec.questions)} stored questions, 0–3 repeat rows).",
            f"Load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in load_before)} → "
            f"{' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs)",
            "",
            table(
                [
                    "round",
                    "submissions",
                    "seconds",
                    "per second",
                    "median ms",
                    "p95 ms",
                    "not 201",
                    "reconnects",
                    "503 resent",
                ],
                rows,
                f"OpenRosa submissions, {CLIENTS} concurrent clients",
            ),
            "",
            f"Sustained: {statistics.median(rates):.1f} submissions/s (median of {len(rates)} "
            f"rounds; min {min(rates):.1f}, max {max(rates):.1f}); latency median "
            f"{latency['median']:.0f} ms, p95 {latency['p95']:.0f} ms.",
            f"Counted afterwards (the {CLIENTS} untimed warm-up submissions included): "
            f"{sent} sent, {len(created)} answered 201, {stored_count} "
            f"responses stored ({distinct} distinct instance ids), {created_stored} of the 201s "
            f"found, {kept} documents kept ({files_on_disk} files on disk), {answer_rows} "
            f"answer rows (expected {expected_rows}): "
            + ("none lost, none twice." if none_lost else "MISMATCH — see the figures."),
            f"Resent at once ({CLIENTS} instances already stored): "
            + ", ".join(f"{s}×{repeat_statuses.count(s)}" for s in sorted(set(repeat_statuses)))
            + (" — accepted once, nothing stored twice." if repeat_ok else " — UNEXPECTED")
            + f" Responses after: {stored.count()}.",
        ]
        + [f"Client failure: {failure}" for o in outcomes for failure in o["failures"]]
    )
    return Section(
        title="OpenRosa submissions (issue 4)",
        text=text,
        data={
            "clients": CLIENTS,
            "workers": server.workers,
            "threads": server.threads,
            "rates_per_second": rates,
            "median_rate": statistics.median(rates),
            "latency_ms": latency,
            "sent": sent,
            "created": len(created),
            "stored": stored_count,
            "distinct": distinct,
            "documents": kept,
            "answer_rows": answer_rows,
            "expected_answer_rows": expected_rows,
            "errors": len(errors),
            "reconnects": sum(o["reconnects"] for o in outcomes),
            "busy_resends": sum(o["busy"] for o in outcomes),
            "repeat_statuses": repeat["statuses"],
            "none_lost": none_lost,
            "load_average": [load_before, load_after],
        },
    )


def _expected_answer_rows(world: World, stored) -> int:
    from polo.surveys.services import answer_rows

    return sum(
        sum(1 for _row in answer_rows(world.spec, data))
        for data in stored.values_list("data", flat=True).iterator()
    )
