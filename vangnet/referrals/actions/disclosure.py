# SPDX-License-Identifier: EUPL-1.2
"""Referrals and police forwardings: request, decide, respond, export. All through the gate.

A request freezes exactly the chosen data (the snapshot) after checking that a basis covers it;
a release (``approve``) calls ``gate.check_release`` inside the transaction, with the row locked,
so two approvals cannot both pass and nothing leaves on a basis that was withdrawn a moment ago.
The web pages, the command line and any API call these functions; there is no other way out.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, has_perm, require
from vangnet.referrals import access, export, gate, workflow
from vangnet.referrals.actions.common import Refused, audit, history
from vangnet.referrals.models import PoliceForwarding, Referral
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.sections import SECTIONS, build_snapshot
from vangnet.referrals.workflow import RECEIVER, SENDER, State

TABLES = {Referral: workflow.REFERRAL_TRANSITIONS, PoliceForwarding: workflow.POLICE_TRANSITIONS}
PURPOSES = {Referral: Purpose.REFERRAL, PoliceForwarding: Purpose.POLICE}
PREFIX = {Referral: "referral", PoliceForwarding: "police_forwarding"}


def _request(
    model: type[Referral] | type[PoliceForwarding],
    user: Any,
    case: Any,
    *,
    receiver: Any,
    subject: Any,
    persons: list[Any],
    sections: list[str],
    consent: Any = None,
    legal_ground: Any = None,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> Any:
    require(user, Perm.REQUEST_FORWARDING)
    purpose = PURPOSES[model]
    if case.organisation_id != user.organisation_id:
        raise Refused(_("This case belongs to another organisation."))
    if not case.is_open:
        raise Refused(_("This case is closed. Nothing can be shared from it any more."))
    if not access.recipients(purpose).filter(pk=receiver.pk).exists():
        raise Refused(_("This organisation cannot receive data for this purpose."))
    if subject.case_id != case.pk or any(p.case_id != case.pk for p in persons):
        raise Refused(_("Choose persons of this case."))
    if not sections or set(sections) - set(SECTIONS):
        raise Refused(_("Choose which data to share."))
    if not persons and {"persons", "identity", "child_identity"} & set(sections):
        raise Refused(_("Choose the persons whose data you share."))
    if (consent is None) == (legal_ground is None):
        raise Refused(gate.NO_BASIS)
    if not reason.strip():
        raise Refused(_("Say why this is shared."))
    now = timezone.now()
    disclosure = model(
        case=case,
        sender_id=case.organisation_id,
        receiver=receiver,
        subject=subject,
        sections=sorted(set(sections)),
        person_ids=sorted(p.pk for p in persons),
        consent=consent,
        legal_ground=legal_ground,
        reason=reason.strip(),
        requested_at=now,
        requested_by=user,
        **(extra or {}),
    )
    problems = gate.basis_problems(disclosure, purpose, now)
    if problems:
        # The same refusal the release would give: blocked before anything is prepared.
        audit(
            user,
            f"{PREFIX[model]}_blocked",
            case,
            case=case,
            subject=subject,
            receiver=receiver,
            status="error",
            details={"sections": disclosure.sections, "basis": disclosure.basis_kind},
        )
        raise Refused(*problems)
    snapshot = build_snapshot(case, persons, disclosure.sections)
    disclosure.snapshot = snapshot
    disclosure.snapshot_sha256 = export.sha256(export.canonical_json(snapshot))
    with transaction.atomic():
        disclosure.save()
        details = {
            PREFIX[model]: disclosure.pk,
            "sections": disclosure.sections,
            "persons": len(persons),
            "basis": disclosure.basis_kind,
            "snapshot_sha256": disclosure.snapshot_sha256,
        }
        history(user, case, f"{PREFIX[model]}_requested", {**details, "receiver": receiver.name})
        audit(
            user,
            f"{PREFIX[model]}_requested",
            disclosure,
            case=case,
            subject=subject,
            receiver=receiver,
            details=details,
        )
    return disclosure


def request_referral(user: Any, case: Any, *, kind: str, **kwargs: Any) -> Referral:
    if kind not in workflow.ReferralKind.values:
        raise Refused(_("Choose a referral or a handover."))
    referral: Referral = _request(Referral, user, case, extra={"kind": kind}, **kwargs)
    return referral


def request_police_forwarding(user: Any, case: Any, **kwargs: Any) -> PoliceForwarding:
    forwarding: PoliceForwarding = _request(PoliceForwarding, user, case, **kwargs)
    return forwarding


def _locked(disclosure: Any) -> Any:
    return type(disclosure).objects.select_for_update().get(pk=disclosure.pk)


def decide(
    user: Any,
    disclosure: Any,
    name: str,
    *,
    step_up: gate.StepUp | None = None,
    reason: str = "",
) -> Any:
    """A transition on the sending side: approve (releases: through the gate), reject, cancel,
    withdraw. Returns the disclosure as it is after the change. A release the gate refuses is
    audited as refused (outside the rolled-back transaction) and raises :class:`Refused`."""
    if disclosure.sender_id != user.organisation_id:
        raise Refused(_("This belongs to another organisation."))
    blocked: gate.Blocked | None = None
    with transaction.atomic():
        current = _locked(disclosure)
        step = _sender_step(user, current, name, reason)
        if step.releases:
            try:
                gate.check_release(user, current, PURPOSES[type(current)], step_up, timezone.now())
            except gate.Blocked as exc:
                blocked = exc
        if blocked is None:
            _apply(user, current, step, reason)
    if blocked is not None:
        record_blocked_release(user, disclosure, blocked.reasons)
        raise Refused(*blocked.reasons)
    return current


def _sender_step(user: Any, current: Any, name: str, reason: str) -> workflow.Transition:
    try:
        step = workflow.transition(TABLES[type(current)], name, current.state)
    except workflow.InvalidTransition:
        raise Refused(_("This has already been decided.")) from None
    if step.side != SENDER:
        raise Refused(_("Only the receiving organisation can do this."))
    require(user, step.perm)
    if step.needs_reason and not reason.strip():
        raise Refused(_("Give a reason."))
    if (
        name == "cancel"
        and current.requested_by_id != user.pk
        and not has_perm(user, Perm.APPROVE_FORWARDING)
    ):
        raise Refused(_("Only the requester or a supervisor can cancel this."))
    if name == "reject" and current.requested_by_id == user.pk:
        raise Refused(gate.FOUR_EYES)
    return step


def _apply(user: Any, current: Any, step: workflow.Transition, reason: str) -> None:
    model = type(current)
    now = timezone.now()
    details: dict[str, Any] = {PREFIX[model]: current.pk, "to": step.target}
    current.state = step.target
    if step.name == "withdraw":
        current.responded_at, current.response_reason = now, reason.strip()
    else:
        current.decided_at, current.decided_by = now, user
        current.decision_note = reason.strip()
    if step.releases:
        details["snapshot_sha256"] = current.snapshot_sha256
        if model is PoliceForwarding:
            current.json_sha256 = export.sha256(export.package_json(current))
            current.pdf_sha256 = export.sha256(export.package_pdf(current))
            details.update(json_sha256=current.json_sha256, pdf_sha256=current.pdf_sha256)
    current.version += 1
    current.save()
    action = f"{PREFIX[model]}_{'approved' if step.releases else step.target}"
    history(user, current.case, action, {**details, "receiver": current.receiver.name})
    audit(
        user,
        action,
        current,
        case=current.case,
        subject=current.subject,
        receiver=current.receiver,
        details=details,
    )
    if model is PoliceForwarding and step.releases:
        _tell_the_victim(current)


def record_blocked_release(user: Any, disclosure: Any, reasons: list[Any]) -> None:
    """Audit a refused release (called by the callers after the transaction rolled back)."""
    audit(
        user,
        f"{PREFIX[type(disclosure)]}_release_refused",
        disclosure,
        case=disclosure.case,
        subject=disclosure.subject,
        receiver=disclosure.receiver,
        status="error",
        details={"reasons": len(reasons)},
    )


def respond(user: Any, referral: Referral, name: str, *, reason: str = "") -> Referral:
    """The receiving organisation accepts or declines a referral that was sent to it."""
    if referral.receiver_id != user.organisation_id:
        raise Refused(_("Only the receiving organisation can do this."))
    with transaction.atomic():
        current = _locked(referral)
        try:
            step = workflow.transition(workflow.REFERRAL_TRANSITIONS, name, current.state)
        except workflow.InvalidTransition:
            raise Refused(_("This referral is no longer open.")) from None
        if step.side != RECEIVER:
            raise Refused(_("Only the sending organisation can do this."))
        require(user, step.perm)
        if step.needs_reason and not reason.strip():
            raise Refused(_("Give a reason."))
        now = timezone.now()
        current.state = step.target
        current.responded_at = now
        current.responded_by = user
        current.response_reason = reason.strip()
        current.version += 1
        current.save()
        side = workflow.responsible_side(current.kind, current.state)
        details = {"referral": current.pk, "to": step.target, "responsible": side}
        history(
            user,
            current.case,
            f"referral_{step.target}",
            {**details, "receiver": current.receiver.name},
        )
        audit(
            user,
            f"referral_{step.target}",
            current,
            case=current.case,
            subject=current.subject,
            receiver=current.receiver,
            details=details,
        )
    return current


def _tell_the_victim(forwarding: PoliceForwarding) -> None:
    """An anonymous victim sees, with their return code, that and when data went to the
    police: a system message in the thread of each of their reports in the case."""
    from vangnet.intake.actions import post_message
    from vangnet.intake.models import Contact, MessageDirection, ReporterType

    contacts = Contact.objects.filter(
        report__case_link__case_id=forwarding.case_id,
        reporter_type=ReporterType.VICTIM,
        receipt__isnull=False,
    )
    for contact in contacts:
        with translation.override(contact.language or "nl"):
            when = formats.date_format(timezone.localtime(forwarding.decided_at), "j F Y")
            body = gettext("On %(date)s we passed information from your report to the police.") % {
                "date": when
            }
        post_message(contact, direction=MessageDirection.SYSTEM, body=body)


def export_package(
    user: Any, forwarding: PoliceForwarding, fmt: str, step_up: gate.StepUp | None
) -> bytes:
    """The package of a forwarded request, as PDF or JSON: generated again from the record,
    checked against the hash recorded at approval, audited with that hash. Needs a fresh
    second factor, like the release itself."""
    if fmt not in ("pdf", "json"):
        raise Refused(_("Unknown format."))
    if forwarding.sender_id != user.organisation_id or not (
        has_perm(user, Perm.REQUEST_FORWARDING) or has_perm(user, Perm.APPROVE_FORWARDING)
    ):
        raise Refused(_("This belongs to another organisation."))
    if forwarding.state != State.FORWARDED:
        raise Refused(_("Only an approved forwarding has a package."))
    if step_up is None or not step_up.is_fresh_for(user):
        raise Refused(gate.STALE_SECOND_FACTOR)
    data = export.package_pdf(forwarding) if fmt == "pdf" else export.package_json(forwarding)
    digest = export.sha256(data)
    expected = forwarding.pdf_sha256 if fmt == "pdf" else forwarding.json_sha256
    if digest != expected:
        audit(
            user,
            "police_forwarding_package_mismatch",
            forwarding,
            case=forwarding.case,
            status="error",
            details={"format": fmt, "sha256": digest, "expected": expected},
        )
        raise Refused(_("The package cannot be reproduced exactly. It is not handed out."))
    audit(
        user,
        "police_forwarding_exported",
        forwarding,
        case=forwarding.case,
        subject=forwarding.subject,
        receiver=forwarding.receiver,
        details={"format": fmt, "sha256": digest},
    )
    return data
