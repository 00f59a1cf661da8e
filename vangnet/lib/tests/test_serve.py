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
    assert cli.serve(["--port", "8123", "--workers", "2"]) == 0
    assert seen["app"] == "vangnet.asgi:application"
    assert seen["port"] == 8123 and seen["workers"] == 2
    assert seen["access_log"] is False  # the access log would print client addresses
    assert seen["proxy_headers"] is False
    assert seen["ws_per_message_deflate"] is False
    assert seen["ws_max_size"] == 64 * 1024
