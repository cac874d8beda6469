from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from matching.models import Match

from . import services


@login_required
@require_GET
def prompt(request, match_id):
    """This week's prompt, as a fragment the thread page loads beside the reply box (so the cached
    thread page itself never changes with the week)."""
    match = get_object_or_404(Match.objects.filter(members__user=request.user, status=Match.Status.ACTIVE), pk=match_id)
    return render(request, "guides/_prompt.html", {"prompt": services.prompt_for(match)})
