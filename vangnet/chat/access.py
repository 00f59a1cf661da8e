# SPDX-License-Identifier: EUPL-1.2
"""Who may see and do what in the chat. The only place that decides it.

* A visitor holds one conversation through a random key in their (server-side) session.
* A counsellor (``Perm.HANDLE_CHAT``) sees the queue of their own organisation without content
  and reads a conversation only while it is assigned to them. A counsellor of another
  organisation, a colleague it is not assigned to, and a conversation that does not exist all get
  the same 404 (and the same WebSocket close code).
* A supervisor (``Perm.SUPERVISE_CHAT``) sees queue figures and load, never content.

WebSocket connections are checked here too: a staff socket needs what a staff page needs (logged
in with two factors, within the absolute session lifetime).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from vangnet.accounts.access import ROLE_PERMISSIONS, Perm, has_perm, require
from vangnet.accounts.auth import SESSION_LOGIN_AT
from vangnet.accounts.models import User
from vangnet.chat.models import Conversation
from vangnet.chat.workflow import State

SESSION_VISITOR_KEY = "vg_chat_key"


def visitor_key_digest(key: str) -> str:
    return hmac.new(
        settings.VANGNET_PEPPER, f"chat-visitor|{key}".encode(), hashlib.sha256
    ).hexdigest()


def conversation_for_visitor(session: Any) -> Conversation | None:
    """The conversation whose key this browser session holds, if any."""
    key = session.get(SESSION_VISITOR_KEY)
    if not isinstance(key, str) or not key:
        return None
    return (
        Conversation.objects.select_related("contact")
        .filter(visitor_key_digest=visitor_key_digest(key))
        .first()
    )


def conversation_for_visitor_socket(session: Any) -> Conversation | None:
    """The same look-up for the visitor's WebSocket, loading only what the socket keeps (a
    thousand sockets come back at once after a crashed worker; the contact's columns, some of
    them encrypted, are not needed there)."""
    key = session.get(SESSION_VISITOR_KEY)
    if not isinstance(key, str) or not key:
        return None
    return (
        Conversation.objects.filter(visitor_key_digest=visitor_key_digest(key))
        .only("id", "public_id", "contact_id", "state", "visitor_key_digest")
        .first()
    )


def staff_user_from_scope(scope: dict[str, Any]) -> User | None:
    """The staff member of a WebSocket scope, with the checks a staff page makes; else None.

    Runs on a database thread. The user is loaded here from the session (Django's own
    ``auth.get_user``, session hash check included) rather than by Channels'
    ``AuthMiddlewareStack``, which loaded every socket's session and user on the process's one
    thread-sensitive thread, before the consumer's own database hop: after a crashed worker,
    a thousand sockets queued there one by one."""
    session = scope.get("session")
    if session is None:
        return None
    user = auth.get_user(_SessionOnly(session))  # type: ignore[arg-type]
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    login_at = session.get(SESSION_LOGIN_AT)
    if login_at is None or time.time() - float(login_at) > settings.SESSION_MAX_SECONDS:
        return None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return user


class _SessionOnly:
    """What ``django.contrib.auth.get_user`` reads of a request: its session."""

    def __init__(self, session: Any) -> None:
        self.session = session


def may_handle_chats(user: Any) -> bool:
    return has_perm(user, Perm.HANDLE_CHAT)


def may_supervise(user: Any) -> bool:
    return has_perm(user, Perm.SUPERVISE_CHAT)


def organisation_conversations(user: Any) -> QuerySet[Conversation]:
    """Conversations of the user's organisation: for queue lists and figures (no content)."""
    if not (may_handle_chats(user) or may_supervise(user)):
        raise PermissionDenied
    return Conversation.objects.filter(contact__organisation_id=user.organisation_id)


def conversation_for_counsellor(user: Any, public_id: Any) -> Conversation:
    """A conversation assigned to this counsellor (content may be read). Otherwise 404."""
    require(user, Perm.HANDLE_CHAT)
    conversation = (
        Conversation.objects.select_related("contact", "counsellor")
        .filter(
            public_id=public_id,
            contact__organisation_id=user.organisation_id,
            counsellor_id=user.pk,
        )
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def conversation_to_take(user: Any, public_id: Any) -> Conversation:
    """A waiting conversation of the user's organisation that they may accept or answer."""
    require(user, Perm.HANDLE_CHAT)
    conversation = (
        Conversation.objects.select_related("contact")
        .filter(
            public_id=public_id,
            contact__organisation_id=user.organisation_id,
            state__in=[State.QUEUED, State.MESSAGE_WAITING],
        )
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def _chat_roles() -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_CHAT in perms]


def chat_staff(organisation_id: int) -> QuerySet[User]:
    """Everyone in the organisation who may take chats (for transfers and supervisor figures)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=_chat_roles()
    ).order_by("first_name", "last_name", "username")


def colleague_for_transfer(user: Any, colleague_id: Any) -> User:
    """A colleague in the same organisation who may take chats; 404 for anyone else."""
    require(user, Perm.HANDLE_CHAT)
    try:
        pk = int(colleague_id)
    except (TypeError, ValueError):
        raise Http404 from None
    colleague = chat_staff(user.organisation_id).exclude(pk=user.pk).filter(pk=pk).first()
    if colleague is None:
        raise Http404
    return colleague
