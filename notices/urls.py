from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:notice_id>/", views.open_notice, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
]
