# SPDX-License-Identifier: EUPL-1.2
"""The counsellor console and the supervisor's view. Thin: access from access.py, every change
an action from actions.py. Each works without JavaScript (post, then see the page again)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.access import Perm
from vangnet.accounts.decorators import staff_required
from vangnet.accounts.nav import staff_nav
from vangnet.chat import access, actions, conf, live, queue, standard_texts, strings
from vangnet.chat.forms import LineForm, OutcomeForm, TransferForm, new_cid
from vangnet.chat.messages import refusal
from vangnet.chat.models import Conversation, Handover
from vangnet.chat.protocol import Refused, clean_body
from vangnet.chat.workflow import Side, State
from vangnet.intake.actions import StaleVersion
from vangnet.intake.models import Message

SWEEP_EVERY_SECONDS = 15.0
_last_sweep = 0.0


def _sweep() -> None:
    """End chats whose visitor stayed away past the grace period (at most every 15 s)."""
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep >= SWEEP_EVERY_SECONDS:
        _last_sweep = now
        actions.expire_abandoned()


def _console_context(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    org = user.organisation_id
    mine = queue.assigned_to(user.pk)
    return {
        # The first 100 in line are listed; the heading gives the full count.
        "waiting": queue.waiting(org, limit=100),
        "waiting_count": queue.waiting_count(org),
        "messages_waiting": queue.messages_waiting(org),
        "mine": mine,
        "capacity": user.max_concurrent_chats,
        "full": len(mine) >= user.max_concurrent_chats,
        "ended_mine": Conversation.objects.select_related("contact")
        .filter(counsellor_id=user.pk, state=State.ENDED, contact__outcome="")
        .order_by("-ended_at")[:10],
        "auto_refresh": request.GET.get("auto") == "1",
    }


@staff_required(Perm.HANDLE_CHAT)
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    _sweep()
    context = _console_context(request)
    context["staff_nav"] = staff_nav(request)
    return render(request, "chat/console.html", context)


@staff_required(Perm.HANDLE_CHAT)
@require_GET
def console_fragment(request: HttpRequest) -> HttpResponse:
    _sweep()
    return render(request, "chat/_console_lists.html", _console_context(request))


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        conversation = actions.take_next(user)
    except Refused as exc:
        messages.error(request, refusal(exc.code))
        return redirect("chat:console")
    if conversation is None:
        messages.info(request, _("Nobody is waiting right now."))
        return redirect("chat:console")
    return redirect("chat:conversation", public_id=conversation.public_id)


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def accept(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_to_take(user, public_id)
    try:
        actions.accept(user, conversation.pk)
    except Refused as exc:
        messages.error(request, refusal(exc.code))
        return redirect("chat:console")
    return redirect("chat:conversation", public_id=conversation.public_id)


def _conversation_context(
    request: HttpRequest, conversation: Conversation, **forms: Any
) -> dict[str, Any]:
    user: Any = request.user
    contact = conversation.contact
    context: dict[str, Any] = {
        "conversation": conversation,
        "contact": contact,
        "lines": list(Message.objects.filter(contact_id=contact.pk).order_by("id")),
        "handovers": list(
            Handover.objects.filter(conversation=conversation).select_related(
                "from_user", "to_user"
            )
        ),
        "form": forms.get("form") or LineForm(),
        "transfer_form": forms.get("transfer_form") or TransferForm(colleagues=_colleagues(user)),
        "outcome_form": forms.get("outcome_form")
        or OutcomeForm(initial={"version": contact.version, "kind": "advice"}),
        "standard_texts": standard_texts.choices(contact.language),
        "std_cid": new_cid(),
        "visitor_connected": live.is_connected(conversation.pk),
        "strings": strings.for_side(Side.COUNSELLOR),
        "max_chars": conf.max_body_chars(),
        "staff_nav": staff_nav(request),
        "has_outcome": bool(contact.outcome),
    }
    return context


def _colleagues(user: Any) -> list[tuple[str, str]]:
    """Colleagues who may take chats, with their current load (live chats / maximum)."""
    found = []
    for c in access.chat_staff(user.organisation_id).exclude(pk=user.pk):
        load = f"{queue.active_count(c.pk)}/{c.max_concurrent_chats}"
        found.append((str(c.pk), f"{c.get_full_name() or c.username} ({load})"))
    return found


@staff_required(Perm.HANDLE_CHAT)
@require_http_methods(["GET", "POST"])
def conversation_page(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_for_counsellor(user, public_id)
    actions.read(user, conversation)
    form = LineForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send":
        if form.is_valid():
            try:
                actions.send_message(
                    conversation.pk,
                    side=Side.COUNSELLOR,
                    user=user,
                    cid=form.cleaned_data["cid"],
                    body=clean_body(form.cleaned_data["body"]),
                )
            except Refused as exc:
                form.add_error("body", refusal(exc.code))
                status = 400
            else:
                return redirect(
                    reverse("chat:conversation", args=[conversation.public_id]) + "#latest"
                )
        else:
            status = 400
        conversation.refresh_from_db()
    return render(
        request,
        "chat/conversation.html",
        _conversation_context(request, conversation, form=form),
        status=status,
    )


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def send_standard_text(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_for_counsellor(user, public_id)
    text = standard_texts.render(request.POST.get("key", ""), conversation.contact.language)
    cid = request.POST.get("cid", "")
    if text is None:
        raise Http404
    try:
        actions.send_message(conversation.pk, side=Side.COUNSELLOR, user=user, cid=cid, body=text)
    except Refused as exc:
        messages.error(request, refusal(exc.code))
    return redirect(reverse("chat:conversation", args=[conversation.public_id]) + "#latest")


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def transfer(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_for_counsellor(user, public_id)
    form = TransferForm(request.POST, colleagues=_colleagues(user))
    if not form.is_valid():
        return render(
            request,
            "chat/conversation.html",
            _conversation_context(request, conversation, transfer_form=form),
            status=400,
        )
    try:
        if form.cleaned_data["to"] == "queue":
            actions.requeue(user, conversation.pk, form.cleaned_data["note"])
        else:
            colleague = access.colleague_for_transfer(user, form.cleaned_data["to"])
            actions.transfer(user, conversation.pk, colleague, form.cleaned_data["note"])
    except Refused as exc:
        messages.error(request, refusal(exc.code))
        return redirect("chat:conversation", public_id=conversation.public_id)
    messages.success(request, _("The chat has been handed over."))
    return redirect("chat:console")


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def end(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_for_counsellor(user, public_id)
    try:
        actions.end_by_counsellor(user, conversation.pk)
    except Refused as exc:
        messages.error(request, refusal(exc.code))
    return redirect("chat:conversation", public_id=conversation.public_id)


@staff_required(Perm.HANDLE_CHAT)
@require_POST
def outcome(request: HttpRequest, public_id: Any) -> HttpResponse:
    user: Any = request.user
    conversation = access.conversation_for_counsellor(user, public_id)
    form = OutcomeForm(request.POST)
    if form.is_valid() and not conversation.contact.outcome:
        try:
            actions.record_outcome(
                user,
                conversation,
                kind=form.cleaned_data["kind"],
                version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
            )
        except StaleVersion:
            form.add_error(
                None,
                _("Someone else changed this contact in the meantime. Check it and try again."),
            )
        else:
            messages.success(request, _("Registered. The transcript is kept with it."))
            return redirect("chat:conversation", public_id=conversation.public_id)
    elif conversation.contact.outcome:
        form.add_error(None, _("This chat has already been registered."))
    return render(
        request,
        "chat/conversation.html",
        _conversation_context(request, conversation, outcome_form=form),
        status=400,
    )


@staff_required(Perm.SUPERVISE_CHAT)
@require_GET
def supervise(request: HttpRequest) -> HttpResponse:
    _sweep()
    user: Any = request.user
    return render(
        request,
        "chat/supervise.html",
        {
            "figures": queue.figures(user.organisation_id),
            "staff_nav": staff_nav(request),
            "auto_refresh": request.GET.get("auto") == "1",
        },
    )


@staff_required(Perm.SUPERVISE_CHAT)
@require_GET
def supervise_fragment(request: HttpRequest) -> HttpResponse:
    _sweep()
    user: Any = request.user
    return render(request, "chat/_figures.html", {"figures": queue.figures(user.organisation_id)})
