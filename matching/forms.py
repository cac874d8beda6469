from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import SPOKEN_LANGUAGE_CHOICES, chosen_first, language_picker
from accounts.models import age_on
from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line
from consent.services import ConsentError, check_guardian_address

from .models import Gender, Goal, Match, Membership, Milestone, Role, Topic


def question_field(question) -> forms.Field:
    """The form field for one of the programme's questions (never required here: EnrolForm._answers
    asks for a required one only of the role it is for)."""
    kind, label = question.kind, question.text
    if kind == "single":
        field = forms.ChoiceField(label=label, choices=[(c, c) for c in question.choices], widget=forms.RadioSelect)
    elif kind == "multiple":
        field = forms.MultipleChoiceField(
            label=label, choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple
        )
    elif kind == "scale":
        field = forms.TypedChoiceField(
            label=label, choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect,
            help_text=_("1: not at all · 5: very much"),
        )  # fmt: skip
    else:
        field = forms.CharField(label=label, max_length=100, validators=[validate_single_line])
    field.required = False
    if question.role:
        field.widget.attrs["data-for-role"] = question.role
    return field


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your invitation code"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class EnrolForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("I would like to join as"), choices=Role.choices, widget=forms.RadioSelect)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mentees: what you would like help with. Mentors: what you can help with."),
        error_messages={
            "required": _("Choose at least one topic."),
            "invalid_choice": _("Choose topics from the list."),
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you could be mentored or mentor in"),
        choices=SPOKEN_LANGUAGE_CHOICES,
        widget=language_picker(),
        error_messages={"required": _("Choose at least one language: matches need a language in common.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Prefer not to say")), *Gender.choices],
        required=False,
        help_text=_("Only used to honour a mentee's preference for a mentor. Never shown to anyone."),
    )
    preferred_mentor_gender = forms.ChoiceField(
        label=_("I would prefer a mentor who is (optional)"),
        choices=[("", _("No preference")), *Gender.choices],
        required=False,
    )
    accept_agreement = forms.BooleanField(
        label=_("I have read and accept the programme's agreement"),
        error_messages={"required": _("Please accept the agreement to enrol.")},
    )
    # Programmes for young people only (removed in __init__ otherwise).
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Seen only by you and the programme's coordinators."),
        error_messages={"required": _("Please give your date of birth."), "invalid": _("Enter a real date.")},
    )
    guardian_name = forms.CharField(label=_("Your parent's or guardian's name"), max_length=120, required=False)
    guardian_email = forms.EmailField(
        label=_("Your parent's or guardian's e-mail address"),
        required=False,
        help_text=_("Only if you are under %(age)s: we will ask them to agree before you are matched."),
    )

    class Meta:
        model = Membership
        fields = ["role", "topics", "goals", "languages", "capacity", "gender", "preferred_mentor_gender"]
        labels = {"capacity": _("How many mentees could you support at once?")}
        widgets = {"goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, user, invitation=None, join_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        # Invited in a role, or with a code for one role: that is the role.
        fixed = invitation if invitation is not None else (join_code if join_code and join_code.role else None)
        if fixed is not None:
            self.fields["role"].choices = [(fixed.role, fixed.get_role_display())]
            self.fields["role"].initial = fixed.role
        topics = programme.topics.all()
        self.fields["topics"].queryset = topics if topics.exists() else Topic.objects.all()
        self.fields["capacity"].initial = programme.default_mentor_capacity
        self.fields["capacity"].required = False  # only mentors need to say
        chosen = self.data.getlist("languages") if self.is_bound else user.languages
        self.fields["languages"].initial = user.languages
        self.fields["languages"].choices = chosen_first(SPOKEN_LANGUAGE_CHOICES, chosen)
        if not programme.agreement:
            del self.fields["accept_agreement"]
        # Each role's own questions (static/js/forms.js shows the chosen role's; without it, all show
        # and the other role's answers are ignored in clean()).
        for name, role in (("capacity", Role.MENTOR), ("preferred_mentor_gender", Role.MENTEE),
                           ("guardian_name", Role.MENTEE), ("guardian_email", Role.MENTEE)):  # fmt: skip
            if name in self.fields:
                self.fields[name].widget.attrs["data-for-role"] = role
        self.questions = list(programme.questions.all())
        given = invitation.answers if invitation is not None else {}  # what the coordinator's list said
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = question_field(question)
            if str(question.pk) in given:
                self.fields[f"question_{question.pk}"].initial = given[str(question.pk)]
        self.user = user
        if programme.for_young_people:
            self.fields["date_of_birth"].initial = user.date_of_birth
            self.fields["guardian_email"].help_text = self.fields["guardian_email"].help_text % {
                "age": programme.consent_age
            }
        else:
            for name in ("date_of_birth", "guardian_name", "guardian_email"):
                del self.fields[name]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        if age_on(born, today) < 8 or born.year < today.year - 120:
            raise forms.ValidationError(_("Please check your date of birth."))
        return born

    def clean_guardian_name(self):
        name = self.cleaned_data["guardian_name"].strip()
        validate_single_line(name)
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.MENTEE:
            cleaned["capacity"] = 1
            self.errors.pop("capacity", None)
        else:
            cleaned["preferred_mentor_gender"] = ""
            if cleaned.get("capacity") is None and "capacity" not in self.errors:
                self.add_error("capacity", _("Say how many mentees you could support at once."))
        cleaned["answers"] = self._answers(cleaned)
        born = cleaned.get("date_of_birth")
        if self.programme.for_young_people and born:
            age = age_on(born, timezone.localdate())
            if cleaned.get("role") == Role.MENTOR and age < 18:
                self.add_error("date_of_birth", _("Mentors in this programme must be 18 or over."))
            elif cleaned.get("role") == Role.MENTEE and age < self.programme.consent_age:
                self._clean_guardian(cleaned)
            else:
                cleaned["guardian_email"] = cleaned["guardian_name"] = ""
        return cleaned

    def _answers(self, cleaned) -> dict:
        """The chosen role's answers, by question id; a required one left empty is an error on its field."""
        role, answers = cleaned.get("role"), {}
        for question in self.questions:
            name = f"question_{question.pk}"
            value = cleaned.get(name)
            if not question.asked_of(role):
                self.errors.pop(name, None)
                continue
            if value in (None, "", []):
                if question.required and name not in self.errors:
                    self.add_error(name, _("Please answer this question."))
                continue
            answers[str(question.pk)] = value
        return answers

    def _clean_guardian(self, cleaned) -> None:
        address = cleaned.get("guardian_email")
        if not address:
            if "guardian_email" not in self.errors:
                self.add_error("guardian_email", _("Please give your parent's or guardian's e-mail address."))
            return
        try:
            check_guardian_address(self.user, address)
        except ConsentError as error:
            self.add_error("guardian_email", str(error))


class GuardianForm(forms.Form):
    """Asking (or asking again) for a guardian's consent after enrolling, from the programme page."""

    date_of_birth = forms.DateField(required=False, error_messages={"invalid": _("Enter a real date.")})
    guardian_email = forms.EmailField(
        error_messages={
            "required": _("Please give your parent's or guardian's e-mail address."),
            "invalid": _("Enter a valid e-mail address."),
        }
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        return born


class RequestForm(forms.Form):
    note = forms.CharField(
        label=_("A short note to the mentor (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say hello and what you hope they can help with."),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the match ending?"), choices=Match.CloseReason.choices, widget=forms.RadioSelect
    )
    rating = forms.TypedChoiceField(
        label=_("How was it, from 1 (poor) to 5 (excellent)?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(
        label=_("Anything you would like to say (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shared with your programme coordinators, not with the other person."),
    )


class GoalForm(forms.ModelForm):
    """The goal's title is one line the other person reads: no contact details. Its details are a
    free text, screened when it is saved (services.save_goal)."""

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        refuse_contact_details(title, policies_for(programme=self.programme))
        return title

    class Meta:
        model = Goal
        fields = ["title", "description", "target_date", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class MilestoneForm(forms.ModelForm):
    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        refuse_contact_details(title, policies_for(programme=self.programme))
        return title


MilestoneFormSet = forms.inlineformset_factory(
    Goal,
    Milestone,
    form=MilestoneForm,
    fields=["title", "done"],
    extra=2,
    max_num=20,
    can_delete=True,
    labels={"title": _("Step"), "done": _("Done")},
)
