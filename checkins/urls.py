from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [path("check-in/<str:token>/", views.answer, name="answer")]
