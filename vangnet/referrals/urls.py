# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern, URLResolver, path

from vangnet.referrals.views import directory, public

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("help", public.help_finder, name="help_finder"),
    path("help/all", public.directory_list, name="directory"),
    path("staff/directory", directory.staff_directory, name="staff_directory"),
    path("staff/directory/new", directory.edit_entry, name="staff_directory_new"),
    path("staff/directory/<slug:slug>", directory.edit_entry, name="staff_directory_edit"),
]
