# SPDX-License-Identifier: EUPL-1.2
"""Start a real Vangnet server process for browser tests and benchmarks (never production).

Migrates the given database, loads demo data, starts `vangnet serve` on a free port and waits
until it accepts connections. The caller stops the process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DevServer:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    env: dict[str, str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(var_dir: Path, env_overrides: dict[str, str], *, workers: int = 1) -> DevServer:
    """``env_overrides`` must include DATABASE_URL; REDIS_URL only when the caller wants it."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"VANGNET_ENV": "demo", "VANGNET_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"})
    env.update(env_overrides)
    for args in (["manage", "migrate", "--no-input", "-v0"], ["demo"]):
        subprocess.run(  # noqa: S603 - our own command line, no user input
            [sys.executable, "-m", "vangnet.cli", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=600,
        )
    port = free_port()
    log_path = var_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "vangnet.cli", "serve", "--port", str(port),
             "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("server exited:\n" + log_path.read_text()) from None
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("server did not start:\n" + log_path.read_text())
    if workers > 1:
        time.sleep(1.0)  # every worker process finishes importing before traffic starts
    return DevServer(process, f"http://127.0.0.1:{port}", log_path, env)
