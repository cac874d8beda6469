"""Announcements as coordinators send them: to one of their programmes, or a part of it. Sent once, on
saving; never edited afterwards (people have read them)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from coordination.scoping import ProgrammeScopedAdminMixin
from messaging import announcements
from messaging.models import Announcement


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ("programme", "segment", "subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        programme = self.cleaned_data.get("programme")
        if programme is not None:
            from accounts.text_screening import policies_for, refuse_contact_details

            refuse_contact_details(subject, policies_for(programme=programme))
        return subject

    def clean(self):
        cleaned = super().clean()
        programme, segment = cleaned.get("programme"), cleaned.get("segment")
        if programme is not None and segment and not announcements.recipients(programme, segment).exists():
            raise ValidationError(_("Nobody in this programme is in that group yet: nothing would be sent."))
        return cleaned


@admin.register(Announcement)
class AnnouncementAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ("subject", "programme", "segment", "sent_at", "recipients_count", "read")
    list_filter = ("segment", ("programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("programme",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)))
        )

    @admin.display(description=_("read in the app"))
    def read(self, announcement):
        return announcement.read_count

    def get_readonly_fields(self, request, obj=None):
        return ("programme", "segment", "subject", "body", "author", "sent_at", "recipients_count") if obj else ()

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        announcements.send(obj)
        self.message_user(request, _("Sent to %(count)d people.") % {"count": obj.recipients_count}, messages.SUCCESS)
