"""The framework's floor, for `make bench` only (the URLs exist only when BENCH_VIEWS is on)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from matching.models import Programme, Topic


def hello(request):
    return HttpResponse("hello")


@login_required
def session(request):
    """A signed-in session and three simple queries: what any page of ours costs at least."""
    values = (Programme.objects.filter(pk=1).exists(), Topic.objects.count(), request.user.memberships.exists())
    return HttpResponse(repr(values))
