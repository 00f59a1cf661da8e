from typing import Any

from django.core.management.base import BaseCommand

from vangnet.audit.log import Actor, record
from vangnet.cases.models import Person
from vangnet.radar import service
from vangnet.radar.actions import register_person


class Command(BaseCommand):
    help = (
        "Re-encode every case person into the radar (after a change of the linkage key or of "
        "the encoding parameters; entries with an old fingerprint are skipped by lookups)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for person in Person.objects.select_related("case").iterator(2000):
            register_person(person)
            count += 1
        service.reset()
        record(
            actor=Actor.system("radar-reencode"), action="radar_reencoded",
            activity="vg-005-radar", details={"persons": count},
        )  # fmt: skip
        self.stdout.write(f"Re-encoded {count} persons into the radar.")
