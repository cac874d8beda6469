from django.urls import path

from . import views

urlpatterns = [
    path("profile/data/", views.my_data, name="my_data"),
    path("profile/erase/", views.erase_account, name="erase_account"),
]
