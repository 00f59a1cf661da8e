# SPDX-License-Identifier: EUPL-1.2
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/set-language", set_language, name="set_language"),
    path("staff/", include("vangnet.accounts.urls")),
    path("", include("vangnet.public.urls")),
]
