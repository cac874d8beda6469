from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import Goal

from .models import MAX_SLOTS, Availability, Meeting

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TimesForm(forms.Form):
    """Up to three times, read in the writer's own time zone (the request's active zone)."""

    slot_1 = forms.DateTimeField(label=_("First time"), widget=LOCAL, input_formats=["%Y-%m-%dT%H:%M"])
    slot_2 = forms.DateTimeField(label=_("Second time (optional)"), widget=LOCAL, required=False,
                                 input_formats=["%Y-%m-%dT%H:%M"])  # fmt: skip
    slot_3 = forms.DateTimeField(label=_("Third time (optional)"), widget=LOCAL, required=False,
                                 input_formats=["%Y-%m-%dT%H:%M"])  # fmt: skip

    def starts(self) -> list:
        return [self.cleaned_data[f"slot_{n}"] for n in range(1, MAX_SLOTS + 1) if self.cleaned_data.get(f"slot_{n}")]


class ProposeForm(TimesForm):
    mode = forms.ChoiceField(label=_("How"), choices=Meeting.Mode.choices)
    place = forms.CharField(label=_("Where (in person)"), max_length=200, required=False,
                            help_text=_("A public place, such as the university library's café."))  # fmt: skip
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"), coerce=int, initial=45,
        choices=[(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")), (90, _("1½ hours"))],
    )  # fmt: skip

    field_order = ["mode", "place", "duration_minutes", "slot_1", "slot_2", "slot_3"]

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(value, label) for value, label in Meeting.Mode.choices if value in modes]


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("What I want from this meeting"), max_length=300)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How did it go?"), choices=Meeting.Outcome.choices, widget=forms.RadioSelect)
    missed_by = forms.TypedChoiceField(label=_("Who did not come?"), coerce=int, required=False, empty_value=None)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missed_by"].choices = [("", _("Nobody: it was held"))] + [(p.pk, p.display_name) for p in people]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Meeting.Outcome.NO_SHOW and not data.get("missed_by"):
            self.add_error("missed_by", _("Say who did not come."))
        return data


class NextStepForm(forms.Form):
    """A next step after the meeting; with a goal, it becomes one of the goal's steps too."""

    text = forms.CharField(label=_("Next step"), max_length=300)
    goal = forms.ModelChoiceField(label=_("Add it to a goal (optional)"), queryset=Goal.objects.none(), required=False,
                                  empty_label=_("No goal"))  # fmt: skip

    def __init__(self, *args, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        if match is not None:  # only this match's open goals can be picked
            self.fields["goal"].queryset = match.goals.filter(status=Goal.Status.OPEN).order_by("pk")


class GoalStepForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none())

    def __init__(self, *args, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        if match is not None:
            self.fields["goal"].queryset = match.goals.filter(status=Goal.Status.OPEN).order_by("pk")


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = Availability
        fields = ["weekday", "start", "end"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("End after it starts (a stretch past midnight is two: one on each day)."))
        return data


AvailabilityFormSet = forms.modelformset_factory(
    Availability, form=AvailabilityForm, extra=2, max_num=14, validate_max=True, can_delete=True
)
