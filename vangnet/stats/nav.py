# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem("stats:staff", _("Statistics"), Perm.VIEW_STATISTICS),
]
