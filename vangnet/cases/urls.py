# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern, URLResolver, path

from vangnet.cases.views import dossier, lists, work

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/cases/", lists.worklist, name="worklist"),
    path("staff/cases/waiting", lists.waiting_list, name="waiting_list"),
    path("staff/cases/all", lists.case_list, name="case_list"),
    path("staff/cases/register", dossier.register, name="register"),
    path(
        "staff/cases/from-report/<int:report_id>",
        dossier.open_from_report,
        name="open_from_report",
    ),
    path("staff/cases/<int:case_id>", dossier.detail, name="detail"),
    path("staff/cases/<int:case_id>/assessment", work.assessment, name="assessment"),
    path("staff/cases/<int:case_id>/investigation", work.investigation, name="investigation"),
    path("staff/cases/<int:case_id>/persons/<int:person_id>", work.person_edit, name="person_edit"),
    path(
        "staff/cases/<int:case_id>/conditions/<int:condition_id>",
        work.condition_status,
        name="condition_status",
    ),
    path("staff/cases/<int:case_id>/plans/<slug:kind>", work.plan, name="plan"),
    path(
        "staff/cases/<int:case_id>/monitoring/<int:moment_id>",
        work.monitoring_done,
        name="monitoring_done",
    ),
    path(
        "staff/cases/<int:case_id>/feedback/<int:link_id>/<slug:moment>",
        work.feedback,
        name="feedback",
    ),
    path(
        "staff/cases/<int:case_id>/school-signals/<int:signal_id>",
        work.school_signal,
        name="school_signal",
    ),
    path("staff/cases/<int:case_id>/<slug:slug>", work.case_action, name="action"),
]
