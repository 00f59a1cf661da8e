# SPDX-License-Identifier: EUPL-1.2
"""Public intake (report/advice form, return with a code) and the staff inbox. Thin views:
the work happens in ``actions`` and ``receipts``; who may see what in ``access``."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts import municipalities
from vangnet.accounts.access import Perm
from vangnet.accounts.decorators import staff_required
from vangnet.accounts.nav import staff_nav
from vangnet.audit.log import Actor, record
from vangnet.intake import access, actions, receipts
from vangnet.intake.forms import (
    ContactForm,
    MessageForm,
    OutcomeForm,
    ReturnCodeForm,
    StaffReplyForm,
    new_idempotency_key,
)
from vangnet.intake.models import (
    Channel,
    Contact,
    ContactStatus,
    Message,
    MessageDirection,
    ReporterType,
    RequestKind,
)
from vangnet.lib import throttle

SESSION_RETURN = "vg_return_contact"
SESSION_RETURN_AT = "vg_return_at"
RETURN_IDLE_SECONDS = 20 * 60


def _submit_limit() -> throttle.Limit:
    return throttle.Limit("public-submit", settings.VANGNET_PUBLIC_RATE_PER_MINUTE, 60)


# --- public: report or ask advice --------------------------------------------------------------


# The empty form's fields differ only by language, preselected kind and the municipality list;
# rendering its choice widgets costs milliseconds, so the fragment is rendered once per process
# and variant. The CSRF token and the idempotency key are outside the fragment.
_EMPTY_FIELDS: dict[tuple[str, str, int], str] = {}


def _render_form(request: HttpRequest, form: ContactForm, status: int = 400) -> HttpResponse:
    """The form again, with its errors and everything the visitor typed."""
    fields_html = render_to_string("intake/_contact_fields.html", {"form": form}, request)
    return render(
        request,
        "intake/new.html",
        {
            "form": form,
            "fields_html": mark_safe(fields_html),
            "idempotency_field": form["idempotency_key"],
        },
        status=status,
    )


def _render_empty_form(request: HttpRequest, kind: str) -> HttpResponse:
    """A fresh form: the cached fields fragment plus a new idempotency key. No form object is
    built for the page view (the fragment already holds every field)."""
    key = (get_language(), kind, municipalities.version())
    if key not in _EMPTY_FIELDS:
        initial: dict[str, Any] = {"requested_kind": kind} if kind else {}
        _EMPTY_FIELDS[key] = render_to_string(
            "intake/_contact_fields.html", {"form": ContactForm(initial=initial)}, request
        )
    hidden = forms.HiddenInput().render(
        "idempotency_key", new_idempotency_key(), attrs={"id": "id_idempotency_key"}
    )
    return render(
        request,
        "intake/new.html",
        {"form": None, "fields_html": mark_safe(_EMPTY_FIELDS[key]), "idempotency_field": hidden},
    )


@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kind = request.GET.get("kind", "")
        return _render_empty_form(request, kind if kind in RequestKind.values else "")

    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form)
    if form.cleaned_data.get("website"):
        form.add_error("website", _("Leave this field empty."))
        return _render_form(request, form)
    limit = _submit_limit()
    if throttle.hit(limit, getattr(request, "client_key", "")) > limit.max_hits:
        form.add_error(
            None,
            _(
                "Many messages were sent from here just now. Wait a minute and send again; "
                "your text is still here."
            ),
        )
        return _render_form(request, form, status=429)

    data = form.cleaned_data
    professional = data["reporter_type"] == ReporterType.PROFESSIONAL
    reporter_details = {
        key: data[key]
        for key in ("contact_name", "contact_phone", "contact_email",
                    "professional_organisation", "professional_role", "feedback_channel")
        if data.get(key)
    }  # fmt: skip
    submitted = actions.submit_contact(
        idempotency_key=data["idempotency_key"],
        fields={
            "channel": Channel.PROFESSIONAL_FORM if professional else Channel.WEB_FORM,
            "requested_kind": data["requested_kind"],
            "reporter_type": data["reporter_type"],
            "language": request.LANGUAGE_CODE,
            "age_group": data.get("age_group") or "",
            "anonymous": data["anonymous"] == "yes" and not professional,
            "acute": data["danger_now"] == "yes",
            "violence_kinds": list(data["violence_kinds"]),
            "violence_duration": data["violence_duration"],
            "children_in_household": data.get("children_in_household"),
            "municipality": data.get("municipality"),
        },
        narrative=data["narrative"],
        persons=form.persons(),
        reporter_details=reporter_details,
    )
    contact = submitted.contact
    return render(
        request,
        "intake/received.html",
        {
            "code": submitted.code,
            "duplicate": submitted.duplicate,
            "acute": contact.acute,
            "professional": professional,
            "organisation": contact.organisation,
        },
    )


# --- public: come back with the code ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def return_start(request: HttpRequest) -> HttpResponse:
    form = ReturnCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = receipts.check(form.cleaned_data["code"])
            if result.result == receipts.CheckResult.OK and result.contact is not None:
                request.session.cycle_key()
                request.session[SESSION_RETURN] = result.contact.pk
                request.session[SESSION_RETURN_AT] = time.time()
                record(
                    actor=Actor.public(),
                    action="return_code_used",
                    activity=actions.ACTIVITY_CONVERSATION,
                    obj=result.contact,
                    organisation_id=result.contact.organisation_id,
                )
                return redirect("intake:return_thread")
            if result.result == receipts.CheckResult.LOCKED:
                minutes = max(1, result.locked_seconds // 60)
                form.add_error(
                    None,
                    _(
                        "This code was tried too often. For your safety it is locked for "
                        "%(minutes)d minutes. Try again later."
                    )
                    % {"minutes": minutes},
                )
                status = 429
            else:
                form.add_error(
                    None,
                    _(
                        "We do not recognise this code. Check it and try again. "
                        "After a few wrong tries the code is locked for a while."
                    ),
                )
    return render(request, "intake/return_start.html", {"form": form}, status=status)


def _returning_contact(request: HttpRequest) -> Contact | None:
    contact_id = request.session.get(SESSION_RETURN)
    at = request.session.get(SESSION_RETURN_AT)
    if contact_id is None or at is None or time.time() - float(at) > RETURN_IDLE_SECONDS:
        request.session.pop(SESSION_RETURN, None)
        return None
    request.session[SESSION_RETURN_AT] = time.time()
    return Contact.objects.select_related("organisation").filter(pk=contact_id).first()


@require_http_methods(["GET", "POST"])
def return_thread(request: HttpRequest) -> HttpResponse:
    contact = _returning_contact(request)
    if contact is None:
        return redirect("intake:return")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.post_message(
            contact, direction=MessageDirection.FROM_REPORTER, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Your message has been sent."))
        return redirect("intake:return_thread")
    thread = list(contact.messages.order_by("id"))
    Message.objects.filter(
        contact=contact, direction=MessageDirection.FROM_STAFF, read_at=None
    ).update(read_at=timezone.now())
    return render(
        request,
        "intake/return_thread.html",
        {"contact": contact, "thread": thread, "form": form, "status_text": status_text(contact)},
        status=400 if form.errors else 200,
    )


@require_POST
def return_leave(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("public:start")


def status_text(contact: Contact) -> str:
    """The status in plain words for the reporter."""
    if contact.status == ContactStatus.HANDED_OVER and contact.handed_over_to:
        return _("Handed over to %(party)s.") % {"party": contact.handed_over_to}
    return {
        ContactStatus.NEW: _("Received. A professional will look at it soon."),
        ContactStatus.IN_PROGRESS: _("A professional is looking at it."),
        ContactStatus.HANDED_OVER: _("Handed over to another organisation."),
        ContactStatus.CLOSED: _("Closed. You can still send a message."),
    }.get(ContactStatus(contact.status), "")


# --- staff: inbox and contact -------------------------------------------------------------------


@staff_required(Perm.VIEW_INBOX)
def inbox(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("status") == "closed"
    statuses = (
        [ContactStatus.CLOSED, ContactStatus.HANDED_OVER]
        if show_closed
        else [ContactStatus.NEW, ContactStatus.IN_PROGRESS]
    )
    contacts = (
        access.contacts_for(request.user)
        .filter(status__in=statuses)
        .select_related("municipality")
        .order_by("-acute", "received_at")[:200]
    )
    now = timezone.now()
    return render(
        request,
        "intake/inbox.html",
        {
            "contacts": contacts,
            "now": now,
            "show_closed": show_closed,
            "staff_nav": staff_nav(request),
        },
    )


def _after_report_url(report_id: int, contact: Contact) -> str:
    try:
        return reverse("cases:open_from_report", kwargs={"report_id": report_id})
    except NoReverseMatch:
        return reverse("intake:contact", kwargs={"public_id": contact.public_id})


@staff_required(Perm.VIEW_INBOX)
@require_http_methods(["GET", "POST"])
def contact_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    contact = access.contact_for_staff(request.user, public_id)
    reply_form = StaffReplyForm(prefix="reply")
    outcome_form = OutcomeForm(prefix="outcome", initial={"version": contact.version})
    if request.method == "POST":
        if "reply-body" in request.POST:
            reply_form = StaffReplyForm(request.POST, prefix="reply")
            if reply_form.is_valid():
                actions.staff_reply(request.user, contact, reply_form.cleaned_data["body"])
                messages.success(request, _("Your reply has been sent to the reporter."))
                return redirect("intake:contact", public_id=contact.public_id)
        elif "outcome-outcome" in request.POST:
            access.contact_for_staff(request.user, public_id, Perm.HANDLE_CONTACT)
            outcome_form = OutcomeForm(request.POST, prefix="outcome")
            if outcome_form.is_valid():
                data = outcome_form.cleaned_data
                try:
                    if data["outcome"] == "report":
                        report = actions.record_report(
                            request.user, contact, version=data["version"], summary=data["summary"]
                        )
                        messages.success(request, _("Registered as a report."))
                        return redirect(_after_report_url(report.pk, contact))
                    actions.record_advice(
                        request.user, contact, version=data["version"], summary=data["summary"]
                    )
                    messages.success(request, _("Registered as advice."))
                    return redirect("intake:contact", public_id=contact.public_id)
                except actions.StaleVersion:
                    outcome_form.add_error(
                        None,
                        _(
                            "A colleague changed this contact while you were working on it. "
                            "The page now shows the latest state; nothing was overwritten."
                        ),
                    )
                    contact.refresh_from_db()
        else:
            raise Http404
    actions.open_contact(request.user, contact)
    contact.messages.filter(direction=MessageDirection.FROM_REPORTER, read_at=None).update(
        read_at=timezone.now()
    )
    return render(
        request,
        "intake/contact.html",
        {
            "contact": contact,
            "thread": list(contact.messages.select_related("author").order_by("id")),
            "reply_form": reply_form,
            "outcome_form": outcome_form,
            "staff_nav": staff_nav(request),
        },
        status=400 if (reply_form.errors or outcome_form.errors) else 200,
    )
