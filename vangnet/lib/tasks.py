# SPDX-License-Identifier: EUPL-1.2
"""Scheduled jobs that are management commands, run through the task queue."""

from django.core.management import call_command
from django_tasks import task


@task()
def sweep_chats() -> None:
    """End chats whose visitor left longer ago than the grace period (chat_sweep)."""
    call_command("chat_sweep", verbosity=0)
