from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS = [NavItem("intake:inbox", _("Inbox"), Perm.VIEW_INBOX)]
