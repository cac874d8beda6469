import datetime

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ui.widgets import FastSelect

from .email_kinds import OPTIONAL_KINDS, optional_kinds_for
from .languages import SPOKEN_LANGUAGE_CHOICES, chosen_first, language_picker, site_language_choices
from .models import User
from .text_screening import (
    DEFAULT_POLICY,
    policies_for,
    refuse_contact_details,
    screen_free_text,
    validate_single_line,
    waiting_text,
)
from .timezones import timezone_choices, validate_timezone


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password."""

    field_order = ["display_name", "email", "password1", "password2"]

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=_("How other people in your programmes will see you. Your e-mail address stays private."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Filled in by static/js/site.js from the browser; people correct it on their time zone page.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter the name people should see."))
        validate_single_line(name)
        refuse_contact_details(name, [DEFAULT_POLICY])  # nobody's programmes yet: the defaults
        return name

    def clean_timezone(self):
        value = self.cleaned_data.get("timezone") or ""
        try:
            validate_timezone(value)
        except forms.ValidationError:
            return ""  # Unknown or missing: keep the site default rather than fail sign-up.
        return value

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        if self.cleaned_data.get("timezone"):
            user.timezone = self.cleaned_data["timezone"]
        # The language they signed up in (their browser's, or the footer's choice) is theirs from now on.
        if translation.get_language() in dict(settings.LANGUAGES):
            user.language = translation.get_language()
        user.save(update_fields=["display_name", "timezone", "language"])


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class TimeZoneForm(forms.ModelForm):
    """The time zone on a page of its own: its ~430 choices were 35 KB of the profile's 49 KB, and a
    person's zone is set at sign-up from their browser and rarely changed."""

    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, widget=FastSelect)

    class Meta:
        model = User
        fields = ["timezone"]


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGE_CHOICES,
        required=False,
        widget=language_picker(),
        help_text=_("Every language you could mentor or be mentored in."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Digest hour"),
        coerce=int,
        choices=[(hour, _hour_label(hour)) for hour in range(24)],
        help_text=_("When daily and weekly digests arrive, in your time zone."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "pronouns",
            "bio",
            "languages",
            "language",
            "notification_preference",
            "digest_hour",
            "digest_weekday",
            "quiet_hours_start",
            "quiet_hours_end",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "notification_preference": forms.RadioSelect,
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # With 184 languages, the ones already chosen come first so that people can see them.
        self.fields["languages"].choices = chosen_first(self.fields["languages"].choices, self.instance.languages)
        # The site's own language (and the e-mails'): each named in its own words.
        self.fields["language"] = forms.ChoiceField(
            label=_("Language for the site and your e-mails"), choices=site_language_choices(), required=False
        )
        if self.instance.pk and self.instance.is_under_18:
            # Nothing here asks a young person to share more than they need to (the Age Appropriate
            # Design Code): the bio is plainly optional, and says what to leave out.
            self.fields["bio"].help_text = _(
                "Optional. Only a mentor you ask, your match and your coordinators see it. Leave out your school, "
                "where you live and anything that identifies you."
            )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter the name people should see."))
        refuse_contact_details(name, policies_for(person=self.instance))
        return name

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language  # a form without the field keeps it

    def clean_pronouns(self):
        pronouns = self.cleaned_data["pronouns"].strip()
        refuse_contact_details(pronouns, policies_for(person=self.instance))
        return pronouns

    def save(self, commit=True):
        """The bio is read by others: screened like a message (accounts.text_screening). A bio that did not
        change is not read again (one a coordinator approved stays approved)."""
        user = super().save(commit=False)
        bio = (self.cleaned_data.get("bio") or "").strip()
        published = User.objects.filter(pk=user.pk).values_list("bio", flat=True).first() or ""
        user.bio = published
        self.bio_outcome = "unchanged"
        if commit:
            with transaction.atomic():
                user.save()
                if bio == (waiting_text(user, "bio") or published):
                    self.bio_outcome = "hold" if bio != published else "unchanged"
                else:
                    self.bio_outcome = screen_free_text(user, "bio", bio, user, policies_for(person=user))
                    user.save(update_fields=["bio"])
                self._save_m2m()
        return user


class EmailPreferencesForm(forms.Form):
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Send me e-mails about"),
        choices=[(kind.value, kind.label) for kind in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    replies_by_email = forms.BooleanField(
        label=_("Let me answer a message by replying to its e-mail"),
        help_text=_("Where your programme allows it. Your reply is checked like a message on the site, and your "
                    "e-mail address is never shown."),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wanted_kinds"].choices = [(kind.value, kind.label) for kind in optional_kinds_for(user)]


class AwayForm(forms.Form):
    """Away mode: the last day one is away, in one's own time zone."""

    away_until = forms.DateField(
        label=_("I am away until (and including)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date."), "required": _("Choose the last day you are away.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_away_until(self):
        from .services import MAX_AWAY_DAYS

        until = self.cleaned_data["away_until"]
        today = self.user.local_now().date()
        if until < today:
            raise forms.ValidationError(_("That day has passed: choose today or a later day."))
        if until > today + datetime.timedelta(days=MAX_AWAY_DAYS):
            raise forms.ValidationError(
                _("Away mode lasts up to %(days)s days. For a longer break, talk to your coordinator.")
                % {"days": MAX_AWAY_DAYS}
            )
        return until
