# SPDX-License-Identifier: EUPL-1.2
"""Delete anonymous contacts that never became a report (ADR 0007).

Advice may be anonymous and Veilig Thuis may not keep family data for an advice (Wmo; domain
rules §5), so a contact without a report is deleted once it has been quiet for
``VANGNET_ANONYMOUS_RETENTION_DAYS``. Each deletion is audited without content: only the
contact's id and channel. Reports follow the 20-year rule and are not touched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vangnet.audit.log import Actor, record
from vangnet.intake.models import Contact, Outcome

BATCH = 500


@dataclass(frozen=True)
class RetentionResult:
    deleted: int
    cutoff: datetime


def expired_contacts(now: datetime | None = None) -> tuple[datetime, list[int]]:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VANGNET_ANONYMOUS_RETENTION_DAYS)
    ids = list(
        Contact.objects.filter(last_activity_at__lt=cutoff)
        .exclude(outcome=Outcome.REPORT)
        .filter(report__isnull=True)
        .values_list("pk", flat=True)[:BATCH]
    )
    return cutoff, ids


def delete_expired(now: datetime | None = None) -> RetentionResult:
    total = 0
    cutoff = now
    while True:
        cutoff, ids = expired_contacts(now)
        if not ids:
            break
        for contact in Contact.objects.filter(pk__in=ids).only("pk", "channel", "organisation_id"):
            with transaction.atomic():
                # A reply may have arrived since the query: re-check inside the transaction.
                fresh = (
                    Contact.objects.select_for_update(of=("self",))
                    .filter(pk=contact.pk, last_activity_at__lt=cutoff, report__isnull=True)
                    .exclude(outcome=Outcome.REPORT)
                    .first()
                )
                if fresh is None:
                    continue
                if hasattr(fresh, "advice"):
                    fresh.advice.delete()
                fresh.delete()
                record(
                    actor=Actor.system("retention"),
                    action="contact_deleted",
                    activity="vg-009-retention",
                    object_type="intake.Contact",
                    object_id=str(contact.pk),
                    organisation_id=contact.organisation_id,
                    details={"channel": contact.channel, "reason": "anonymous_retention"},
                )
                total += 1
    return RetentionResult(total, cutoff or timezone.now())
