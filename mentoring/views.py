from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from matching import invitations, selectors
from matching.models import Match, Membership
from messaging import announcements
from messaging import selectors as messaging_selectors
from notices import services as notices

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
                "matches": selectors.named_for(request.user, selectors.matches_of(request.user, Match.CURRENT)),
                "waiting_for_me": selectors.requests_waiting_for(request.user).count(),
                "invitations": invitations.for_person(request.user).exclude(programme__memberships__user=request.user),
                "new_announcements": announcements.unread_count(request.user),
                "replies_owed": messaging_selectors.replies_owed(request.user),
                "owed_shown": messaging_selectors.OWED_SHOWN,
                "unread_notices": notices.unread_count(request.user),
            },
        )
    return render(request, "landing.html")


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_status(), "redis": redis_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
