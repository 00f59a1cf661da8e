# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern, URLResolver, path

from vangnet.referrals.views import directory, public, sharing

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    # Public: the help finder and the whole directory.
    path("help", public.help_finder, name="help_finder"),
    path("help/all", public.directory_list, name="directory"),
    # Staff: the help directory.
    path("staff/directory", directory.staff_directory, name="staff_directory"),
    path("staff/directory/new", directory.edit_entry, name="staff_directory_new"),
    path("staff/directory/<slug:slug>", directory.edit_entry, name="staff_directory_edit"),
    # Staff: consent, legal grounds, referrals and police forwardings.
    path("staff/sharing/approvals", sharing.approvals, name="approvals"),
    path("staff/sharing/incoming", sharing.incoming, name="incoming"),
    path("staff/sharing/cases/<int:case_id>", sharing.case_sharing, name="case_sharing"),
    path("staff/sharing/cases/<int:case_id>/consent", sharing.consent_new, name="consent_new"),
    path(
        "staff/sharing/cases/<int:case_id>/legal-ground",
        sharing.legal_ground_new,
        name="legal_ground_new",
    ),
    path("staff/sharing/cases/<int:case_id>/referral", sharing.referral_new, name="referral_new"),
    path("staff/sharing/cases/<int:case_id>/police", sharing.forwarding_new, name="forwarding_new"),
    path(
        "staff/sharing/consents/<int:consent_id>/withdraw",
        sharing.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "staff/sharing/legal-grounds/<int:ground_id>/withdraw",
        sharing.legal_ground_withdraw,
        name="legal_ground_withdraw",
    ),
    path("staff/sharing/referrals/<uuid:public_id>", sharing.referral_detail, name="referral"),
    path("staff/sharing/police/<uuid:public_id>", sharing.forwarding_detail, name="forwarding"),
    path(
        "staff/sharing/police/<uuid:public_id>/package.<str:fmt>",
        sharing.package,
        name="package",
    ),
    path("staff/sharing/<str:kind>/<uuid:public_id>/approve", sharing.approve, name="approve"),
    path(
        "staff/sharing/<str:kind>/<uuid:public_id>/<str:name>",
        sharing.transition,
        name="transition",
    ),
]
