# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern, URLResolver, path

from vangnet.chat import public_views, staff_views

app_name = "chat"
urlpatterns: list[URLPattern | URLResolver] = [
    # The visitor (public side, no account).
    path("chat/", public_views.start, name="start"),
    path("chat/talk", public_views.talk, name="talk"),
    path("chat/end", public_views.end, name="end"),
    path("chat/continue", public_views.resume, name="resume"),
    path("chat/code", public_views.return_code, name="code"),
    path("chat/come-back", public_views.come_back, name="come_back"),
    # Counsellors and supervisors.
    path("staff/chat/", staff_views.console, name="console"),
    path("staff/chat/lists", staff_views.console_fragment, name="console_fragment"),
    path("staff/chat/next", staff_views.take_next, name="take_next"),
    path("staff/chat/supervise", staff_views.supervise, name="supervise"),
    path("staff/chat/supervise/figures", staff_views.supervise_fragment, name="supervise_fragment"),
    path("staff/chat/<uuid:public_id>/", staff_views.conversation_page, name="conversation"),
    path("staff/chat/<uuid:public_id>/accept", staff_views.accept, name="accept"),
    path(
        "staff/chat/<uuid:public_id>/standard-text",
        staff_views.send_standard_text,
        name="standard_text",
    ),
    path("staff/chat/<uuid:public_id>/transfer", staff_views.transfer, name="transfer"),
    path("staff/chat/<uuid:public_id>/end", staff_views.end, name="staff_end"),
    path("staff/chat/<uuid:public_id>/outcome", staff_views.outcome, name="outcome"),
]
