# SPDX-License-Identifier: EUPL-1.2
"""The `vangnet` command: the operations people need, without knowing Django's manage.py.

vangnet serve [--host H] [--port P] [--workers N]   start the ASGI server
vangnet demo                                      load demo data (idempotent)
vangnet audit verify                              check the audit hash chains
vangnet keys rotate | keys generate               re-encrypt under the primary key / new key
vangnet worker                                    run background tasks and schedules
vangnet radar dedupe|link ...                     bulk record linkage (see --help)
vangnet stats cbs|funders ...                     statistics deliveries
vangnet manage ...                                any Django management command
"""

from __future__ import annotations

import os
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"vangnet: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _manage(*args: str) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vangnet", *args])
    return 0


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="vangnet serve")
    parser.add_argument("--host", default=os.environ.get("VANGNET_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("VANGNET_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    args = parser.parse_args(argv)
    import uvicorn

    # No access log: uvicorn's would print client addresses (architecture principle 2).
    options: dict[str, object] = {
        "host": args.host,
        "port": args.port,
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
        "ws_max_size": 64 * 1024,
        # No per-message compression: chat frames are small JSON (deflate costs CPU per frame
        # per socket and saves little), and compressing secrets next to attacker-chosen text
        # is what compression side channels (CRIME/BREACH) feed on. ADR 0020.
        "ws_per_message_deflate": False,
        "lifespan": "off",
        "log_level": os.environ.get("VANGNET_LOG_LEVEL", "info").lower(),
    }
    if args.workers <= 1:
        from vangnet.lib.prefork import tune_process

        tune_process()
        uvicorn.run("vangnet.asgi:application", **options)  # type: ignore[arg-type]
        return 0
    # Several workers: forked from this process once the application is loaded, and a dead
    # worker replaced in milliseconds (lib/prefork.py, ADR 0021).
    from vangnet.lib.prefork import Prefork

    config = uvicorn.Config("vangnet.asgi:application", **options)  # type: ignore[arg-type]
    return Prefork(config, args.workers).run()


COMMANDS = {
    ("demo",): ("demo",),
    ("audit", "verify"): ("audit_verify",),
    ("keys", "rotate"): ("keys_rotate",),
    ("keys", "generate"): ("keys_generate",),
    ("worker",): ("vangnet_worker",),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if argv[0] == "radar":
        # The linker needs the linkage key, not Django's apps: no django.setup() (ADR 0010).
        from vangnet.radar.command import main as radar_main

        return radar_main(argv[1:])
    _django()
    if argv[0] == "serve":
        return serve(argv[1:])
    if argv[0] == "manage":
        return _manage(*argv[1:])
    if argv[0] == "stats":
        return _manage("stats", *argv[1:])
    for words, command in COMMANDS.items():
        if tuple(argv[: len(words)]) == words:
            return _manage(*command, *argv[len(words) :])
    print(f"vangnet: unknown command {' '.join(argv)!r}. Try 'vangnet --help'.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
