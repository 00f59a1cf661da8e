import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from vangnet.lib.schedule import JOBS, load_task


class Command(BaseCommand):
    help = "Enqueue scheduled jobs when due and run the database task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue all jobs once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for job in JOBS:
                result = load_task(job.task).enqueue()
                self.stdout.write(f"enqueued {job.name} ({result.id})")
            call_command("db_worker", "--batch", "--no-startup-delay")
            return
        next_run = {job.name: 0.0 for job in JOBS}
        while True:
            now = time.time()
            for job in JOBS:
                if now >= next_run[job.name]:
                    load_task(job.task).enqueue()
                    next_run[job.name] = now + job.every_seconds
            call_command("db_worker", "--batch", "--no-startup-delay")
            time.sleep(15)
