from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("programmes/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("programmes/<slug:slug>/guardian/", views.guardian, name="guardian"),
    path("programmes/<slug:slug>/suggestions/", views.suggestions, name="suggestions"),
    path("programmes/<slug:slug>/suggestions/<int:mentor_id>/request/", views.request_mentor, name="request"),
    path("join/", views.join_form, name="join_form"),
    path("join/<str:code>/", views.join, name="join"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/decline/", views.decline_invitation, name="decline_invitation"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:match_id>/accept/", views.accept_request, name="accept"),
    path("requests/<int:match_id>/decline/", views.decline_request, name="decline"),
    path("requests/<int:match_id>/withdraw/", views.withdraw_request, name="withdraw"),
    path("matches/<int:match_id>/", views.match_detail, name="match"),
    path("matches/<int:match_id>/close/", views.close_match, name="close"),
    path("matches/<int:match_id>/co-mentor/", views.invite_co_mentor, name="invite_co_mentor"),
    path("co-mentoring/<int:invitation_id>/answer/", views.answer_co_mentor, name="answer_co_mentor"),
    path("matches/<int:match_id>/goals/add/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("steps/<int:milestone_id>/toggle/", views.milestone_toggle, name="milestone_toggle"),
]
