from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.nav import NavItem, SummaryLine
from vangnet.intake.models import Contact, ContactStatus

NAV_ITEMS = [NavItem("intake:inbox", gettext_lazy("Inbox"), Perm.VIEW_INBOX)]


def summary(user: Any) -> list[SummaryLine]:
    if not has_perm(user, Perm.VIEW_INBOX):
        return []
    counts = Contact.objects.filter(
        organisation_id=user.organisation_id,
        status__in=[ContactStatus.NEW, ContactStatus.IN_PROGRESS],
    ).aggregate(open=Count("id"), acute=Count("id", filter=Q(acute=True)))
    url = reverse("intake:inbox")
    return [
        SummaryLine(_("Open contacts"), counts["open"], url),
        SummaryLine(_("Acute contacts"), counts["acute"], url, urgent=counts["acute"] > 0),
    ]
