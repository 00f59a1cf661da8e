# SPDX-License-Identifier: EUPL-1.2
"""Chat test helpers: a visitor who starts a chat over HTTP, and WebSocket clients on the real
ASGI application (``vangnet.asgi.application``) with the configured channel layer."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.layers import channel_layers
from django.db import connections
from django.test import Client

from vangnet.accounts.models import Organisation
from vangnet.chat import db
from vangnet.chat.models import Conversation

ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def meldpunt_staff(meldpunt: Organisation, make_staff: Any) -> dict[str, Any]:
    """The national meldpunt (where anonymous chats go) with two counsellors and a supervisor."""
    from vangnet.accounts.models import Role

    return {
        "counsellor": make_staff("noor.counsellor", meldpunt, Role.COUNSELLOR),
        "colleague": make_staff("mo.colleague", meldpunt, Role.TRIAGE_WORKER),
        "supervisor": make_staff("ruben.supervisor", meldpunt, Role.SUPERVISOR),
    }


@pytest.fixture
def region_outsider(region_amsterdam: Organisation, make_staff: Any) -> Any:
    from vangnet.accounts.models import Role

    return make_staff("otto.outsider", region_amsterdam, Role.COUNSELLOR)


@pytest.fixture(autouse=True)
def _fresh_layer_and_thread_connections() -> Any:
    """A fresh in-memory channel layer per test; close the ORM connections that the chat's
    database threads keep (db.py), so PostgreSQL can drop the test database at the end."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
    db.close_all()
    asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())


def start_chat(
    client: Client, *, acute: bool = False, age_group: str = "", language: str = "nl"
) -> Conversation:
    response = client.post(
        "/chat/",
        {"language": language, "age_group": age_group, "danger_now": "yes" if acute else "no"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Conversation.objects.select_related("contact").latest("id")


def new_cid() -> str:
    return uuid.uuid4().hex


def _cookie(client: Client) -> bytes:
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(
    client: Client | None, path: str, origin: bytes = ORIGIN[1]
) -> ApplicationCommunicator:
    """The real ASGI application (origin check, sessions, auth, routing, consumer).

    ``channels.testing.WebsocketCommunicator`` cannot be imported here: ``channels.testing``
    imports its live-server helper, which needs daphne (not a dependency). This builds the same
    WebSocket scope on asgiref's communicator.
    """
    from vangnet.asgi import application

    headers = [(b"origin", origin), (b"user-agent", b"VisitorPhone/9.9 (Secret)")]
    if client is not None and "sessionid" in client.cookies:
        headers.append((b"cookie", _cookie(client)))
    scope = {
        "type": "websocket",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "subprotocols": [],
        "client": ("203.0.113.77", 50123),
        "server": ("testserver", 80),
    }
    return ApplicationCommunicator(application, scope)


class Closed(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"closed with {code}")
        self.code = code


class Socket:
    """A small protocol client over the communicator (what chat.js does, in Python)."""

    def __init__(self, client: Client | None, path: str, origin: bytes = ORIGIN[1]) -> None:
        self.comm = communicator(client, path, origin)
        self.frames: list[dict[str, Any]] = []

    async def open(self) -> tuple[bool, int | None]:
        await self.comm.send_input({"type": "websocket.connect"})
        response = await self.comm.receive_output(5)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, None

    async def send(self, frame: dict[str, Any]) -> None:
        await self.raw(json.dumps(frame))

    async def raw(self, text: str | None = None, data: bytes | None = None) -> None:
        if text is not None:
            await self.comm.send_input({"type": "websocket.receive", "text": text})
        else:
            await self.comm.send_input({"type": "websocket.receive", "bytes": data})

    async def next(self, timeout: float = 5) -> dict[str, Any]:
        response = await self.comm.receive_output(timeout)
        if response["type"] == "websocket.close":
            raise Closed(response.get("code", 1000))
        frame = json.loads(response["text"])
        self.frames.append(frame)
        return frame

    async def until(
        self, kind: str, match: dict[str, Any] | None = None, timeout: float = 5
    ) -> dict[str, Any]:
        while True:
            frame = await self.next(timeout)
            if frame["type"] == kind and all(frame.get(k) == v for k, v in (match or {}).items()):
                return frame

    async def closed_with(self) -> int:
        """Read until the server closes the socket; the close code."""
        try:
            while True:
                await self.next()
        except Closed as closed:
            return closed.code

    async def hello(
        self, last_seq: int = 0, count: int = 0
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        await self.send({"type": "hello", "last_seq": last_seq, "count": count})
        welcome = await self.until("welcome")
        history = await self.until("history")
        return welcome, history

    async def close(self) -> None:
        await self.comm.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.comm.wait(2)

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.comm.receive_nothing(timeout=timeout)
