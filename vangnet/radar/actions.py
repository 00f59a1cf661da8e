# SPDX-License-Identifier: EUPL-1.2
"""Radar actions: register a person's encoding, look up earlier involvement, ask the other
organisation for details, answer such a request, and judge a hit. Each is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from vangnet.accounts.access import Perm, require
from vangnet.audit.log import Actor, record
from vangnet.radar import service
from vangnet.radar.linkage import DEFAULT_PARAMS, EncodedRecord, PersonRecord, encode
from vangnet.radar.models import (
    ContactKind,
    DetailRequest,
    MatchFeedback,
    RadarEntry,
    RequestStatus,
    Verdict,
)

ACTIVITY = "vg-005-radar"
PERSON_SOURCE = "cases.Person"


def person_record(person: Any) -> PersonRecord:
    """The plaintext of one case person, only inside the holding organisation's process."""
    address = person.address or {}
    return PersonRecord(
        first_name=person.given_names or "",
        last_name=person.surname or "",
        birth_date=person.birth_date,
        street=str(address.get("street", "")),
        house_number=str(address.get("house_number", "")),
        postcode=str(address.get("postcode", "")),
        city=str(address.get("city", "")),
        bsn=person.bsn or "",
    )


def encode_person(person: Any) -> EncodedRecord:
    return encode(person_record(person), settings.VANGNET_LINKAGE_KEY, DEFAULT_PARAMS)


def register_person(person: Any) -> RadarEntry:
    """Create or refresh the radar entry of a case person (idempotent)."""
    case = person.case
    now = timezone.now()
    values = {
        "organisation_id": case.organisation_id,
        "group_ref": f"case:{case.pk}",
        "kind": ContactKind.CASE,
        "period_start": timezone.localdate(case.received_at),
        "period_end": timezone.localdate(case.closed_at) if case.closed_at else None,
        "encoding": encode_person(person).to_bytes(),
        "encoding_params": DEFAULT_PARAMS.params_id,
        "updated_at": now,
    }
    entry, _created = RadarEntry.objects.update_or_create(
        source_type=PERSON_SOURCE,
        source_id=person.pk,
        defaults=values,
        create_defaults={**values, "created_at": now},
    )
    return entry


@dataclass(frozen=True)
class PersonHits:
    person: Any
    entry: RadarEntry
    hits: list[tuple[RadarEntry, float, str]]  # (other entry, score, verdict or "")


def lookup_case(user: Any, case: Any) -> list[PersonHits]:
    """Earlier involvement of each person of a case, anywhere in the country (audited)."""
    require(user, Perm.RADAR_LOOKUP)
    results = []
    persons = list(case.persons.all())
    entries = {p.pk: register_person(p) for p in persons}
    found: dict[int, list[service.Hit]] = {}
    for person in persons:
        entry = entries[person.pk]
        found[person.pk] = service.lookup(
            EncodedRecord.from_bytes(bytes(entry.encoding)), exclude_group=entry.group_ref
        )
    other_ids = {hit.entry_id for hits in found.values() for hit in hits}
    others = RadarEntry.objects.select_related("organisation").in_bulk(other_ids)
    verdicts = {
        (f.entry_id, f.other_id): f.verdict
        for f in MatchFeedback.objects.filter(entry__in=entries.values(), other_id__in=other_ids)
    }
    for person in persons:
        entry = entries[person.pk]
        hits = [
            (others[h.entry_id], h.score, verdicts.get((entry.pk, h.entry_id), ""))
            for h in found[person.pk]
            if h.entry_id in others
        ]
        results.append(PersonHits(person, entry, hits))
    record(
        actor=Actor.staff(user),
        action="radar_lookup",
        activity=ACTIVITY,
        obj=case,
        details={"persons": len(persons), "hits": sum(len(r.hits) for r in results)},
    )
    return results


def _own_entry(user: Any, entry_id: int) -> RadarEntry:
    entry = RadarEntry.objects.filter(pk=entry_id, organisation_id=user.organisation_id).first()
    if entry is None:
        raise Http404
    return entry


def give_feedback(user: Any, own_entry_id: int, other_id: int, verdict: str, score: float) -> None:
    require(user, Perm.RADAR_LOOKUP)
    entry = _own_entry(user, own_entry_id)
    if verdict not in Verdict.values or not RadarEntry.objects.filter(pk=other_id).exists():
        raise Http404
    with transaction.atomic():
        MatchFeedback.objects.update_or_create(
            entry=entry,
            other_id=other_id,
            defaults={
                "verdict": verdict,
                "score": score,
                "given_by": user,
                "given_at": timezone.now(),
            },
        )
        record(
            actor=Actor.staff(user),
            action="radar_feedback",
            activity=ACTIVITY,
            obj=entry,
            details={"other": other_id, "verdict": verdict},
        )


def request_details(
    user: Any, own_entry_id: int, other_id: int, reason: str, score: float
) -> DetailRequest:
    require(user, Perm.RADAR_LOOKUP)
    about = _own_entry(user, own_entry_id)
    other = RadarEntry.objects.filter(pk=other_id).exclude(organisation_id=user.organisation_id)
    target = other.first()
    if target is None:
        raise Http404
    with transaction.atomic():
        request = DetailRequest.objects.create(
            entry=target,
            about=about,
            requesting_organisation_id=user.organisation_id,
            requested_by=user,
            reason=reason,
            score=score,
            created_at=timezone.now(),
        )
        record(
            actor=Actor.staff(user),
            action="radar_detail_requested",
            activity=ACTIVITY,
            obj=request,
            receiver=str(target.organisation_id),
        )
    return request


def answer_request(user: Any, request_id: int, *, answer: str, decline: bool) -> DetailRequest:
    """The holding organisation answers (a disclosure, audited with its receiver) or declines."""
    require(user, Perm.RADAR_LOOKUP)
    with transaction.atomic():
        request = (
            DetailRequest.objects.select_for_update()
            .filter(pk=request_id, entry__organisation_id=user.organisation_id)
            .first()
        )
        if request is None:
            raise Http404
        if request.status != RequestStatus.PENDING:
            return request
        request.status = RequestStatus.DECLINED if decline else RequestStatus.ANSWERED
        request.answer = answer
        request.answered_by = user
        request.answered_at = timezone.now()
        request.save()
        record(
            actor=Actor.staff(user),
            action="radar_detail_declined" if decline else "radar_detail_disclosed",
            activity="vg-006-disclosure",
            obj=request,
            receiver=str(request.requesting_organisation_id),
        )
    return request


def period_text(entry: RadarEntry) -> str:
    end = entry.period_end.isoformat() if entry.period_end else "…"
    return f"{entry.period_start.isoformat()} – {end}"
