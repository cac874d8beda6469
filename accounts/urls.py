from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/time-zone/", views.time_zone, name="time_zone"),
    path("profile/emails/", views.email_preferences, name="email_preferences"),
    path("profile/away/", views.away, name="away"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("language/", views.set_language, name="set_language"),
]
