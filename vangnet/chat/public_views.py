# SPDX-License-Identifier: EUPL-1.2
"""The visitor's pages. Each works without JavaScript; chat.js turns the page into a live chat.

The visitor's conversation is found through a random key in their session (``access.py``); a
return code shows up only in the body of one response, never in a URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.chat import access, actions, conf, live, queue, strings
from vangnet.chat.forms import LeaveMessageForm, LineForm, ReturnCodeForm, StartForm
from vangnet.chat.messages import refusal
from vangnet.chat.models import Conversation
from vangnet.chat.protocol import Refused, clean_body
from vangnet.chat.workflow import LIVE_STATES, Side, State
from vangnet.intake import receipts
from vangnet.intake.models import Message


def _hold(session: SessionBase, key: str) -> None:
    session.cycle_key()  # a new session id for a new secret (no fixation)
    session[access.SESSION_VISITOR_KEY] = key


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    current = access.conversation_for_visitor(request.session)
    if current is not None and current.state in LIVE_STATES:
        return redirect("chat:talk")
    hours = conf.opening_hours()
    if not hours.is_open():
        return _leave_message(request, hours.next_opening())
    form = StartForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        started = actions.start_chat(
            language=form.cleaned_data["language"],
            age_group=form.cleaned_data["age_group"],
            acute=form.acute,
        )
        _hold(request.session, started.visitor_key)
        return redirect("chat:talk")
    return render(request, "chat/start.html", {"form": form}, status=400 if form.errors else 200)


def _leave_message(request: HttpRequest, opens: Any) -> HttpResponse:
    form = LeaveMessageForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            body = clean_body(form.cleaned_data["body"])
        except Refused as exc:
            form.add_error("body", refusal(exc.code))
        else:
            left = actions.leave_message(
                idempotency_key=form.cleaned_data["idempotency_key"],
                language=form.cleaned_data["language"],
                age_group=form.cleaned_data["age_group"],
                acute=form.acute,
                body=body,
            )
            _hold(request.session, left.visitor_key)
            return render(
                request,
                "chat/message_left.html",
                {"code": left.code, "acute": form.acute},
            )
    return render(
        request,
        "chat/closed.html",
        {"form": form, "opens": opens},
        status=400 if form.errors else 200,
    )


def _talk_context(
    request: HttpRequest, conversation: Conversation, form: LineForm
) -> dict[str, Any]:
    contact = conversation.contact
    lines = list(Message.objects.filter(contact_id=contact.pk).order_by("id"))
    context: dict[str, Any] = {
        "conversation": conversation,
        "contact": contact,
        "lines": lines,
        "form": form,
        "live": conversation.state in LIVE_STATES,
        "queued": conversation.state == State.QUEUED,
        "auto_refresh": request.GET.get("auto") == "1" and conversation.state == State.QUEUED,
        "has_code": hasattr(contact, "receipt"),
        "open_now": conf.opening_hours().is_open(),
        "strings": strings.for_side(Side.VISITOR),
        "max_chars": conf.max_body_chars(),
    }
    if conversation.state == State.QUEUED:
        context["position"] = queue.position(conversation)
        context["wait_minutes"] = queue.wait_minutes(contact.organisation_id)
    return context


@require_http_methods(["GET", "POST"])
def talk(request: HttpRequest) -> HttpResponse:
    conversation = access.conversation_for_visitor(request.session)
    if conversation is None:
        return redirect("chat:start")
    live.mark_present(conversation.pk)
    form = LineForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and request.POST.get("action") == "send":
            try:
                actions.send_message(
                    conversation.pk,
                    side=Side.VISITOR,
                    cid=form.cleaned_data["cid"],
                    body=clean_body(form.cleaned_data["body"]),
                )
            except Refused as exc:
                form.add_error("body", refusal(exc.code))
                status = 400
            else:
                return redirect(reverse("chat:talk") + "#latest")
        elif request.POST.get("action") == "send":
            status = 400
        # "Check for new messages" (or a refused line): show the chat again, draft kept.
        conversation.refresh_from_db()
    return render(
        request, "chat/talk.html", _talk_context(request, conversation, form), status=status
    )


@require_POST
def end(request: HttpRequest) -> HttpResponse:
    conversation = access.conversation_for_visitor(request.session)
    if conversation is not None:
        actions.end_by_visitor(conversation.pk)
    return redirect("chat:talk")


@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    conversation = access.conversation_for_visitor(request.session)
    if conversation is None:
        return redirect("chat:start")
    if conf.opening_hours().is_open():
        actions.resume(conversation.pk)
    return redirect("chat:talk")


@require_POST
def return_code(request: HttpRequest) -> HttpResponse:
    conversation = access.conversation_for_visitor(request.session)
    if conversation is None:
        return redirect("chat:start")
    code = actions.issue_return_code(conversation.pk, replace=request.POST.get("replace") == "1")
    return render(
        request,
        "chat/code.html",
        {"code": code, "conversation": conversation, "issued_at": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def come_back(request: HttpRequest) -> HttpResponse:
    """Continue with a return code: this browser gets the conversation and joins the queue."""
    form = ReturnCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = actions.bind_with_code(form.cleaned_data["code"])
        if result.conversation is not None:
            _hold(request.session, result.visitor_key)
            if conf.opening_hours().is_open():
                actions.resume(result.conversation.pk)
            return redirect("chat:talk")
        status = 429 if result.result == receipts.CheckResult.LOCKED else 400
        form.add_error("code", _code_problem(result))
    return render(request, "chat/come_back.html", {"form": form}, status=status)


def _code_problem(result: actions.CodeResume) -> str:
    from django.utils.translation import gettext as _

    if result.result == receipts.CheckResult.BAD_FORMAT:
        return _("This is not a valid return code. Check for a typo.")
    if result.result == receipts.CheckResult.LOCKED:
        minutes = max(1, result.locked_seconds // 60)
        return _("Too many tries with this code. Try again in %(minutes)d minutes.") % {
            "minutes": minutes
        }
    return _("We do not know this code. Check it and try again.")
