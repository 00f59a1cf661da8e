# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem("cases:worklist", _("Worklist"), Perm.VIEW_CASE),
    NavItem("cases:waiting_list", _("Waiting list"), Perm.VIEW_CASE),
    NavItem("cases:case_list", _("Cases"), Perm.VIEW_CASE),
]
