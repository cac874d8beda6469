import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line

from .models import MAX_BODY_LENGTH


def new_submission_key() -> str:
    """A key for one rendering of a form that sends: the same submission posted twice (a double click,
    a retry, two tabs of the same page) sends one message."""
    return uuid.uuid4().hex


class SubmissionField(forms.CharField):
    """The hidden key of a submission; anything but a key reads as none (the message is sent, once)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, widget=forms.HiddenInput, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value if len(value) == 32 and all(c in "0123456789abcdef" for c in value) else ""


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "class": "message-body"}),
        help_text=_("Markdown works: **bold**, _italic_, > quote, - lists, [links](https://…)."),
        error_messages={"required": _("Your message is empty.")},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submission = SubmissionField()


class DraftForm(forms.Form):
    """What autosave sends: possibly empty, never trimmed, and never NUL or an out-of-range id."""

    body = forms.CharField(max_length=MAX_BODY_LENGTH, required=False, strip=False)
    reply_to = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    # The reply form's key: once a message was sent with it, this form's autosave has nothing to keep.
    submission = SubmissionField()


class NewConversationForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[validate_single_line])
    field_order = ["subject", "body"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_subject(self):
        """The subject shows in the other person's inbox at once, even while the first message is held."""
        subject = self.cleaned_data["subject"].strip()
        refuse_contact_details(subject, policies_for(programme=self.programme))
        return subject


class AcknowledgeForm(forms.Form):
    reply_by = forms.DateField(
        label=_("I will reply properly by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What worries you?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only the programme's safeguarding lead sees this. "
            "If someone is in danger now, call the emergency services."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your messages"), max_length=200, required=False)
    match = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sender = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
