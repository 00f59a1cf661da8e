# SPDX-License-Identifier: EUPL-1.2
"""Start a real Vangnet server for a benchmark: its own database (PostgreSQL when DATABASE_URL
is set, else a fresh SQLite file), migrated, with demo data, on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_postgres(url: str, name: str) -> str:
    """A dedicated benchmark database next to the one in DATABASE_URL (dropped and re-made)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


@contextmanager
def running_server(
    name: str, workers: int = 2, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"vangnet-{name}-"))
    env = dict(os.environ)
    env.update(
        {
            "VANGNET_ENV": "demo",
            "VANGNET_VAR_DIR": str(tmp),
            "VANGNET_LOG_LEVEL": "WARNING",
            "VANGNET_PUBLIC_RATE_PER_MINUTE": "1000000",
        }
    )
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = prepare_postgres(os.environ["DATABASE_URL"], f"vangnet_bench_{name}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env.update(extra_env or {})
    for args in (["manage", "migrate", "--no-input", "-v0"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "vangnet.cli", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vangnet.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0 if workers > 1 else 0.2)  # let every worker finish importing
        yield f"http://127.0.0.1:{port}", env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
