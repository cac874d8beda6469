from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import services
from .models import Notice


@login_required
@require_safe
def notice_list(request):
    """The notifications page; with ?fragment=1, only its list (site.js refreshes it every minute)."""
    notices = list(services.latest(request.user))
    template = "notices/_list.html" if request.GET.get("fragment") else "notices/list.html"
    return render(request, template, {"notices": notices, "unread": sum(1 for n in notices if not n.is_read)})


@login_required
@require_safe
def open_notice(request, notice_id: int):
    """Following a notice marks it read and goes where it leads (only ever a path on this site)."""
    notice = get_object_or_404(Notice, pk=notice_id, user=request.user)
    services.mark_read(request.user, [notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None) and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("notices:list")


@login_required
@require_POST
def mark_all_read(request):
    if services.mark_read(request.user):
        messages.success(request, _("Every notification is marked as read."))
    return redirect("notices:list")
