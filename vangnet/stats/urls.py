# SPDX-License-Identifier: EUPL-1.2
"""Stable public URLs for the figures (no login), staff pages under /staff/stats/."""

from django.urls import URLPattern, URLResolver, path

from vangnet.stats import views

app_name = "stats"
urlpatterns: list[URLPattern | URLResolver] = [
    path("figures", views.index, name="figures"),
    path("figures.csv", views.download, name="figures_csv"),
    path("figures/<slug:region>", views.region, name="region"),
    path("figures/<slug:region>.csv", views.download, name="region_csv"),
    path("figures/<slug:region>/<slug:municipality>", views.municipality, name="municipality"),
    path(
        "figures/<slug:region>/<slug:municipality>.csv",
        views.download,
        name="municipality_csv",
    ),
    path("staff/stats/", views.staff_overview, name="staff"),
    path("staff/stats/publish", views.staff_publish, name="staff_publish"),
    path("staff/stats/raw.csv", views.staff_raw_csv, name="staff_raw_csv"),
]
