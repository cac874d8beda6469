from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("consent/<str:token>/", views.answer, name="answer"),
    path("consent/<str:token>/withdraw/", views.withdraw, name="withdraw"),
]
