# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS = [
    NavItem("referrals:approvals", _("Approve sharing"), Perm.APPROVE_FORWARDING),
    NavItem("referrals:incoming", _("Referrals received"), Perm.VIEW_CASE),
    NavItem("referrals:staff_directory", _("Help directory"), Perm.VIEW_DASHBOARD),
]
