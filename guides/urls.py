from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [path("matches/<int:match_id>/prompt/", views.prompt, name="prompt")]
