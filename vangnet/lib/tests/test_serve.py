# SPDX-License-Identifier: EUPL-1.2
"""`vangnet serve` starts uvicorn without client addresses in logs and without WebSocket
compression (ADR 0020: CPU per frame, compression side channels)."""

from __future__ import annotations

from typing import Any

import pytest

from vangnet import cli


def test_serve_configures_uvicorn_for_privacy_and_plain_frames(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: str, **kwargs: Any) -> None:
        seen.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    assert cli.serve(["--port", "8123", "--workers", "1"]) == 0
    assert seen["app"] == "vangnet.asgi:application"
    assert seen["port"] == 8123
    assert seen["access_log"] is False  # the access log would print client addresses
    assert seen["proxy_headers"] is False
    assert seen["ws_per_message_deflate"] is False
    assert seen["ws_max_size"] == 64 * 1024


def test_several_workers_run_under_the_prefork_supervisor_with_the_same_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vangnet.lib.prefork import Prefork

    seen: dict[str, Any] = {}

    def fake_run(self: Prefork) -> int:
        seen.update(config=self.config, workers=self.workers)
        return 0

    monkeypatch.setattr(Prefork, "run", fake_run)
    assert cli.serve(["--port", "8124", "--workers", "2"]) == 0
    config = seen["config"]
    assert seen["workers"] == 2
    assert config.app == "vangnet.asgi:application" and config.port == 8124
    assert config.access_log is False and config.proxy_headers is False
    assert config.ws_per_message_deflate is False and config.ws_max_size == 64 * 1024


def test_server_processes_collect_young_garbage_less_often(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from vangnet.lib.prefork import tune_process

    saved = gc.get_threshold()
    try:
        monkeypatch.delenv("VANGNET_GC_GEN0", raising=False)
        tune_process()
        assert gc.get_threshold() == (50_000, *saved[1:])
        gc.set_threshold(*saved)
        monkeypatch.setenv("VANGNET_GC_GEN0", "0")  # 0 keeps Python's own setting
        tune_process()
        assert gc.get_threshold() == saved
        monkeypatch.setenv("VANGNET_GC_GEN0", "many")  # nonsense: the default
        tune_process()
        assert gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*saved)
