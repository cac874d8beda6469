"""How we e-mail a person: queue an outbox row, and render it in their language and time zone.

Every e-mail of every app goes through `queue_email`, in the same transaction as the event that
causes it. Delivery (accounts/delivery.py) happens after commit, by a Celery worker or, if Redis
was down, by the sweeper a minute later.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .email_kinds import ESSENTIAL_KINDS, EmailKind
from .models import OutboundEmail, User
from .unsubscribe import make_unsubscribe_token

logger = logging.getLogger(__name__)

# CR, LF and every other character Python treats as a line break, plus other control characters:
# none of them may reach a header, where they could start a new header or a new recipient.
_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def single_line(text: str, limit: int = 200) -> str:
    return " ".join(_LINE_BREAKS_AND_CONTROLS.sub(" ", str(text)).split())[:limit]


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def queue_email(
    user: User,
    kind: str,
    template: str,
    context: dict,
    dedupe_key: str,
    send_after=None,
) -> OutboundEmail | None:
    """Write the outbox row for one e-mail to one person; deliver it after the commit.

    Returns the row, or None when nothing is to be sent (the person turned this kind off, is
    inactive or erased). Queueing a key that already exists is a no-op that returns the
    existing row. Never raises because Redis is down: the sweeper delivers later.
    """
    if kind not in EmailKind.values:
        raise ValueError(f"Unknown e-mail kind {kind!r}")
    if not user.wants_email(kind):
        return None
    row, created = OutboundEmail.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "recipient": user,
            "kind": kind,
            "template": template,
            "context": context,
            "send_after": send_after or timezone.now(),
        },
    )
    if created and row.send_after <= timezone.now():
        transaction.on_commit(lambda: wake_delivery(row.pk))
    return row


def queue_email_to_address(address: str, kind: str, template: str, context: dict, dedupe_key: str) -> OutboundEmail:
    """An e-mail to someone who has no account yet (an invitation): the same outbox, retries and records."""
    if kind not in EmailKind.values:
        raise ValueError(f"Unknown e-mail kind {kind!r}")
    row, created = OutboundEmail.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={"to_address": address, "kind": kind, "template": template, "context": context},
    )
    if created:
        transaction.on_commit(lambda: wake_delivery(row.pk))
    return row


@dataclass(frozen=True)
class PlannedEmail:
    user: User | None  # None: to `to_address`, someone with no account yet (an invitation)
    kind: str
    template: str
    context: dict
    dedupe_key: str
    send_after: object = None
    to_address: str = ""


def queue_emails_in_bulk(planned: list[PlannedEmail]) -> int:
    """Many e-mails in one INSERT (digests, a list of invitations): the same rules as queue_email, keys
    that exist already are skipped by the database. Delivery is woken once, after the commit. Returns how
    many were new."""
    now = timezone.now()
    rows = [
        OutboundEmail(
            recipient=email.user,
            to_address=email.to_address,
            kind=email.kind,
            template=email.template,
            context=email.context,
            dedupe_key=email.dedupe_key,
            send_after=email.send_after or now,
        )
        for email in planned
        if email.user is None or email.user.wants_email(email.kind)
    ]
    if not rows:
        return 0
    keys = [row.dedupe_key for row in rows]
    existing = set(OutboundEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    transaction.on_commit(_wake_sweeper)
    return len(set(keys) - existing)


def _wake_sweeper() -> None:
    from .tasks import deliver_due_emails

    try:
        deliver_due_emails.delay()
    except Exception:  # noqa: BLE001 - the beat sweeper runs within a minute anyway
        logger.warning("Could not publish a delivery sweep; the beat sweeper will run it.")


def wake_delivery(outbound_email_id: int) -> None:
    """Ask a worker to deliver now. Best effort: the sweeper delivers anything this misses."""
    from .tasks import deliver_email

    try:
        deliver_email.delay(outbound_email_id)
    except Exception:  # noqa: BLE001 - a broker outage must never fail the request that queued
        logger.warning("Could not publish delivery of e-mail %s; the sweeper will send it.", outbound_email_id)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    to: str
    headers: dict[str, str]


def message_id_for(dedupe_key: str) -> str:
    """Deterministic, so that a resend after a crash is recognisably the same e-mail."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "mentoring.localhost"
    return f"<{digest}@{domain}>"


# The headers an app may add to its e-mail through the context's "email_headers" (messaging: a reply
# address and a conversation's thread). Anything else, or a value that is not one line of message ids or
# one address, is dropped: a header is never written from free text.
_MESSAGE_IDS = re.compile(
    r"^(<[!-;=?-~]{1,250}@[A-Za-z0-9.-]{1,250}>)( <[!-;=?-~]{1,250}@[A-Za-z0-9.-]{1,250}>){0,20}$"
)
_ADDRESS = re.compile(r"^[A-Za-z0-9.+_-]{1,64}@[A-Za-z0-9.-]{1,250}$")
_THREADING_HEADERS = {"Reply-To": _ADDRESS, "In-Reply-To": _MESSAGE_IDS, "References": _MESSAGE_IDS}


def _threading_headers(wanted: dict) -> dict[str, str]:
    return {
        name: value
        for name, value in wanted.items()
        if name in _THREADING_HEADERS and isinstance(value, str) and _THREADING_HEADERS[name].match(value)
    }


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute_url(reverse("accounts:unsubscribe", args=[make_unsubscribe_token(user_id, kind)]))


def render_email(row: OutboundEmail) -> RenderedEmail:
    """Render subject, text and HTML in the recipient's language and time zone (for an address with no
    account: the language the context names, as a guardian is written to in their child's, or the site's)."""
    user = row.recipient
    optional = user is not None and row.kind not in ESSENTIAL_KINDS
    unsubscribe = unsubscribe_url(user.pk, row.kind) if optional else ""
    context = {
        **row.context,
        "recipient": user,
        "to_address": row.to_address,
        "site_url": settings.SITE_URL,
        "kind_label": EmailKind(row.kind).label,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("accounts:email_preferences")) if user else "",
    }
    language = user.language if user else row.context.get("language") or settings.LANGUAGE_CODE
    zone = user.zone if user else settings.TIME_ZONE
    with translation.override(language), timezone.override(zone):
        subject = single_line(render_to_string(f"{row.template}/subject.txt", context), limit=200)
        context["subject"] = subject
        text = render_to_string(f"{row.template}/body.txt", context)
        html = render_to_string(f"{row.template}/body.html", context)

    headers = {
        "Message-ID": message_id_for(row.dedupe_key),
        # RFC 3834: tell autoresponders not to answer a notification.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    headers.update(_threading_headers(row.context.get("email_headers") or {}))
    if optional:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    to = formataddr((single_line(user.display_name, limit=80), user.email)) if user else row.to_address
    return RenderedEmail(subject=subject, text=text, html=html, to=to, headers=headers)
