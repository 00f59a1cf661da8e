# SPDX-License-Identifier: EUPL-1.2
"""URL layout: the public side at the root, staff pages under /staff/, the API under /api/v1.

Each app owns its urls.py; public and staff patterns live side by side in it with distinct
prefixes (public: /report, /chat, /help; staff: /staff/<app>/...).
"""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/set-language", set_language, name="set_language"),
    path("staff/", include("vangnet.accounts.urls")),
    path("", include("vangnet.intake.urls")),
    path("", include("vangnet.chat.urls")),
    path("", include("vangnet.cases.urls")),
    path("", include("vangnet.radar.urls")),
    path("", include("vangnet.referrals.urls")),
    path("", include("vangnet.stats.urls")),
    path("", include("vangnet.public.urls")),
]
