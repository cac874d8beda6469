from django import forms
from django.utils.translation import gettext_lazy as _

from ui.content import in_reader_language

from .models import Question

CHOICES = {
    Question.Kind.FIT: [
        ("good", _("A good fit")),
        ("deciding", _("Still deciding")),
        ("not_good", _("Not a good fit")),
    ],
    Question.Kind.SCALE: [(str(n), str(n)) for n in range(1, 6)],
    Question.Kind.SAFE: [("yes", _("Yes")), ("no", _("No"))],
}


class CheckInForm(forms.Form):
    """One tap per answer: every question is a row of large buttons; every answer may be left out."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            label = in_reader_language(question.text)
            if question.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(label=label, required=False, max_length=2000,
                                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
            else:
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=CHOICES[question.kind], required=False, widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("Choose one of the answers shown.")},
                )  # fmt: skip

    def answers(self) -> dict[int, tuple[str, str]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}") or ""
            result[question.pk] = ("", value) if question.kind == Question.Kind.TEXT else (value, "")
        return result
