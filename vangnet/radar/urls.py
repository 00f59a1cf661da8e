from django.urls import path

from vangnet.radar import views

app_name = "radar"
urlpatterns = [
    path("staff/radar/requests", views.requests_list, name="requests"),
    path("staff/radar/requests/<int:request_id>/answer", views.answer, name="answer"),
    path("staff/radar/cases/<int:case_id>", views.case_radar, name="case"),
    path("staff/radar/cases/<int:case_id>/feedback", views.feedback, name="feedback"),
    path("staff/radar/cases/<int:case_id>/ask", views.ask_details, name="ask"),
]
