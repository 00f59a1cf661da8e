"""`vangnet audit verify` as an operator runs it: a real database file, a real process."""

import os
import sqlite3
import subprocess
import sys


def _vangnet(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "vangnet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_audit_verify_exits_non_zero_and_names_the_first_changed_row(tmp_path):
    db = tmp_path / "audit.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {"VANGNET_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{db}", "VANGNET_ENV": "demo"}
    )
    assert _vangnet(env, "manage", "migrate", "-v0").returncode == 0
    script = (
        "from vangnet.audit.log import Actor, record\n"
        "for i in range(5):\n"
        "    record(actor=Actor.system('t'), action='read', activity='vg-004-case-work',\n"
        "           object_id=str(i))"
    )
    assert _vangnet(env, "manage", "shell", "-c", script).returncode == 0
    ok = _vangnet(env, "audit", "verify")
    assert ok.returncode == 0 and "intact: 5 events" in ok.stdout

    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_auditevent_no_update")
        row_id = conn.execute("SELECT id FROM audit_auditevent WHERE seq = 3").fetchone()[0]
        conn.execute("UPDATE audit_auditevent SET reason = 'covered up' WHERE id = ?", (row_id,))
    bad = _vangnet(env, "audit", "verify")
    assert bad.returncode != 0
    assert f"id={row_id}" in bad.stderr and "seq=3" in bad.stderr
