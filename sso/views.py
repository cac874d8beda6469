from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import OrganisationSignInForm
from .providers import organisation_for_email
from .services import ProviderUnreachable, redirect_to_provider


def start(request):
    """Sign in with your organisation: the e-mail address's domain picks the identity provider."""
    form = OrganisationSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        organisation = organisation_for_email(email)
        if organisation is None:
            form.add_error(
                "email",
                _("No organisation signs in at @%(domain)s here. Please sign in with your password instead.")
                % {"domain": email.rpartition("@")[2].lower()},
            )
        else:
            try:
                onward = redirect_to_provider(request, organisation, email)
                # A page that moves on, not a redirect: the form's Content-Security-Policy (form-action
                # 'self') would block a form whose answer redirects to another origin (Chromium does).
                return render(request, "sso/redirecting.html", {"organisation": organisation, "url": onward.url})
            except ProviderUnreachable:
                messages.error(
                    request,
                    _("%(name)s's sign-in is not answering just now. Please try again in a few minutes.")
                    % {"name": organisation.name},
                )
                return redirect("sso:start")
    status = 400 if form.is_bound else 200
    return render(request, "sso/start.html", {"form": form, "next": request.GET.get("next", "")}, status=status)
