from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("matches/<int:match_id>/meetings/", views.match_meetings, name="match_meetings"),
    path("matches/<int:match_id>/meetings/next/", views.thread_card, name="thread_card"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/choose/", views.choose, name="choose"),
    path("meetings/<int:meeting_id>/times/", views.other_times, name="other_times"),
    path("meetings/<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:meeting_id>/agenda/", views.add_agenda, name="add_agenda"),
    path("meetings/<int:meeting_id>/agenda/from-thread/", views.add_from_thread, name="add_from_thread"),
    path("meetings/<int:meeting_id>/next-steps/", views.add_next_step, name="add_next_step"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/goal/", views.goal_step, name="goal_step"),
    path("meetings/<int:meeting_id>/outcome/", views.outcome, name="outcome"),
    path("meetings/<int:meeting_id>/meeting.ics", views.download, name="download"),
    path("meetings/calendar/", views.calendar_link, name="calendar_link"),
    path("meetings/availability/", views.availability, name="availability"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
