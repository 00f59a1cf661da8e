# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand

from vangnet.chat.actions import expire_abandoned


class Command(BaseCommand):
    help = "End live chats whose visitor stayed away longer than the grace period."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = expire_abandoned()
        self.stdout.write(f"chat sweep: {ended} conversation(s) ended")
