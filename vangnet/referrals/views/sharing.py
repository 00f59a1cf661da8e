# SPDX-License-Identifier: EUPL-1.2
"""Staff pages for consent, legal grounds, referrals and police forwardings. Thin: the forms
collect, ``access`` decides who may see what, ``actions`` change things (through the gate)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.decorators import fresh_second_factor_required, staff_required
from vangnet.accounts.nav import staff_nav
from vangnet.audit.log import record_read
from vangnet.referrals import access, consent_rules, gate, legal_grounds, workflow
from vangnet.referrals.actions import consent as consent_actions
from vangnet.referrals.actions import disclosure as actions
from vangnet.referrals.actions.common import ACTIVITY_DISCLOSURE, Refused
from vangnet.referrals.forms import ConsentForm, DisclosureForm, LegalGroundForm, ReasonForm
from vangnet.referrals.models import Consent, LegalGround, PoliceForwarding, Referral
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.sections import SECTIONS


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> Any:
    context.setdefault("staff_nav", staff_nav(request))
    return render(request, template, context, status=status)


def _refused(form: Any, refused: Refused) -> None:
    for message in refused.messages:
        form.add_error(None, message)


def _basis_rows(items: list[Any]) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for item in items:
        terms = item.terms()
        if terms.withdrawn_at is not None and terms.withdrawn_at <= now:
            found = consent_rules.Status.WITHDRAWN
        elif terms.givers_ok is False:
            found = consent_rules.Status.GIVERS_INCOMPLETE
        elif now >= terms.valid_until:
            found = consent_rules.Status.EXPIRED
        else:
            found = consent_rules.Status.VALID
        rows.append(
            {
                "item": item,
                "status": found,
                "status_text": consent_rules.STATUS_TEXT[found],
                "sections": [SECTIONS[s].label for s in item.sections if s in SECTIONS],
            }
        )
    return rows


@staff_required(Perm.VIEW_CASE)
def case_sharing(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id)
    consents = list(Consent.objects.filter(case=case).select_related("subject", "recipient"))
    grounds = list(LegalGround.objects.filter(case=case).select_related("subject", "recipient"))
    referrals = Referral.objects.filter(case=case).select_related("receiver", "requested_by")
    forwardings = PoliceForwarding.objects.filter(case=case).select_related(
        "receiver", "requested_by"
    )
    record_read(request.user, case, ACTIVITY_DISCLOSURE, reason="sharing overview")
    return _page(
        request,
        "referrals/case_sharing.html",
        {
            "case": case,
            "consents": _basis_rows(consents),
            "grounds": _basis_rows(grounds),
            "grounds_by_key": legal_grounds.GROUNDS,
            "referrals": referrals,
            "forwardings": forwardings,
            "age_rules": [*consent_rules.AGE_RULES, consent_rules.NOT_CAPABLE_RULE],
            "can_edit": has_perm(request.user, Perm.EDIT_CASE),
            "can_request": has_perm(request.user, Perm.REQUEST_FORWARDING),
        },
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    form = ConsentForm(request.POST or None, case=case, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_actions.record_consent(
                request.user,
                case,
                subject=data["subject"],
                purpose=data["purpose"],
                recipient=data["recipient"],
                sections=data["sections"],
                given_at=data["given_at"],
                valid_until=data["valid_until_at"],
                how=data["how"],
                subject_age=data.get("subject_age"),
                subject_capable=data["subject_capable"] == "yes",
                given_by_subject=data["given_by_subject"],
                given_by_representative=data["given_by_representative"],
                representative_name=data.get("representative_name") or "",
                representative_relation=data.get("representative_relation") or "",
                representative_is_suspect=data["representative_is_suspect"],
                notes=data.get("notes") or "",
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("referrals:case_sharing", case_id=case.pk)
    return _page(
        request,
        "referrals/consent_form.html",
        {
            "case": case,
            "form": form,
            "age_rules": [*consent_rules.AGE_RULES, consent_rules.NOT_CAPABLE_RULE],
        },
        status=400 if form.errors else 200,
    )


@staff_required(Perm.EDIT_CASE)
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = access.consent_for(request.user, consent_id)
    try:
        consent_actions.withdraw_consent(request.user, consent, request.POST.get("reason", ""))
        messages.success(request, _("The consent has been withdrawn."))
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, str(message))
    return redirect("referrals:case_sharing", case_id=consent.case_id)


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def legal_ground_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    form = LegalGroundForm(request.POST or None, case=case, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_actions.record_legal_ground(
                request.user,
                case,
                subject=data["subject"],
                purpose=data["purpose"],
                recipient=data["recipient"],
                sections=data["sections"],
                ground=data["ground"],
                justification=data["justification"],
                valid_until=timezone.now() + timedelta(days=data["valid_days"]),
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The legal ground has been recorded."))
            return redirect("referrals:case_sharing", case_id=case.pk)
    return _page(
        request,
        "referrals/legal_ground_form.html",
        {"case": case, "form": form, "grounds": legal_grounds.GROUNDS.values()},
        status=400 if form.errors else 200,
    )


@staff_required(Perm.EDIT_CASE)
@require_POST
def legal_ground_withdraw(request: HttpRequest, ground_id: int) -> HttpResponse:
    ground = access.legal_ground_for(request.user, ground_id)
    try:
        consent_actions.withdraw_legal_ground(request.user, ground, request.POST.get("reason", ""))
        messages.success(request, _("The legal ground has been withdrawn."))
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, str(message))
    return redirect("referrals:case_sharing", case_id=ground.case_id)


def _bases(case: Any, purpose: str) -> list[tuple[str, str]]:
    """Consents and legal grounds of the case for this purpose that are usable now."""
    now = timezone.now()
    found: list[tuple[str, str]] = []
    for consent in Consent.objects.filter(
        case=case, purpose=purpose, withdrawn_at=None, valid_until__gt=now, given_at__lte=now
    ).select_related("subject", "recipient"):
        if consent.givers_check().ok:
            found.append(
                (f"consent:{consent.pk}",
                 _("Consent of %(person)s for %(recipient)s, until %(until)s")
                 % {"person": consent.subject.display_name, "recipient": consent.recipient.name,
                    "until": timezone.localtime(consent.valid_until).strftime("%d-%m-%Y")})
            )  # fmt: skip
    for ground in LegalGround.objects.filter(
        case=case, purpose=purpose, withdrawn_at=None, valid_until__gt=now
    ).select_related("subject", "recipient"):
        definition = legal_grounds.GROUNDS.get(ground.ground)
        found.append(
            (f"ground:{ground.pk}",
             _("Legal ground (%(article)s) about %(person)s for %(recipient)s")
             % {"article": definition.article if definition else ground.ground,
                "person": ground.subject.display_name, "recipient": ground.recipient.name})
        )  # fmt: skip
    return found


def _request_page(request: HttpRequest, case_id: int, purpose: str) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.REQUEST_FORWARDING)
    bases = _bases(case, purpose)
    form = DisclosureForm(
        request.POST or None, case=case, purpose=purpose, bases=bases, initial=request.GET.dict()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, pk = data["basis"].partition(":")
        basis: dict[str, Any] = {"consent": None, "legal_ground": None}
        if kind == "consent":
            basis["consent"] = Consent.objects.filter(case=case, pk=pk).first()
        else:
            basis["legal_ground"] = LegalGround.objects.filter(case=case, pk=pk).first()
        common = {
            "receiver": data["receiver"],
            "subject": data["subject"],
            "persons": list(data["persons"]),
            "sections": data["sections"],
            "reason": data["reason"],
            **basis,
        }
        try:
            if purpose == Purpose.REFERRAL:
                made: Any = actions.request_referral(
                    request.user, case, kind=data["kind"], **common
                )
                messages.success(request, _("Requested. A supervisor must approve it."))
                return redirect("referrals:referral", public_id=made.public_id)
            made = actions.request_police_forwarding(request.user, case, **common)
            messages.success(request, _("Requested. A supervisor must approve it."))
            return redirect("referrals:forwarding", public_id=made.public_id)
        except Refused as refused:
            _refused(form, refused)
    return _page(
        request,
        "referrals/disclosure_form.html",
        {"case": case, "form": form, "purpose": purpose, "blocked": not bases},
        status=400 if form.errors else 200,
    )


@staff_required(Perm.REQUEST_FORWARDING)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _request_page(request, case_id, Purpose.REFERRAL)


@staff_required(Perm.REQUEST_FORWARDING)
@require_http_methods(["GET", "POST"])
def forwarding_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _request_page(request, case_id, Purpose.POLICE)


def _detail_context(request: HttpRequest, disclosure: Any, side: str) -> dict[str, Any]:
    table = actions.TABLES[type(disclosure)]
    user: Any = request.user
    steps = [
        t
        for t in workflow.available(table, disclosure.state, side)
        if has_perm(user, t.perm)
        and not (t.releases and user.pk == disclosure.requested_by_id)
        and not (t.name == "reject" and user.pk == disclosure.requested_by_id)
    ]
    shows_content = side == workflow.SENDER or disclosure.state in workflow.RECEIVER_SEES_CONTENT
    if shows_content:
        record_read(user, disclosure, ACTIVITY_DISCLOSURE)
    basis_problems = (
        gate.basis_problems(disclosure, actions.PURPOSES[type(disclosure)], timezone.now())
        if disclosure.state in workflow.PENDING
        else []
    )
    return {
        "d": disclosure,
        "side": side,
        "steps": steps,
        "shows_content": shows_content,
        "snapshot": disclosure.snapshot if shows_content else None,
        "section_labels": {k: s.label for k, s in SECTIONS.items()},
        "basis_problems": basis_problems,
        "ground": legal_grounds.GROUNDS.get(disclosure.legal_ground.ground)
        if disclosure.legal_ground_id
        else None,
        "reason_form": ReasonForm(),
    }


@staff_required(Perm.VIEW_CASE)
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral, side = access.referral_for(request.user, public_id)
    context = _detail_context(request, referral, side)
    context["responsible"] = (
        referral.receiver
        if workflow.responsible_side(referral.kind, referral.state) == workflow.RECEIVER
        else referral.sender
    )
    return _page(request, "referrals/referral_detail.html", context)


@staff_required(Perm.VIEW_CASE)
def forwarding_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    forwarding = access.forwarding_for(request.user, public_id)
    context = _detail_context(request, forwarding, workflow.SENDER)
    context["can_export"] = forwarding.state == workflow.State.FORWARDED and (
        has_perm(request.user, Perm.REQUEST_FORWARDING)
        or has_perm(request.user, Perm.APPROVE_FORWARDING)
    )
    return _page(request, "referrals/forwarding_detail.html", context)


def _find(request: HttpRequest, kind: str, public_id: str) -> tuple[Any, str]:
    if kind == "referral":
        return access.referral_for(request.user, public_id)
    if kind == "forwarding":
        return access.forwarding_for(request.user, public_id), workflow.SENDER
    raise Http404


def _back(kind: str, disclosure: Any) -> HttpResponse:
    name = "referrals:referral" if kind == "referral" else "referrals:forwarding"
    return redirect(name, public_id=disclosure.public_id)


@staff_required(Perm.APPROVE_FORWARDING)
@fresh_second_factor_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    """The release: a confirmation page with exactly what will leave, then the gate."""
    disclosure, side = _find(request, kind, public_id)
    if side != workflow.SENDER:
        raise Http404
    context = _detail_context(request, disclosure, side)
    context["kind"] = kind
    context["problems"] = []
    if request.method == "POST":
        try:
            actions.decide(
                request.user,
                disclosure,
                "approve",
                step_up=gate.StepUp.from_request(request),
                reason=request.POST.get("reason", ""),
            )
        except Refused as refused:
            context["problems"] = refused.messages
            return _page(request, "referrals/approve.html", context, status=409)
        messages.success(
            request,
            _("Approved and sent.") if kind == "referral" else _("Approved and forwarded."),
        )
        return _back(kind, disclosure)
    return _page(request, "referrals/approve.html", context)


@staff_required(Perm.VIEW_CASE)
@require_POST
def transition(request: HttpRequest, kind: str, public_id: str, name: str) -> HttpResponse:
    """Every other step: reject, cancel, withdraw (sender); accept, decline (receiver)."""
    disclosure, side = _find(request, kind, public_id)
    reason = request.POST.get("reason", "")
    try:
        if name in ("accept", "decline"):
            if side != workflow.RECEIVER:
                raise Http404
            actions.respond(request.user, disclosure, name, reason=reason)
        elif name in ("reject", "cancel", "withdraw"):
            actions.decide(request.user, disclosure, name, reason=reason)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, str(message))
    return _back(kind, disclosure)


@staff_required(Perm.VIEW_CASE)
@fresh_second_factor_required
def package(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    forwarding = access.forwarding_for(request.user, public_id)
    try:
        data = actions.export_package(
            request.user, forwarding, fmt, gate.StepUp.from_request(request)
        )
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, str(message))
        return redirect("referrals:forwarding", public_id=forwarding.public_id)
    content_type = "application/pdf" if fmt == "pdf" else "application/json"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{forwarding.reference}.{fmt}"'
    return response


@staff_required(Perm.APPROVE_FORWARDING)
def approvals(request: HttpRequest) -> HttpResponse:
    referrals, forwardings = access.waiting_for_approval(request.user)
    return _page(
        request,
        "referrals/approvals.html",
        {"referrals": referrals, "forwardings": forwardings},
    )


@staff_required(Perm.VIEW_CASE)
def incoming(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "referrals/incoming.html", {"referrals": access.incoming_referrals(request.user)}
    )
