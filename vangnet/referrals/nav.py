# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS = [
    NavItem("referrals:staff_directory", _("Help directory"), Perm.VIEW_DASHBOARD),
]
