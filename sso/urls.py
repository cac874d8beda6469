from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("sign-in/organisation/", views.start, name="start"),
]
