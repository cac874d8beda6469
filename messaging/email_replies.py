"""Replies by e-mail: the one use case both ways in (the receiver and the providers' webhooks) hand an
e-mail to, once they have read it (inbound_mail/reading.py).

An e-mail posts a message only if it is really a reply from that person: addressed to a live reply
address, from the address on file for its holder (and vouched for by SPF or DKIM where that was
checked), in a conversation that still takes replies by e-mail. Its new text, without the quoted
history and signature, goes through `send_message` like a reply typed on the site: moderation, the
rate limit, read-only closed matches. The same Message-ID never posts twice. Anything else is refused
with one explanatory e-mail (at most one per address and reason a day), or, when it is automatic (an
out-of-office, a bounce, a list, one of our own e-mails coming back), dropped without a word: an
answer to an autoresponder is how mail loops start.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from mailparser_reply import EmailReplyParser

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email, queue_email_to_address
from accounts.models import OutboundEmail, User

from . import reply_addresses
from .models import MAX_BODY_LENGTH, Message, ReceivedEmail, ReplyAddress, messaging_policy_for
from .ratelimit import allow_message
from .services import MessagingError, send_message

logger = logging.getLogger(__name__)
Reason = ReceivedEmail.Reason
REFUSED_TEMPLATE = "emails/email_reply_refused"
HELD_TEMPLATE = "emails/email_reply_held"


@dataclass(frozen=True)
class IncomingEmail:
    """What the ways in read from an e-mail: addresses in lower case, texts already decoded."""

    channel: str  # "smtp", "lmtp", or the provider's name
    recipients: tuple[str, ...]
    sender: str  # the From address
    message_id: str
    size: int
    envelope_sender: str | None = None  # None: not known; "": the null sender of a bounce
    in_reply_to: tuple[str, ...] = ()
    subject: str = ""
    text: str = ""  # the plain-text body, or the HTML body turned into text
    attachments: int = 0
    # Lower-case names of the headers that mark automatic mail (auto-submitted, precedence, ...).
    automatic_headers: dict[str, str] = field(default_factory=dict)
    is_report: bool = False  # multipart/report: a delivery or read receipt
    # SPF and DKIM as the provider or our mail server checked them: None where no one reported.
    authenticated: bool | None = None
    unreadable: bool = False  # broken beyond reading (too deeply nested, no text part at all)


@dataclass(frozen=True)
class Outcome:
    outcome: str
    reason: str = ""
    message: Message | None = None


# RFC 3834 and the headers the common autoresponders and list servers add.
_AUTOMATIC_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
_AUTOMATIC_FLAGS = ("x-autoreply", "x-autorespond", "x-auto-response", "list-id", "list-unsubscribe",
                    "x-failed-recipients", "x-loop")  # fmt: skip
# The headers the ways in copy into IncomingEmail.automatic_headers: the ones is_automatic reads.
AUTOMATIC_HEADERS = ("auto-submitted", "precedence", *_AUTOMATIC_FLAGS)
_OUT_OF_OFFICE = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|auto:|out of (the )?office|away from (the )?office|"
    r"on (vacation|holiday|leave)|abwesenheit|r[ée]ponse automatique|absence|respuesta autom[áa]tica|"
    r"fuera de la oficina|delivery status notification|undeliver(able|ed)|returned mail|mail delivery fail)",
    re.IGNORECASE,
)


def verdict(*results: str) -> bool | None:
    """SPF/DKIM results as reported ("pass", "fail", ...; "" where not reported): True if any passed, False
    if some were reported and none passed, None if none was (DMARC's rule: either may vouch)."""
    reported = [result for result in results if result]
    if not reported:
        return None
    return "pass" in reported


def is_automatic(email: IncomingEmail) -> bool:
    headers = email.automatic_headers
    if headers.get("auto-submitted", "no").strip().lower() != "no":
        return True
    if headers.get("precedence", "").strip().lower() in _AUTOMATIC_PRECEDENCE:
        return True
    if any(name in headers for name in _AUTOMATIC_FLAGS):
        return True
    return email.envelope_sender == "" or email.is_report or bool(_OUT_OF_OFFICE.match(email.subject))


def _is_loop(email: IncomingEmail) -> bool:
    """One of our own e-mails (or a reply address writing to itself) coming back."""
    own_sender = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip().lower()
    if email.sender == own_sender or reply_addresses.is_reply_address(email.sender):
        return True
    return bool(email.message_id) and OutboundEmail.objects.filter(message_id=email.message_id).exists()


def _hash(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()


def new_text(text: str, language: str) -> str:
    """The reply's own words: the quoted history ("On ... wrote:", Outlook's "From:" block, "> " lines)
    and the signature removed, by mail-parser-reply in the writer's language and English."""
    parsed = EmailReplyParser(languages=[language, "en"]).read(text.replace("\r\n", "\n"))
    reply = parsed.replies[0].body if parsed.replies else ""
    lines = [line for line in reply.split("\n") if not line.startswith(">")]
    return "\n".join(lines).strip()


def receive(email: IncomingEmail) -> Outcome:
    """Handle one e-mail. Never raises for anything the e-mail contains."""
    message_id = email.message_id or f"<no-message-id:{_hash(email.sender + email.subject + email.text)}>"
    try:
        with transaction.atomic():
            record = ReceivedEmail.objects.create(
                channel=email.channel[:32], message_id_hash=_hash(message_id), size=email.size,
                outcome=ReceivedEmail.Outcome.DROPPED,
            )  # fmt: skip
    except IntegrityError:
        # Seen before (a provider's retry, the same e-mail sent to two of our addresses): once is enough.
        return Outcome(ReceivedEmail.Outcome.DROPPED, "duplicate")
    outcome = _decide(email, record)
    ReceivedEmail.objects.filter(pk=record.pk).update(
        outcome=outcome.outcome, reason=outcome.reason, message=outcome.message,
        conversation=outcome.message.conversation_id if outcome.message else record.conversation_id,
        attachments_dropped=email.attachments if outcome.message else 0,
    )  # fmt: skip
    logger.info("Reply by e-mail %s via %s: %s %s", record.pk, email.channel, outcome.outcome, outcome.reason)
    return outcome


def _decide(email: IncomingEmail, record: ReceivedEmail) -> Outcome:
    if is_automatic(email):
        return Outcome(ReceivedEmail.Outcome.DROPPED, Reason.AUTOMATIC)
    if _is_loop(email):
        return Outcome(ReceivedEmail.Outcome.DROPPED, Reason.LOOP)
    ours = [address for address in email.recipients if reply_addresses.is_reply_address(address)]
    if not ours:
        return Outcome(ReceivedEmail.Outcome.DROPPED, Reason.NOT_A_REPLY_ADDRESS)
    keys = [key for key in map(reply_addresses.key_of, ours) if key]
    address = (
        ReplyAddress.objects.filter(key__in=keys)
        .select_related("participant__user", "participant__conversation__match__programme__messaging_policy")
        .order_by(F("revoked_at").asc(nulls_first=True))  # a live address before a revoked one
        .first()
        if keys
        else None
    )
    if address is None:
        return _refuse_stranger(email, Reason.UNKNOWN_ADDRESS)
    participant = address.participant
    holder, conversation = participant.user, participant.conversation
    record.conversation_id = conversation.pk  # saved with the outcome

    if email.authenticated is False:
        # Forged, most likely: answering would write to whoever the forger named.
        return Outcome(ReceivedEmail.Outcome.REFUSED, Reason.NOT_AUTHENTICATED)
    if not _is_holders_address(holder, email.sender):
        return _refuse_stranger(email, Reason.OTHER_SENDER)
    if not reply_addresses.is_live(address, holder):
        return _refuse(holder, conversation, email, Reason.EXPIRED)
    if not reply_addresses.offered_to(holder, messaging_policy_for(conversation.match.programme)):
        return _refuse(holder, conversation, email, Reason.NOT_OFFERED)
    if conversation.is_read_only or not conversation.match.is_writable:
        return _refuse(holder, conversation, email, Reason.CLOSED)
    if email.size > settings.INBOUND_EMAIL_MAX_BYTES:
        return _refuse(holder, conversation, email, Reason.TOO_LARGE)
    if email.unreadable:
        return _refuse(holder, conversation, email, Reason.UNREADABLE)
    body = new_text(email.text, holder.language)
    if not body:
        return _refuse(holder, conversation, email, Reason.EMPTY)
    if len(body) > MAX_BODY_LENGTH:
        return _refuse(holder, conversation, email, Reason.TOO_LARGE)
    if not allow_message(holder):
        return _refuse(holder, conversation, email, Reason.RATE_LIMITED)
    try:
        message = send_message(
            holder, conversation, body, reply_to=_answered_message(email, holder, conversation),
            submission_key=f"email:{_hash(email.message_id)[:58]}" if email.message_id else "", keep_draft=True,
        )  # fmt: skip
    except MessagingError:
        return _refuse(holder, conversation, email, Reason.CLOSED)
    if message.status == Message.Status.HELD or email.attachments:
        _tell_about_posted(holder, conversation, message, email)
    return Outcome(ReceivedEmail.Outcome.POSTED, message=message)


def _is_holders_address(holder: User, sender: str) -> bool:
    if sender and sender == holder.email.strip().lower():
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=holder, email__iexact=sender, verified=True).exists()


def _answered_message(email: IncomingEmail, holder: User, conversation) -> Message | None:
    """The message the reply answers: the latest one from someone else that the e-mail it names
    (In-Reply-To) had been sent after; the latest one of all if it names none of ours."""
    sent = (
        OutboundEmail.objects.filter(message_id__in=list(email.in_reply_to[:20]), recipient=holder)
        .values_list("sent_at", flat=True)
        .first()
        if email.in_reply_to
        else None
    )
    earlier = Message.objects.filter(conversation=conversation, status__in=Message.DELIVERED).exclude(sender=holder)
    if sent is not None:
        earlier = earlier.filter(created_at__lte=sent)
    return earlier.order_by("-created_at", "-pk").first()


def _day() -> str:
    return timezone.now().strftime("%Y%m%d")


def _refuse(holder: User, conversation, email: IncomingEmail, reason: str) -> Outcome:
    """One explanation a day per person and reason, to the address on file (never to another one)."""
    queue_email(
        holder,
        EmailKind.SAFEGUARDING,
        REFUSED_TEMPLATE,
        {"reason": reason, "subject_line": conversation.subject, "attachments_dropped": email.attachments,
         "conversation_url": absolute_url(conversation.get_absolute_url()), "max_characters": MAX_BODY_LENGTH,
         "max_megabytes": settings.INBOUND_EMAIL_MAX_BYTES // (1024 * 1024)},
        f"email-reply-refused:{holder.pk}:{reason}:{_day()}",
    )  # fmt: skip
    return Outcome(ReceivedEmail.Outcome.REFUSED, reason)


def _refuse_stranger(email: IncomingEmail, reason: str) -> Outcome:
    """Someone wrote to a reply address that is not theirs, or to one that does not exist: they are told
    once a day that nothing was delivered. Nothing about the conversation or the people in it."""
    if email.sender and email.authenticated is not False and "@" in email.sender:
        queue_email_to_address(
            email.sender,
            EmailKind.SAFEGUARDING,
            REFUSED_TEMPLATE,
            {"reason": reason, "site_url": settings.SITE_URL},
            f"email-reply-refused:{_hash(email.sender)[:32]}:{reason}:{_day()}",
        )
    return Outcome(ReceivedEmail.Outcome.REFUSED, reason)


def _tell_about_posted(holder: User, conversation, message: Message, email: IncomingEmail) -> None:
    """The reply went in, but not all of it or not yet: attachments are never kept, and a held
    message waits for a coordinator."""
    queue_email(
        holder,
        EmailKind.SAFEGUARDING,
        HELD_TEMPLATE,
        {"held": message.status == Message.Status.HELD, "attachments_dropped": email.attachments,
         "subject_line": conversation.subject,
         "conversation_url": absolute_url(f"{conversation.get_absolute_url()}#message-{message.pk}")},
        f"email-reply-posted:{message.pk}",
    )  # fmt: skip
