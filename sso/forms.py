from django import forms
from django.utils.translation import gettext_lazy as _


class OrganisationSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Your organisation e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": _("name@school.org.uk")}),
    )
