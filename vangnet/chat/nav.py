# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem("chat:console", _("Chat"), Perm.HANDLE_CHAT),
    NavItem("chat:supervise", _("Chat overview"), Perm.SUPERVISE_CHAT),
]
