# SPDX-License-Identifier: EUPL-1.2
"""Typed notes: fact, professional opinion, or the client's own view (hoor en wederhoor)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.cases.models.append_only import AppendOnlyModel, AppendOnlyQuerySet
from vangnet.lib.fields import EncryptedTextField


class NoteKind(models.TextChoices):
    FACT = "fact", _("Fact")
    OPINION = "opinion", _("Professional opinion")
    CLIENT_VIEW = "client_view", _("Client's own view")


class NoteQuerySet(AppendOnlyQuerySet["Note"]):
    pass


class Note(AppendOnlyModel):
    """Append-only: a correction is a new note; a client's view points at the note it answers."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=12, choices=NoteKind.choices)
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    about = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="note_case_created")]

    def __str__(self) -> str:
        return f"{self.kind} note {self.pk}"
