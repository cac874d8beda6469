from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.index, name="index"),
    path("training/<slug:slug>/", views.module, name="module"),
]
