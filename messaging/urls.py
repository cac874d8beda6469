from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/needs-me/", views.needs_me, name="needs_me"),
    path("messages/search/", views.search_page, name="search"),
    path("messages/export/", views.export_all, name="export_all"),
    path("announcements/", views.announcements, name="announcements"),
    path("messages/new/<int:match_id>/", views.new_conversation, name="new"),
    path("messages/<int:conversation_id>/", views.thread, name="thread"),
    path("messages/<int:conversation_id>/reply/", views.reply, name="reply"),
    path("messages/<int:conversation_id>/preview/", views.preview, name="preview"),
    path("messages/<int:conversation_id>/draft/", views.draft, name="draft"),
    path("messages/<int:conversation_id>/schedule/", views.schedule, name="schedule"),
    path("messages/<int:conversation_id>/scheduled/", views.scheduled, name="scheduled"),
    path("messages/scheduled/<int:scheduled_id>/cancel/", views.cancel_scheduled, name="cancel_scheduled"),
    path("messages/<int:conversation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("messages/<int:conversation_id>/archive/", views.archive, name="archive"),
    path("messages/<int:conversation_id>/mute/", views.mute, name="mute"),
    path("messages/<int:conversation_id>/export/", views.export_conversation, name="export"),
    path("messages/m/<int:message_id>/edit/", views.edit, name="edit"),
    path("messages/m/<int:message_id>/report/", views.report, name="report"),
]
