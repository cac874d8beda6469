"""The thread page, kept whole in the cache under a key of everything it shows.

Opening a conversation is what people do most, and the page costs far more to render (every
message with its receipts and links, the layout around it) than to check. So the view reads, in one
query, the small facts the page is made from (selectors.thread_stamp: who is in it and their state,
the conversation's messages_version, the viewer's draft), hashes them with what differs between
viewers (zone, language, name), and renders only when that exact page has not been rendered before.
Nothing is invalidated by hand: any change to what the page shows changes its key. So does the
passing of time where the page shows it: "waiting 3 days" is in the key, and so is the viewer's
oldest message still in its edit window (when its Edit link lapses, that changes). Only how quickly
people usually reply is read at rendering alone: it may lag by up to twice TIMEOUT (a copy taken
from Redis into a process's memory starts a TIMEOUT of its own).

Each form's CSRF token is cut out before the page is stored and the viewer's own put back when it
is served. Pages carrying a one-off notice ("Draft saved.") are never stored. Pages are kept in
each process's memory (the "pages" cache) in front of Redis: their keys name their content, so a
copy is never out of date, only evicted. Redis is a convenience: when it is unreachable the page
is rendered as usual.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation

from .forms import new_submission_key
from .selectors import ThreadStamp
from .templatetags import messaging_tags

logger = logging.getLogger(__name__)

TIMEOUT = 600  # seconds
TEMPLATES = ("base.html", "messaging/thread.html", "messaging/_message_list.html", "messaging/_message.html")
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_TOKEN_SLOT = 'name="csrfmiddlewaretoken" value="{}"'  # noqa: S105 - a form field, not a secret
_NO_TOKEN = _TOKEN_SLOT.format("")
# The reply form's submission key (messaging.forms.new_submission_key): one per page served, never cached.
SUBMISSION_SLOT = "submission-key-of-this-page"


@once
def _code_digest() -> str:
    """The templates and the messaging code the page is made with (views, selectors, services, filters),
    so that a deploy changing any of them changes every key."""
    package = Path(__file__).parent
    code = sorted([*package.glob("*.py"), *package.glob("templatetags/*.py")])
    sources = [Path(get_template(name).origin.name).read_bytes() for name in TEMPLATES]
    sources += [path.read_bytes() for path in code]
    return hashlib.sha256(b"\0".join(sources)).hexdigest()


def key(request, stamp: ThreadStamp) -> str | None:
    """Everything the page shows, hashed; None when this page must not be stored."""
    if len(get_messages(request)):  # a one-off notice is shown on this page only
        return None
    user = request.user
    state = (
        _code_digest(),
        (user.pk, user.display_name, user.is_staff, timezone.get_current_timezone_name(), translation.get_language()),
        (request.GET.get("before", ""), request.GET.get("quote", "")),
        stamp.shown,
        [messaging_tags.waited(person.awaiting_reply_since) for person in stamp.people],  # "waiting 3 days" moves on
    )
    return "thread-page:" + hashlib.sha256(repr(state).encode()).hexdigest()


def page(request, stamp: ThreadStamp, render: Callable[[], str]) -> str:
    """The page from this process's memory or else the shared cache, with this request's CSRF token;
    else `render()`, kept in both for next time."""
    page_key = key(request, stamp)
    if page_key is None:
        return render().replace(SUBMISSION_SLOT, new_submission_key())
    stored = caches["pages"].get(page_key)
    if stored is None:
        shared_up, stored = _shared_get(page_key)
        if stored is None:
            html = render()
            stored = _TOKEN.sub(_NO_TOKEN, html)
            caches["pages"].set(page_key, stored, TIMEOUT)
            if shared_up:
                _shared_set(page_key, stored)
            return html.replace(SUBMISSION_SLOT, new_submission_key())
        caches["pages"].set(page_key, stored, TIMEOUT)
    return _personal(stored, request)


def _personal(stored: str, request) -> str:
    """A stored page made this request's: its CSRF token and a submission key of its own."""
    return stored.replace(_NO_TOKEN, _TOKEN_SLOT.format(get_token(request))).replace(
        SUBMISSION_SLOT, new_submission_key()
    )


def _shared_get(page_key: str) -> tuple[bool, str | None]:
    try:
        return True, caches["redis"].get(page_key)
    except Exception:  # a Redis outage must not break reading: this process's memory still serves
        logger.warning("Thread page not read from the shared cache", exc_info=True)
        return False, None


def _shared_set(page_key: str, stored: str) -> None:
    try:
        caches["redis"].set(page_key, stored, TIMEOUT)
    except Exception:
        logger.warning("Thread page not kept in the shared cache", exc_info=True)
