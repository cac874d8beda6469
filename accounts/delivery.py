"""Deliver outbox rows: claim, render, send, record. Never twice, never lost.

A row is claimed in a short transaction (`SELECT ... FOR UPDATE SKIP LOCKED`, then status
`sending`), so two workers or two sweeps never send the same row. The e-mail is sent outside
any transaction and the outcome recorded after. A worker killed mid-send leaves the row in
`sending`; the sweeper takes it back after `OutboundEmail.STALE_CLAIM_AFTER`.
"""

import datetime
import logging
import smtplib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from .email_kinds import EmailKind
from .emails import render_email, wake_delivery
from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits before attempts 2, 3, 4 and 5 after a transient failure.
RETRY_BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=20),
    datetime.timedelta(hours=1),
]
SWEEP_BATCH_SIZE = 200


# The one sanctioned call from this floor up into a higher one (docs/architecture.md, "Extension
# points"). An e-mail queued hours ago must say what is true when it leaves: "3 unread messages"
# may have become 1, or none. accounts imports no other app, so the app that owns a template
# registers, in its AppConfig.ready(), a last check for it, called with the claimed row just
# before rendering. It returns None to cancel the e-mail (nothing left to say) or a dict of fresh
# context merged over the queued one. One owner per template: registering a second is an error.
SEND_HOOKS: dict = {}


def register_send_hook(template: str, hook) -> None:
    if SEND_HOOKS.get(template, hook) is not hook:
        raise ValueError(f"{template} already has a send hook: {SEND_HOOKS[template]!r}")
    SEND_HOOKS[template] = hook


class PermanentFailure(Exception):
    """Sending again will not help: the address is refused, the message is rejected."""


def classify_send_error(exc: Exception) -> type[Exception]:
    """PermanentFailure for 5xx SMTP answers and provider rejections, else the error is transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return PermanentFailure if codes and all(code >= 500 for code in codes) else Exception
    if isinstance(exc, smtplib.SMTPResponseException):
        return PermanentFailure if exc.smtp_code >= 500 else Exception
    if type(exc).__name__ in {"AnymailRecipientsRefused", "AnymailInvalidAddress"}:
        return PermanentFailure
    return Exception


def claim(outbound_email_id: int) -> OutboundEmail | None:
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboundEmail.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=outbound_email_id)
            .first()
        )
        if row is None:
            return None
        row.status = OutboundEmail.Status.SENDING
        row.claimed_at = now
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
    return row


def _finish(row: OutboundEmail, **fields) -> None:
    # Only the claim we made may be finished: compare-and-set on the claim time.
    OutboundEmail.objects.filter(pk=row.pk, status=OutboundEmail.Status.SENDING, claimed_at=row.claimed_at).update(
        **fields
    )


def calendar_part(attachment: dict) -> MIMEText:
    """A calendar file queued with the e-mail (meetings): text/calendar with its iTIP method, so mail
    clients offer to add, update or remove the event (RFC 6047), and a file name for the others."""
    part = MIMEText(attachment["content"], "calendar", "utf-8")
    part.set_param("method", attachment["method"])
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def deliver(outbound_email_id: int, connection=None) -> str | None:
    """Claim and send one row. Returns the status it ended in, or None if it was not claimable."""
    row = claim(outbound_email_id)
    if row is None:
        return None
    if row.recipient is not None and not row.recipient.wants_email(row.kind):
        _finish(row, status=OutboundEmail.Status.CANCELLED, last_error="Recipient no longer receives this kind.")
        return OutboundEmail.Status.CANCELLED
    hook = SEND_HOOKS.get(row.template)
    if hook is not None:
        fresh = hook(row)
        if fresh is None:
            _finish(row, status=OutboundEmail.Status.CANCELLED, last_error="No longer needed when it was due.")
            return OutboundEmail.Status.CANCELLED
        row.context = {**row.context, **fresh}

    try:
        rendered = render_email(row)
    except (TemplateDoesNotExist, TemplateSyntaxError, KeyError, TypeError, ValueError) as exc:
        logger.exception("E-mail %s could not be rendered", row.pk)
        _finish(row, status=OutboundEmail.Status.FAILED, last_error=f"Template error: {exc}"[:2000])
        return OutboundEmail.Status.FAILED

    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[rendered.to],
        headers=rendered.headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    for attachment in row.context.get("attachments", []):
        message.attach(calendar_part(attachment))
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; classify_send_error decides retry
        return _record_failure(row, exc)

    anymail_status = getattr(message, "anymail_status", None)
    _finish(
        row,
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        subject=rendered.subject[:255],
        message_id=rendered.headers["Message-ID"],
        provider_message_id=str(getattr(anymail_status, "message_id", "") or "")[:255],
        last_error="",
        # An account e-mail's text holds a key to the account (a confirmation or reset link): once
        # sent, it is not kept.
        **({"context": {}} if row.kind == EmailKind.ACCOUNT else {}),
    )
    return OutboundEmail.Status.SENT


def _record_failure(row: OutboundEmail, exc: Exception) -> str:
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    if classify_send_error(exc) is PermanentFailure:
        logger.warning("E-mail %s refused permanently: %s", row.pk, reason)
        _finish(row, status=OutboundEmail.Status.FAILED, last_error=reason)
        return OutboundEmail.Status.FAILED
    if row.attempts >= MAX_ATTEMPTS:
        logger.warning("E-mail %s failed after %s attempts: %s", row.pk, row.attempts, reason)
        _finish(row, status=OutboundEmail.Status.FAILED, last_error=reason)
        return OutboundEmail.Status.FAILED
    wait = RETRY_BACKOFF[min(row.attempts, len(RETRY_BACKOFF)) - 1]
    _finish(row, status=OutboundEmail.Status.PENDING, send_after=timezone.now() + wait, last_error=reason)
    return OutboundEmail.Status.PENDING


def deliver_due_emails(limit: int = SWEEP_BATCH_SIZE) -> dict[str, int]:
    """The sweeper: deliver what is due, and what a dead worker left in `sending`.

    One SMTP connection serves the whole batch. A row that fails (template, refusal) fails
    alone; the others go on.
    """
    ids = list(OutboundEmail.objects.due().order_by("send_after").values_list("pk", flat=True)[:limit])
    outcomes: dict[str, int] = {}
    if not ids:
        return outcomes
    connection = get_connection(fail_silently=False)
    try:
        for outbound_email_id in ids:
            status = deliver(outbound_email_id, connection=connection)
            if status:
                outcomes[status] = outcomes.get(status, 0) + 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken SMTP connection must not lose the outcomes
            logger.warning("Closing the SMTP connection failed", exc_info=True)
    return outcomes


def retry_failed(queryset) -> int:
    """Coordinator action: give failed rows a fresh set of attempts, due now."""
    ids = list(queryset.filter(status=OutboundEmail.Status.FAILED).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, send_after=timezone.now(), attempts=0
    )
    for outbound_email_id in ids:
        transaction.on_commit(lambda pk=outbound_email_id: wake_delivery(pk))
    return len(ids)
