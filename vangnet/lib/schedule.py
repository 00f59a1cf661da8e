# SPDX-License-Identifier: EUPL-1.2
"""Periodic jobs, enqueued on Django's task backend by `vangnet worker` (ADR 0005).

A job is (name, interval, task path). The worker enqueues each job when it is due and a
database task worker runs it; with several workers, the task queue keeps each run single.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    task: str  # "module:attribute" of a django_tasks task


JOBS = [
    Job("delete-expired-anonymous-contacts", 3600, "vangnet.intake.tasks:delete_expired_contacts"),
    Job("sweep-chats-after-grace-period", 60, "vangnet.lib.tasks:sweep_chats"),
    Job("refresh-recent-figures", 24 * 3600, "vangnet.stats.tasks:refresh_recent"),
]


def load_task(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(import_module(module), attribute)
