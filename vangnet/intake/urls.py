from django.urls import path

from vangnet.intake import views

app_name = "intake"
urlpatterns = [
    path("report/new", views.new_contact, name="start"),
    path("return", views.return_start, name="return"),
    path("return/thread", views.return_thread, name="return_thread"),
    path("return/leave", views.return_leave, name="return_leave"),
    path("staff/inbox", views.inbox, name="inbox"),
    path("staff/contacts/<uuid:public_id>", views.contact_detail, name="contact"),
]
