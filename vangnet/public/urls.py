from django.urls import path

from vangnet.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("hide-your-visit", views.hide_visit, name="hide_visit"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
]
