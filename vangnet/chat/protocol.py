# SPDX-License-Identifier: EUPL-1.2
"""The chat's WebSocket protocol (version 1): parsing what clients send, shaping what they get.

Client → server (JSON text frames; anything else is refused with an ``error`` frame):

* ``{"type": "hello", "last_seq": N, "count": C}`` — first frame after (re)connecting: the
  highest message id the client holds and how many messages it holds. The server answers with
  ``welcome`` and the messages the client is missing (all of them if the count shows a gap).
* ``{"type": "send", "cid": "<client id>", "body": "..."}`` — a new line. ``cid`` is chosen by
  the client (8–60 of ``A-Za-z0-9_-``) and is the idempotency key: a resend after a reconnect is
  stored once and acknowledged with the same ``seq``.
* ``{"type": "sync", "last_seq": N, "count": C}`` — the client saw a gap (a ``msg`` whose
  ``prev`` it does not hold) and asks for what it is missing.
* ``{"type": "typing"}``, ``{"type": "ping"}``.

Server → client: ``welcome``, ``msg`` (``seq``, ``prev``, ``from``, ``body``, ``at``, and ``cid``
only on the sender's own side), ``history`` (a list of ``msg``), ``ack`` (``cid``, ``seq``) —
sent only after the line is committed —, ``error`` (``code``, ``cid``, ``retry_after``),
``state``, ``typing``, ``queue``, ``pong`` (``last_seq``: the newest line of the thread, so a
client that missed one asks ``sync``). See docs/adr/0020-chat.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vangnet.chat import conf
from vangnet.intake.models import MessageDirection

PROTOCOL_VERSION = 1
MAX_FRAME_CHARS = 32 * 1024
CID = re.compile(r"^[A-Za-z0-9_-]{8,60}$")
FRAME_TYPES = frozenset({"hello", "sync", "send", "typing", "ping"})
# Bidirectional overrides and isolates can make a line read differently from what it says.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\n\t")

SIDE_OF_DIRECTION = {
    MessageDirection.FROM_REPORTER: "visitor",
    MessageDirection.FROM_STAFF: "counsellor",
    MessageDirection.SYSTEM: "system",
}


class Refused(Exception):
    """A frame or a line that is refused; ``code`` goes to the client, nothing else does."""

    def __init__(self, code: str, *, cid: str = "", retry_after: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.cid = cid
        self.retry_after = retry_after


@dataclass(frozen=True)
class Frame:
    type: str
    cid: str = ""
    body: str = ""
    last_seq: int = 0
    count: int = 0


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise Refused("bad_frame")
    return value


def clean_body(raw: Any) -> str:
    """The text of a line as it will be stored, or :class:`Refused` with the reason.

    Line breaks are normalised to ``\\n``; surrounding white space is dropped. Refused: not a
    string, empty, longer than the limit, control characters other than newline and tab,
    bidirectional overrides, and unpaired surrogates (which JSON can carry but UTF-8 cannot).
    """
    if not isinstance(raw, str):
        raise Refused("bad_frame")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Refused("empty")
    if len(text) > conf.max_body_chars():
        raise Refused("too_long")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("invalid_characters") from None
    for char in text:
        if char in ALLOWED_CONTROLS:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            raise Refused("invalid_characters")
    return text


def clean_cid(raw: Any) -> str:
    if not isinstance(raw, str) or not CID.match(raw):
        raise Refused("bad_cid")
    return raw


def parse(text_data: str | None, bytes_data: bytes | None) -> Frame:
    """Read one client frame. Binary frames, bad JSON and unknown types are refused."""
    if text_data is None or bytes_data:
        raise Refused("bad_frame")
    if len(text_data) > MAX_FRAME_CHARS:
        raise Refused("too_long")
    try:
        data = json.loads(text_data)
    except (ValueError, RecursionError):
        raise Refused("bad_frame") from None
    if not isinstance(data, dict) or data.get("type") not in FRAME_TYPES:
        raise Refused("bad_frame")
    kind = data["type"]
    if kind == "send":
        cid = clean_cid(data.get("cid"))
        try:
            body = clean_body(data.get("body"))
        except Refused as exc:
            raise Refused(exc.code, cid=cid) from None
        return Frame(kind, cid=cid, body=body)
    if kind in {"hello", "sync"}:
        return Frame(
            kind,
            last_seq=_whole(data.get("last_seq", 0)),
            count=_whole(data.get("count", 0)),
        )
    return Frame(kind)


@dataclass(frozen=True)
class Line:
    """One committed line of the thread, as the protocol sends it."""

    seq: int
    prev: int
    side: str
    body: str
    at: datetime
    cid: str = ""
    created: bool = True

    def event(self) -> dict[str, Any]:
        """The channel-layer event (all sides); consumers strip ``cid`` for the other side."""
        return {
            "type": "chat.msg",
            "seq": self.seq,
            "prev": self.prev,
            "side": self.side,
            "body": self.body,
            "at": self.at.isoformat(),
            "cid": self.cid,
        }


def msg_frame(event: dict[str, Any], own_side: str) -> dict[str, Any]:
    frame = {
        "type": "msg",
        "seq": event["seq"],
        "prev": event["prev"],
        "from": event["side"],
        "body": event["body"],
        "at": event["at"],
    }
    if event.get("cid") and event["side"] == own_side:
        frame["cid"] = event["cid"]
    return frame
