# SPDX-License-Identifier: EUPL-1.2
"""Feedback to the reporter (terugkoppeling) at the two fixed moments.

The text goes into the report's own message thread (intake's ``post_message``): an anonymous
reporter reads it on the return page with their code; a professional finds it in the same
thread, and the channel they asked for is recorded. Content follows KNMG meldcode Bijlage 4:
whether a follow-up route started, who the receiving parties are, and, only when the reporter
has a role in the follow-up, the safety conditions and monitoring agreements.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.cases.actions.common import ACTIVITY_FEEDBACK, Refused, audit, log_event
from vangnet.cases.models import (
    Case,
    CaseReport,
    Feedback,
    FeedbackChannel,
    FeedbackMoment,
    SafetyAssessment,
)


def latest_assessment(case: Case) -> SafetyAssessment | None:
    return case.assessments.order_by("-decided_at", "-id").first()


def moment_reached(case: Case, moment: str) -> bool:
    if moment == FeedbackMoment.AFTER_ASSESSMENT:
        return case.assessments.exists()
    if moment == FeedbackMoment.AFTER_INVESTIGATION:
        return case.investigations.filter(ended_at__isnull=False).exists()
    return False


def _route_sentence(assessment: SafetyAssessment | None) -> str:
    if assessment is None:
        return ""
    route = assessment.route
    if route == "handover":
        if assessment.handover_target == "family":
            return gettext(
                "We have agreed with the family what they will do themselves to make things "
                "safe. Veilig Thuis no longer keeps watch itself."
            )
        return gettext(
            "We have handed over to %(party)s. They now help the family and keep watch over safety."
        ) % {"party": assessment.handover_party}
    if route == "conditions_and_follow_up":
        return gettext(
            "We have agreed safety conditions with the family. Other organisations help the "
            "family, and Veilig Thuis checks for a while that things stay safe."
        )
    if route == "investigation":
        return gettext(
            "Veilig Thuis is investigating the situation itself. When the investigation is "
            "finished, we will let you know again."
        )
    if route == "child_protection_board_request":
        return gettext(
            "We have asked the Child Protection Board (Raad voor de Kinderbescherming) to "
            "investigate."
        )
    return gettext("We have decided that Veilig Thuis does not need to do anything more.")


def compose(case: Case, link: CaseReport, moment: str, *, reporter_has_role: bool) -> str:
    """The template text, in the reporter's language; staff read and adjust it before sending."""
    language = link.report.contact.language or "nl"
    with translation.override(language):
        assessment = latest_assessment(case)
        parts = [gettext("Hello,")]
        if moment == FeedbackMoment.AFTER_INVESTIGATION:
            parts.append(
                gettext("Thank you for your report. Veilig Thuis has finished its investigation.")
            )
        else:
            parts.append(
                gettext("Thank you for your report. Veilig Thuis has looked at how safe it is.")
            )
        parts.append(_route_sentence(assessment))
        if reporter_has_role:
            conditions = [c.text for c in case.conditions.all()]
            if conditions:
                parts.append(
                    gettext("These are the safety agreements in which you have a role:")
                    + "\n"
                    + "\n".join(f"- {text}" for text in conditions)
                )
        parts.append(
            gettext(
                "We cannot tell you more, to protect the privacy of the family. If you are "
                "worried again, contact us again."
            )
        )
        parts.append(gettext("Kind regards, Veilig Thuis"))
    return "\n\n".join(p for p in parts if p)


def _check(case: Case, link: CaseReport, moment: str) -> None:
    if link.case_id != case.pk:
        raise Refused(_("This report is not part of this case."))
    if moment not in FeedbackMoment.values:
        raise Refused(_("Choose one of the options shown."))
    if not moment_reached(case, moment):
        raise Refused(_("This feedback moment has not come yet."))


def _channel(contact: Any) -> tuple[str, str]:
    details = contact.reporter_details or {}
    if contact.anonymous:
        return FeedbackChannel.RETURN_CODE, ""
    given = str(details.get("feedback_channel") or details.get("channel") or "")
    return FeedbackChannel.PROFESSIONAL_THREAD, given[:100]


def send_feedback(user: Any, case: Case, link: CaseReport, moment: str, *, body: str) -> Feedback:
    from vangnet.intake.actions import post_message
    from vangnet.intake.models import MessageDirection

    require(user, Perm.EDIT_CASE)
    _check(case, link, moment)
    if not body.strip():
        raise Refused(_("The feedback is empty."))
    contact = link.report.contact
    channel, reporter_channel = _channel(contact)
    if Feedback.objects.filter(case_report=link, moment=moment).exists():
        raise Refused(_("Feedback for this moment has already been given."))
    now = timezone.now()
    try:
        with transaction.atomic():
            message, _created = post_message(
                contact, direction=MessageDirection.FROM_STAFF, body=body, author=user, at=now
            )
            feedback = Feedback.objects.create(
                case=case,
                case_report=link,
                moment=moment,
                channel=channel,
                reporter_channel=reporter_channel,
                message=message,
                sent_at=now,
                sent_by=user,
            )
            log_event(
                user, case, "feedback_sent", details={"moment": moment, "report": link.report_id}
            )
            audit(
                user,
                "feedback_sent",
                case,
                activity=ACTIVITY_FEEDBACK,
                obj=feedback,
                details={"moment": moment, "channel": channel},
                receiver="reporter",
            )
    except IntegrityError:
        raise Refused(_("Feedback for this moment has already been given.")) from None
    return feedback


def record_no_feedback(
    user: Any, case: Case, link: CaseReport, moment: str, *, reason: str
) -> Feedback:
    """Some reporters get no standard feedback (e.g. a doctor acting as informant)."""
    require(user, Perm.EDIT_CASE)
    _check(case, link, moment)
    if not reason.strip():
        raise Refused(_("Say why no feedback is given."))
    now = timezone.now()
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                case=case,
                case_report=link,
                moment=moment,
                channel=FeedbackChannel.NOT_GIVEN,
                reason_not_given=reason,
                sent_at=now,
                sent_by=user,
            )
            log_event(user, case, "feedback_not_given", reason=reason, details={"moment": moment})
            audit(
                user,
                "feedback_not_given",
                case,
                activity=ACTIVITY_FEEDBACK,
                obj=feedback,
                details={"moment": moment},
            )
    except IntegrityError:
        raise Refused(_("Feedback for this moment has already been given.")) from None
    return feedback
