import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class ViewerTimezoneMiddleware:
    """Show every time in the viewer's own time zone: the one on their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ViewerLanguageMiddleware:
    """Pages in the language on a signed-in person's profile, whatever the browser asks for.

    Django's LocaleMiddleware runs first (before anyone is known) and chooses from the language cookie,
    then Accept-Language: that is what visitors get. Once the person is known, their own choice wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def can_read_conversations(user) -> bool:
    """Coordinators, safeguarding leads and superusers: staff."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


class StaffSecurityMiddleware:
    """For everyone who can read other people's conversations:

    - no admin page opens until a second factor is set up (they are sent to set one up), so an admin
      session has always passed it: the admin's login is allauth's, whose sign-in asks for the code;
    - a session ends after STAFF_IDLE_SECONDS without a request (30 minutes).
    """

    # Seen more recently than this, the session is not written again just to say so.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not can_read_conversations(user):
            return self.get_response(request)
        now = time.time()
        last_seen = request.session.get("staff_last_seen")
        if last_seen is not None and now - last_seen > settings.STAFF_IDLE_SECONDS:
            logout(request)
            messages.info(request, _("You were signed out after 30 minutes without activity. Please sign in again."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
        if last_seen is None or now - last_seen > self.TOUCH_EVERY:
            request.session["staff_last_seen"] = now
        if request.path.startswith(reverse("admin:index")) and not is_mfa_enabled(user):
            messages.warning(
                request,
                _("You can read other people's conversations, so your account needs a second factor before the "
                  "admin opens: set up an authenticator app or a security key."),
            )  # fmt: skip
            return redirect("mfa_index")
        return self.get_response(request)
