"""A person's rights over their data, on the site: a copy of all of it, and erasure."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import data_rights
from .forms import EraseAccountForm


@login_required
@require_safe
def my_data(request):
    """Download everything the platform holds about me."""
    response = JsonResponse(
        data_rights.personal_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="my-mentoring-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@login_required
def erase_account(request):
    form = EraseAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_rights.erase_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been erased. Thank you for being part of the programme."))
        return redirect("home")
    return render(request, "accounts/erase.html", {"form": form})
