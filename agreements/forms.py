from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agreement


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["goals", "writing_frequency", "reply_within_days", "meetings", "ground_rules"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "meetings": forms.Textarea(attrs={"rows": 2}),
            "ground_rules": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "goals": _("Two or three things the mentee wants from these months."),
            "ground_rules": _("Start from the programme's, and add your own."),
        }
