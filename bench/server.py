"""A real server for the benchmarks that measure through HTTP: gunicorn (gthread
workers) on a free port of 127.0.0.1, with the bench database and settings (the
environment ``python -m bench`` configured), its log under ``var/bench/``.

    server = start_server(workers=2, threads=4, log_name="agendas-server.log")
    try:
        ... http.client.HTTPConnection("127.0.0.1", server.port) ...
    finally:
        server.stop()

Used by ``bench.surveys_openrosa`` and ``bench.agendas``.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    workers: int
    threads: int
    media: Path
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(
    *, workers: int, threads: int, log_name: str, media_prefix: str = "polo-bench-"
) -> Server:
    """Start gunicorn and wait (up to a minute) until /healthz answers 200."""
    from django.db import connections

    connections.close_all()  # the server's processes open their own
    port = free_port()
    media = Path(tempfile.mkdtemp(prefix=media_prefix))
    log_dir = Path(os.environ.get("POLO_VAR_DIR") or ROOT / "var") / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / log_name
    env = {
        **os.environ,
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "polo.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, port, workers, threads, media, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer on port {port} within a minute; see {log}")
