# SPDX-License-Identifier: EUPL-1.2
"""A real Vangnet server for a benchmark: its own database (a fresh PostgreSQL database next to
DATABASE_URL when that is set, else a SQLite file), migrated, with demo data, on a free port."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vangnet.lib.devserver import ROOT, free_port, start

__all__ = ["ROOT", "counsellor_bot", "free_port", "prepare_postgres", "running_server"]


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
    overrides = {"VANGNET_LOG_LEVEL": "WARNING", "VANGNET_PUBLIC_RATE_PER_MINUTE": "1000000"}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        overrides["DATABASE_URL"] = prepare_postgres(
            os.environ["DATABASE_URL"], f"vangnet_bench_{name}"
        )
    else:
        overrides["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    overrides.update(extra_env or {})
    server = start(tmp, overrides, workers=workers)
    try:
        yield server.url, server.env
    finally:
        server.stop()


def counsellor_bot(username: str, organisation: object, max_chats: int) -> tuple[object, str]:
    """A counsellor of ``organisation`` with a confirmed TOTP device, and the key of a staff
    session as the login (password and second factor) would leave it: logging in is not what
    the chat benchmarks measure. Needs Django set up."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vangnet.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "role": Role.COUNSELLOR,
            "first_name": "Bot",
            "last_name": username,
            "max_concurrent_chats": max_chats,
        },
    )
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session["vg_login_at"] = session["vg_otp_at"] = time.time()
    session.create()
    assert session.session_key is not None
    return user, session.session_key
