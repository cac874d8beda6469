from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ui.dates import local_date

from . import services
from .email_kinds import OPTIONAL_KINDS, EmailKind, optional_kinds_for
from .forms import AwayForm, EmailPreferencesForm, ProfileForm, TimeZoneForm
from .models import User
from .text_screening import waiting_text
from .unsubscribe import read_unsubscribe_token


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            translation.activate(request.user.language)  # said in the language just chosen
            messages.success(request, _("Your profile has been saved."))
            if form.bio_outcome == "hold":
                messages.info(
                    request,
                    _("Your new bio may contain contact details, so a coordinator will read it before others see it."),
                )
            return redirect("accounts:profile")
    else:
        waiting = waiting_text(request.user, "bio")
        form = ProfileForm(instance=request.user, initial={"bio": waiting} if waiting else None)
    context = {"form": form, "bio_waiting": waiting_text(request.user, "bio"), "now_local": timezone.now()}
    return render(request, "accounts/profile.html", context)


@login_required
def time_zone(request):
    form = TimeZoneForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your time zone is now %(zone)s.") % {"zone": request.user.timezone})
        return redirect("accounts:profile")
    return render(request, "accounts/time_zone.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def email_preferences(request):
    if request.method == "POST" and "void_reply_addresses" in request.POST:
        services.void_reply_addresses(request.user)
        messages.success(request, _("The reply addresses in e-mails you already have no longer work."))
        return redirect("accounts:email_preferences")
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            services.set_email_opt_outs(request.user, form.cleaned_data["wanted_kinds"])
            services.set_replies_by_email(request.user, form.cleaned_data["replies_by_email"])
            messages.success(request, _("Your e-mail preferences have been saved."))
            return redirect("accounts:email_preferences")
    else:
        wanted = [kind.value for kind in optional_kinds_for(request.user) if kind not in request.user.email_opt_outs]
        form = EmailPreferencesForm(
            initial={"wanted_kinds": wanted, "replies_by_email": request.user.replies_by_email}, user=request.user
        )
    return render(request, "accounts/email_preferences.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a token; the signed link is the authority
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a confirmation (mail scanners follow links); POST unsubscribes, no login needed."""
    parsed = read_unsubscribe_token(token)
    user = User.objects.filter(pk=parsed[0]).first() if parsed else None
    if user is None or parsed[1] not in OPTIONAL_KINDS:
        return render(request, "accounts/unsubscribe_invalid.html", status=400)
    kind = EmailKind(parsed[1])
    if request.method == "POST":
        services.unsubscribe(user, kind)
        return render(request, "accounts/unsubscribe_done.html", {"kind": kind})
    return render(request, "accounts/unsubscribe_confirm.html", {"kind": kind, "token": token})


@require_POST
def set_language(request):
    """The footer's language switch, for visitors and signed-in people alike: a cookie for the browser,
    and for a signed-in person their profile (so that e-mails follow too)."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if code not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
    return response


@login_required
def away(request):
    """Away mode: set the last day away, or come back early."""
    if request.method == "POST" and "back" in request.POST:
        services.set_away(request.user, None)
        messages.success(request, _("Welcome back: reminders and requests start again."))
        return redirect("accounts:away")
    form = AwayForm(request.POST if request.method == "POST" else None, user=request.user,
                    initial={"away_until": request.user.away_until if request.user.is_away else None})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.set_away(request.user, form.cleaned_data["away_until"])
        messages.success(
            request,
            _("You are away until %(date)s. Enjoy the break.")
            % {"date": local_date(form.cleaned_data["away_until"], "j F Y")},
        )
        return redirect("accounts:away")
    return render(request, "accounts/away.html", {"form": form})
