# SPDX-License-Identifier: EUPL-1.2
"""The live side of a chat contact: its state in the queue, who handles it, its history.

The lines of a chat are the contact's ``intake.Message`` rows (encrypted at rest, one per client
id). Everything here hangs off the contact with CASCADE, so the intake retention job that deletes
an anonymous contact deletes its conversation, events and hand-over notes with it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.chat.workflow import State
from vangnet.intake.models import AgeGroup, Contact
from vangnet.lib.fields import EncryptedTextField

MINOR_AGE_GROUPS = frozenset({AgeGroup.UNDER_12, AgeGroup.AGE_12_15, AgeGroup.AGE_16_17})


def priority_for(*, acute: bool, age_group: str) -> int:
    """Queue rank, lowest first: danger now before the rest, then minors, unknown age, adults.

    0 acute minor, 1 acute unknown age, 2 acute adult, 3 minor, 4 unknown age, 5 adult.
    Within a rank, the longest waiting comes first (ADR 0020).
    """
    if age_group in MINOR_AGE_GROUPS:
        age_rank = 0
    elif not age_group:
        age_rank = 1
    else:
        age_rank = 2
    return (0 if acute else 3) + age_rank


class EndReason(models.TextChoices):
    NONE = "", _("Not ended")
    COUNSELLOR = "counsellor", _("Ended by the counsellor")
    VISITOR = "visitor", _("Ended by the visitor")
    ABANDONED = "abandoned", _("The visitor did not come back")
    ANSWERED = "answered", _("Message answered")


class Conversation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="conversation")
    state = models.CharField(max_length=16, choices=State.choices)
    priority = models.PositiveSmallIntegerField(default=5)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_conversations",
    )
    # HMAC of the random key kept in the visitor's (server-side) session; a resume with the
    # return code sets a new key, so only the newest browser holds the conversation.
    visitor_key_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=16, choices=EndReason.choices, blank=True, default=EndReason.NONE
    )

    class Meta:
        indexes = [
            models.Index(fields=["state", "priority", "queued_at"]),
            models.Index(fields=["counsellor", "state"]),
        ]
        verbose_name = _("chat conversation")

    def __str__(self) -> str:
        return f"chat {self.public_id} ({self.state})"

    @property
    def short_ref(self) -> str:
        return str(self.public_id)[:8]


class ConversationEvent(models.Model):
    """Append-only history of a conversation: what happened, from which state, by whom."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=16)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_state} -> {self.to_state}"


class Handover(models.Model):
    """A transfer to a colleague (or back to the queue) with the note for whoever takes over."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handovers"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"handover {self.pk}"
