from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("matches/<int:match_id>/agreement/", views.agreement, name="agreement"),
    path("agreements/<int:agreement_id>/sign/", views.sign, name="sign"),
    path("agreements/<int:agreement_id>/decline/", views.decline, name="decline"),
]
