from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm
from vangnet.accounts.nav import NavItem

NAV_ITEMS = [NavItem("radar:requests", _("Radar requests"), Perm.RADAR_LOOKUP)]
