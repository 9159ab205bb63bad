"""`python -m bench` runs end to end on a tiny scale and prints its figures.

One area's module only (bench.core: the home page and /healthz), at the programme's
scale: the harness is what is tested here; every area's module is run by `make bench`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_builds_its_own_database_and_prints_the_pages(tmp_path):
    env = {**os.environ, "POLO_VAR_DIR": str(tmp_path)}
    env.pop("BENCH_DATABASE_URL", None)

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--scale",
            "programme",
            "--requests",
            "3",
            "--only",
            "core",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "polo load-territory" in result.stdout
    assert "polo demo" in result.stdout
    figures = json.loads((tmp_path / "bench" / "results.json").read_text())
    pages = {page["url"]: page for page in figures["pages"]}
    assert pages["/"]["status"] == 200 and pages["/healthz"]["status"] == 200
    assert pages["/"]["server_ms"]["n"] == 3
    assert pages["/"]["transferred_bytes"] > pages["/"]["html_gzip_bytes"] > 0
    assert figures["failures"] == []


def test_the_benchmark_rejects_nonsense_options(tmp_path):
    env = {**os.environ, "POLO_VAR_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "bench", "--requests", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "--requests" in result.stderr
    assert not (tmp_path / "bench").exists()
