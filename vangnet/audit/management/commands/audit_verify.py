from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vangnet.audit.verify import verify_all


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log; exit non-zero at the first bad row."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all()
        if report.problem:
            raise CommandError(f"Audit log is NOT intact. First bad row: {report.problem}")
        self.stdout.write(f"Audit log intact: {report.events} events in {report.chains} chains.")
