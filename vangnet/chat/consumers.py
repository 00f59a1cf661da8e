# SPDX-License-Identifier: EUPL-1.2
"""WebSocket consumers: the visitor's chat, the counsellor's chat, and the console's nudges.

One socket per conversation per side. Every frame is handled in order (Channels dispatches a
consumer's messages one at a time), so a client's lines keep their order. A bad frame gets an
``error`` frame and the socket stays open; only a client that keeps sending garbage is closed,
and even then the conversation is untouched — the client reconnects and says ``hello``.

Nothing here reads or logs ``scope["client"]`` or the User-Agent; ``privacy.strip_scope`` removes
them before the consumer runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from vangnet.chat import access, actions, db, live, privacy, protocol, queue
from vangnet.chat.models import Conversation
from vangnet.chat.protocol import Frame, Line, Refused
from vangnet.chat.workflow import Side, State

logger = logging.getLogger(__name__)

CLOSE_NOT_FOUND = 4404  # missing and forbidden look the same
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_TOO_MANY_BAD_FRAMES = 4400
MAX_BAD_FRAMES = 20
TYPING_EVERY_SECONDS = 2.0
QUEUE_UPDATE_SECONDS = 15.0


class _Consumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes the thread's database connection before every message; with
        # CONN_MAX_AGE=0 that is a new connection per chat line. db.run keeps one (see db.py).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        privacy.strip_scope(self.scope)
        await super().websocket_connect(message)

    async def send_json(self, data: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(data, separators=(",", ":"), ensure_ascii=False))

    async def join(self, *groups: str) -> None:
        self.joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.disconnect(message.get("code", 1000))
        raise StopConsumer


class _ChatConsumer(_Consumer):
    """What both sides of a conversation share: hello/sync, send with ack, typing, ping."""

    side: Side
    conversation_id: int
    contact_id: int
    public_id: str

    async def setup(self) -> int | None:
        """Find the conversation; return a close code to refuse the socket."""
        raise NotImplementedError

    async def connect(self) -> None:
        self.bad_frames = 0
        self.last_typing = 0.0
        refused = await self.setup()
        if refused is not None:
            await self.close(code=refused)
            return
        await self.join(live.conversation_group(self.conversation_id))
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = protocol.parse(text_data, bytes_data)
        except Refused as exc:
            await self.refuse(exc)
            return
        try:
            await self.on_frame(frame)
        except Refused as exc:
            await self.refuse(exc, counts=False)
        except Exception:
            # No frame content, no client details: the type is enough to find the bug.
            logger.exception("chat: %s frame failed", frame.type)
            await self.send_json({"type": "error", "code": "server_error", "cid": frame.cid})

    async def refuse(self, exc: Refused, *, counts: bool = True) -> None:
        frame: dict[str, Any] = {"type": "error", "code": exc.code}
        if exc.cid:
            frame["cid"] = exc.cid
        if exc.retry_after:
            frame["retry_after"] = exc.retry_after
        await self.send_json(frame)
        if counts:
            self.bad_frames += 1
            if self.bad_frames > MAX_BAD_FRAMES:
                await self.close(code=CLOSE_TOO_MANY_BAD_FRAMES)

    async def on_frame(self, frame: Frame) -> None:
        if frame.type == "ping":
            # The newest seq of the thread: a client holding less asks "sync". This repairs a
            # line whose channel-layer event was dropped when no later line shows the gap.
            latest = await db.run(self.on_ping_sync)
            await self.send_json({"type": "pong", "last_seq": latest})
        elif frame.type in {"hello", "sync"}:
            await self.catch_up(frame)
        elif frame.type == "send":
            await self.on_send(frame)
        elif frame.type == "typing":
            now = time.monotonic()
            if now - self.last_typing >= TYPING_EVERY_SECONDS:
                self.last_typing = now
                await self.channel_layer.group_send(
                    live.conversation_group(self.conversation_id),
                    {"type": "chat.typing", "side": str(self.side)},
                )

    def on_ping_sync(self) -> int:
        """A ping, on a database thread (one hop for everything a ping does): the newest seq."""
        return actions.latest_seq(self.contact_id)

    def _status(self) -> dict[str, Any]:
        """What ``welcome`` tells the client about the conversation (on a database thread)."""
        raise NotImplementedError

    def welcome(self, info: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "welcome",
            "protocol": protocol.PROTOCOL_VERSION,
            "side": str(self.side),
            **info,
        }

    def _hello(self, last_seq: int, count: int) -> tuple[dict[str, Any], tuple[list[Line], bool]]:
        """Status and missed lines in one database hop: after a crashed worker, a thousand
        sockets say hello at once."""
        return self._status(), actions.history(self.contact_id, last_seq=last_seq, count=count)

    async def catch_up(self, frame: Frame) -> None:
        if frame.type == "hello":
            info, (lines, complete) = await db.run(self._hello, frame.last_seq, frame.count)
            await self.send_json(self.welcome(info))
        else:
            lines, complete = await db.run(
                actions.history, self.contact_id, last_seq=frame.last_seq, count=frame.count
            )
        await self.send_json(
            {
                "type": "history",
                "complete": complete,
                "msgs": [protocol.msg_frame(line.event(), self.side) for line in lines],
            }
        )

    async def on_send(self, frame: Frame) -> None:
        line: Line = await db.run(
            actions.send_message,
            self.conversation_id,
            side=self.side,
            cid=frame.cid,
            body=frame.body,
            user=getattr(self, "user", None),
            announce=False,
        )
        # Tell the others first, then acknowledge: an ack means the line is stored *and* was
        # handed to the channel layer. A resend after a crash between the two is sent again.
        event = line.event()
        event["origin"] = self.channel_name  # this socket gets the ack instead of an echo
        await self.channel_layer.group_send(live.conversation_group(self.conversation_id), event)
        await self.send_json({"type": "ack", "cid": frame.cid, "seq": line.seq})

    # Channel-layer events ------------------------------------------------------------------

    async def chat_msg(self, event: dict[str, Any]) -> None:
        if event.get("origin") != self.channel_name:
            await self.send_json(protocol.msg_frame(event, self.side))

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["side"] != self.side:
            await self.send_json({"type": "typing", "from": event["side"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "state", "state": event["state"], "event": event["event"]})


class VisitorConsumer(_ChatConsumer):
    side = Side.VISITOR

    async def setup(self) -> int | None:
        conversation = await db.run(self._find)
        if conversation is None:
            return CLOSE_NOT_FOUND
        self.conversation_id = conversation.pk
        self.contact_id = conversation.contact_id
        self.public_id = str(conversation.public_id)
        self.state = conversation.state
        self.key_digest = conversation.visitor_key_digest
        self.seen_at = time.monotonic()
        self.queue_task: asyncio.Task[None] | None = None
        return None

    def _find(self) -> Conversation | None:
        conversation = access.conversation_for_visitor_socket(self.scope["session"])
        if conversation is not None:
            live.mark_present(conversation.pk)
        return conversation

    def on_ping_sync(self) -> int:
        now = time.monotonic()
        if now - self.seen_at >= live.PRESENCE_REFRESH_SECONDS:
            self.seen_at = now
            live.mark_present(self.conversation_id)
        return super().on_ping_sync()

    def welcome(self, info: dict[str, Any]) -> dict[str, Any]:
        self.state = info["state"]
        self._watch_queue()
        return super().welcome(info)

    def _status(self) -> dict[str, Any]:
        conversation = (
            Conversation.objects.select_related("contact")
            .only("id", "state", "priority", "queued_at", "contact_id", "contact__organisation_id")
            .get(pk=self.conversation_id)
        )
        info: dict[str, Any] = {"state": conversation.state}
        if conversation.state == State.QUEUED:
            info["position"] = queue.position(conversation)
            info["wait_minutes"] = queue.wait_minutes(conversation.contact.organisation_id)
        return info

    def _watch_queue(self) -> None:
        if self.state == State.QUEUED and self.queue_task is None:
            self.queue_task = asyncio.ensure_future(self._queue_updates())

    async def _queue_updates(self) -> None:
        try:
            while self.state == State.QUEUED:
                await asyncio.sleep(QUEUE_UPDATE_SECONDS)
                info = await db.run(self._status)
                if info["state"] == State.QUEUED:
                    await self.send_json({"type": "queue", **info})
        except asyncio.CancelledError:
            pass
        finally:
            self.queue_task = None

    async def chat_state(self, event: dict[str, Any]) -> None:
        self.state = event["state"]
        await super().chat_state(event)
        self._watch_queue()

    async def chat_rekey(self, event: dict[str, Any]) -> None:
        if event["digest"] != self.key_digest:
            # The return code was used in another browser: this one no longer holds the chat.
            await self.close(code=CLOSE_NOT_FOUND)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "queue_task", None) is not None:
            self.queue_task.cancel()  # type: ignore[union-attr]
        if hasattr(self, "conversation_id"):
            await db.run(live.mark_present, self.conversation_id)  # the grace period starts now


class CounsellorConsumer(_ChatConsumer):
    side = Side.COUNSELLOR

    async def setup(self) -> int | None:
        found = await db.run(self._find)
        if isinstance(found, int):
            return found
        self.user, conversation = found
        self.conversation_id = conversation.pk
        self.contact_id = conversation.contact_id
        self.public_id = str(conversation.public_id)
        return None

    def _find(self) -> tuple[Any, Conversation] | int:
        user = access.staff_user_from_scope(self.scope)
        if user is None or user.organisation_id is None:
            return CLOSE_NOT_LOGGED_IN
        conversation = (
            Conversation.objects.select_related("contact")
            .filter(
                public_id=self.scope["url_route"]["kwargs"]["public_id"],
                contact__organisation_id=user.organisation_id,
                counsellor_id=user.pk,
            )
            .only("id", "public_id", "contact_id", "contact__organisation_id")
            .first()
        )
        if conversation is None or not access.may_handle_chats(user):
            return CLOSE_NOT_FOUND
        actions.read_live(user, conversation)
        return user, conversation

    def _status(self) -> dict[str, Any]:
        state = Conversation.objects.values_list("state", flat=True).get(pk=self.conversation_id)
        return {
            "state": state,
            "visitor_connected": live.is_connected(self.conversation_id),
        }

    async def chat_state(self, event: dict[str, Any]) -> None:
        await super().chat_state(event)
        if event.get("counsellor_id") != self.user.pk:
            # Transferred or put back in the queue: this counsellor no longer reads the chat.
            await self.close(code=CLOSE_NOT_FOUND)


class ConsoleConsumer(_Consumer):
    """Staff console and supervisor view: content-free nudges to fetch the queue again."""

    async def connect(self) -> None:
        user = await db.run(access.staff_user_from_scope, self.scope)
        if user is None or user.organisation_id is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        if not (access.may_handle_chats(user) or access.may_supervise(user)):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.user = user
        self.last_nudge = 0.0
        self.pending: asyncio.TimerHandle | None = None
        await self.join(live.organisation_group(user.organisation_id), live.user_group(user.pk))
        await self.accept()
        await db.run(live.mark_console_open, user.pk)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # The only thing a console says is "still here" (ping).
        await db.run(live.mark_console_open, self.user.pk)
        await self.send_json({"type": "pong"})

    async def chat_queue(self, event: dict[str, Any]) -> None:
        # Coalesce bursts: at most one nudge a second per console.
        now = time.monotonic()
        if now - self.last_nudge >= 1.0:
            self.last_nudge = now
            await self.send_json({"type": "queue"})
        elif self.pending is None:
            loop = asyncio.get_running_loop()
            self.pending = loop.call_later(1.0, lambda: asyncio.ensure_future(self._late_nudge()))

    async def _late_nudge(self) -> None:
        self.pending = None
        self.last_nudge = time.monotonic()
        await self.send_json({"type": "queue"})

    async def chat_assigned(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "assigned", "conversation": event["conversation"]})

    async def disconnect(self, code: int) -> None:
        if getattr(self, "pending", None) is not None:
            self.pending.cancel()  # type: ignore[union-attr]
