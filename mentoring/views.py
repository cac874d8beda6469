from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from matching import invitations, selectors
from matching.models import Match, Membership

from . import data_rights
from .forms import EraseAccountForm
from .health import database_status, redis_status


@require_safe
def home(request):
    """Visitors see what the platform is; signed-in people see their dashboard."""
    if request.user.is_authenticated:
        return render(
            request,
            "dashboard.html",
            {
                "memberships": Membership.objects.filter(user=request.user)
                .exclude(status=Membership.Status.WITHDRAWN)
                .select_related("programme"),
                "matches": selectors.matches_of(request.user, Match.CURRENT),
                "waiting_for_me": selectors.requests_waiting_for(request.user).count(),
                "invitations": invitations.for_person(request.user).exclude(programme__memberships__user=request.user),
            },
        )
    return render(request, "landing.html")


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_status(), "redis": redis_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


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
