"""The thread page, kept whole in the cache under a key of everything it shows.

Opening a conversation is what people do most, and the page costs far more to render (every
message with its receipts and links, the layout around it) than to check. So the view reads, in one
query, the small facts the page is made from (selectors.thread_stamp: the columns that
messaging.thread_page.SHOWN declares, the one list of what the page shows), hashes them with what
differs between viewers (their declared fields, zone, language) and with what changes with time
("waiting 3 days", an edit link that lapses), and renders only when that exact page has not been
rendered before. Nothing is invalidated by hand: any change to what the page shows changes its key,
and a deploy that changes any template, module or static file the page is made of changes every key.
`THREAD_PAGE_CACHE=off` renders every time.

Each form's CSRF token is cut out before the page is stored and the viewer's own put back when it
is served, with a submission key of its own. Stored pages are sealed (AES-GCM) with a key made from
the site's secret and the conversation's `page_secret`: `forget()` draws a new one when a
conversation's messages are purged or a member erased, and from then on no copy anywhere (Redis, any
process's memory) can be read; each simply expires. Pages carrying a one-off notice ("Draft saved.")
are never stored. Pages are kept in each process's memory (the "pages" cache) in front of Redis: their
keys name their content, so a copy is never out of date, only evicted. Redis is a convenience: when it
is unreachable the page is rendered as usual.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.postgres.functions import RandomUUID
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .forms import new_submission_key
from .selectors import ThreadStamp
from .templatetags import messaging_tags
from .thread_page import VIEWER_FIELDS

logger = logging.getLogger(__name__)

TIMEOUT = 600  # seconds
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_TOKEN_SLOT = 'name="csrfmiddlewaretoken" value="{}"'  # noqa: S105 - a form field, not a secret
_NO_TOKEN = _TOKEN_SLOT.format("")
# The reply form's submission key (messaging.forms.new_submission_key): one per page served, never cached.
SUBMISSION_SLOT = "submission-key-of-this-page"


# What a deploy can change in the page: the templates and modules of the apps that make it (more than
# messaging: accounts' user, matching's match, ui's icons and avatars, the tags), and the static files it
# names. A static file is named by its content's hash in production: a page kept from before a deploy that
# changed site.js asked for a file the new release no longer has.
# The compiled catalogues too: a deploy that changes only a translation changes what the page says.
PAGE_SOURCES = ("templates", "static", "ui", "accounts", "matching", "messaging", "contactfilter", "richtext",
                "locale")  # fmt: skip
PAGE_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".svg", ".mo"}


def page_sources(project: Path) -> list[Path]:
    return sorted(
        path
        for folder in PAGE_SOURCES
        for path in (project / folder).rglob("*")
        if path.suffix in PAGE_SUFFIXES and "tests" not in path.parts and "migrations" not in path.parts
    )


@once
def _code_digest() -> str:
    """Every file of page_sources: a deploy that changes any of them changes every key."""
    project = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in page_sources(project):
        digest.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(request, stamp: ThreadStamp) -> str | None:
    """Everything the page shows, hashed; None when this page must not be stored."""
    if len(get_messages(request)):  # a one-off notice is shown on this page only
        return None
    user = request.user
    state = (
        _code_digest(),
        tuple(getattr(user, name) for name in VIEWER_FIELDS),
        (timezone.get_current_timezone_name(), translation.get_language()),
        (request.GET.get("before", ""), request.GET.get("quote", "")),
        stamp.shown,
        [messaging_tags.waited(person.awaiting_reply_since) for person in stamp.people],  # "waiting 3 days" moves on
        [
            person["u.away_until"] is not None and person["u.away_until"] >= timezone.localdate()
            for person in stamp.people
        ],  # "away until …" ends by itself
    )
    return "thread-page:" + hashlib.sha256(repr(state).encode()).hexdigest()


def page(request, stamp: ThreadStamp, render: Callable[[], str]) -> str:
    """The page from this process's memory or else the shared cache, with this request's CSRF token;
    else `render()`, kept in both for next time."""
    page_key = key(request, stamp) if settings.THREAD_PAGE_CACHE else None
    if page_key is None:
        return render().replace(SUBMISSION_SLOT, new_submission_key())
    seal = _Seal(stamp.people[0]["c.page_secret"])
    stored = seal.open(caches["pages"].get(page_key))
    if stored is None:
        shared_up, sealed = _shared_get(page_key)
        stored = seal.open(sealed)
        if stored is None:
            html = render()
            sealed = seal.close(_TOKEN.sub(_NO_TOKEN, html))
            caches["pages"].set(page_key, sealed, TIMEOUT)
            if shared_up:
                _shared_set(page_key, sealed)
            return html.replace(SUBMISSION_SLOT, new_submission_key())
        caches["pages"].set(page_key, sealed, TIMEOUT)
    return _personal(stored, request)


def forget(conversation_ids) -> None:
    """Make every cached copy of these conversations' pages unreadable, wherever it is kept."""
    from .models import Conversation

    Conversation.objects.filter(pk__in=conversation_ids).update(page_secret=RandomUUID())


class _Seal:
    """AES-GCM under a key of the site's secret and one conversation's page secret."""

    def __init__(self, page_secret: uuid.UUID):
        material = b"thread-page\0" + settings.SECRET_KEY.encode() + b"\0" + page_secret.bytes
        self.cipher = AESGCM(hashlib.sha256(material).digest())

    def close(self, page: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self.cipher.encrypt(nonce, page.encode(), None)

    def open(self, sealed) -> str | None:
        if not isinstance(sealed, bytes) or len(sealed) < 28:
            return None
        try:
            return self.cipher.decrypt(sealed[:12], sealed[12:], None).decode()
        except InvalidTag:  # sealed under a secret since forgotten: as good as gone
            return None


def _personal(stored: str, request) -> str:
    """A stored page made this request's: its CSRF token and a submission key of its own."""
    return stored.replace(_NO_TOKEN, _TOKEN_SLOT.format(get_token(request))).replace(
        SUBMISSION_SLOT, new_submission_key()
    )


def _shared_get(page_key: str) -> tuple[bool, bytes | None]:
    try:
        return True, caches["redis"].get(page_key)
    except Exception:  # a Redis outage must not break reading: this process's memory still serves
        logger.warning("Thread page not read from the shared cache", exc_info=True)
        return False, None


def _shared_set(page_key: str, stored: bytes) -> None:
    try:
        caches["redis"].set(page_key, stored, TIMEOUT)
    except Exception:
        logger.warning("Thread page not kept in the shared cache", exc_info=True)
