from django import forms
from django.utils.translation import gettext_lazy as _

from ui.content import in_reader_language

from .models import Module


class AttemptForm(forms.Form):
    """One radio list per question, or a single confirmation."""

    def __init__(self, *args, module: Module, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module
        if module.kind == Module.Kind.ACKNOWLEDGEMENT:
            self.fields["confirmed"] = forms.BooleanField(
                label=in_reader_language(module.confirmation) or _("I have read this."),
                error_messages={"required": _("Tick the box to confirm you have read this.")},
            )
            return
        for question in module.questions.prefetch_related("choices"):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=in_reader_language(question.text),
                choices=[(choice.pk, in_reader_language(choice.text)) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("q")}
