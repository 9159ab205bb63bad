"""The `polo` command refuses to run without a secret key outside development,
with a message that says what to do; commands that only read the code (the
migrations check, translations) run without one."""

import os
import subprocess
import sys


def run_polo(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "polo.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_without_a_secret_key_when_debug_is_off():
    result = run_polo("check")
    assert result.returncode == 2
    assert "SECRET_KEY is required" in result.stderr
    assert "DEBUG=1" in result.stderr
    assert "AppRegistryNotReady" not in result.stderr


def test_it_runs_with_a_secret_key():
    result = run_polo("check", SECRET_KEY="a-long-enough-secret-for-this-check-0123456789abcdef")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_commands_that_only_read_the_code_need_no_secret_key():
    result = run_polo("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    # Any other command still refuses.
    assert run_polo("migrate", "--check").returncode == 2
