from django.urls import path

from vangnet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("step-up", views.step_up_view, name="step_up"),
    path("", views.dashboard, name="dashboard"),
]
