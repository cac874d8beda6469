"""Reply addresses: reply+<key>-<signature>@REPLY_EMAIL_DOMAIN, one per person per conversation.

The key is random (it names no one); the signature (an HMAC of the key under SECRET_KEY) lets a forged
or mistyped address be refused without a lookup. Lower-case letters and digits only: some mail servers
fold the local part's case.
"""

import base64
import datetime
import re
import secrets

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Participant, ReplyAddress

KEY_LENGTH = 20  # base32 characters: 100 random bits
SIGNATURE_LENGTH = 16  # 80 bits of HMAC
_SALT = "messaging.reply_addresses"
_LOCAL_PART = re.compile(rf"^reply\+([a-z2-7]{{{KEY_LENGTH}}})-([a-z2-7]{{{SIGNATURE_LENGTH}}})$")


def offered() -> bool:
    return bool(settings.REPLY_EMAIL_DOMAIN)


def offered_to(user, policy) -> bool:
    """Whether this person's new-message e-mails carry a reply address: the site takes replies, the
    programme lets text into e-mails and takes replies, the person wants it and is 18 or over."""
    return (
        offered()
        and policy.emails_include_message_text
        and policy.accepts_email_replies
        and user.replies_by_email
        and not user.is_under_18
        and user.is_active
    )


def _signature(key: str) -> str:
    digest = salted_hmac(_SALT, key, algorithm="sha256").digest()
    return base64.b32encode(digest).decode().lower()[:SIGNATURE_LENGTH]


def _new_key() -> str:
    return base64.b32encode(secrets.token_bytes(15)).decode().lower()[:KEY_LENGTH]


def format_address(key: str) -> str:
    return f"reply+{key}-{_signature(key)}@{settings.REPLY_EMAIL_DOMAIN}"


def address_for(participant: Participant, now: datetime.datetime | None = None) -> str:
    """The live address of this person in this conversation (made on first use), its life renewed."""
    now = now or timezone.now()
    live = ReplyAddress.objects.filter(participant=participant, revoked_at__isnull=True).first()
    if live is None or not is_live(live, participant.user, now):
        if live is not None:
            ReplyAddress.objects.filter(pk=live.pk).update(revoked_at=now)
        live = ReplyAddress.objects.create(participant=participant, key=_new_key(), created_at=now, last_sent_at=now)
    else:
        ReplyAddress.objects.filter(pk=live.pk).update(last_sent_at=now)
    return format_address(live.key)


def is_live(address: ReplyAddress, holder, now: datetime.datetime | None = None) -> bool:
    """Not revoked, not expired (REPLY_ADDRESS_DAYS since the last e-mail that carried it), and made after
    its holder last stopped their addresses (accounts.services.void_reply_addresses)."""
    expired = (now or timezone.now()) - address.last_sent_at > datetime.timedelta(days=settings.REPLY_ADDRESS_DAYS)
    void = holder.reply_addresses_void_before is not None and address.created_at < holder.reply_addresses_void_before
    return address.revoked_at is None and not expired and not void


def _local_part_here(address: str) -> str | None:
    """The part before the @ if the address is on our reply domain."""
    local, _at, domain = address.strip().lower().rpartition("@")
    return local if settings.REPLY_EMAIL_DOMAIN and domain == settings.REPLY_EMAIL_DOMAIN else None


def is_reply_address(address: str) -> bool:
    """Shaped like one of ours, on our domain (signature not checked)."""
    return (_local_part_here(address) or "").startswith("reply+")


def key_of(address: str) -> str | None:
    """The key an address carries, if its signature is right; None for anything else."""
    local = _local_part_here(address)
    if local is None:
        return None
    found = _LOCAL_PART.match(local)
    if found is None or not constant_time_compare(found.group(2), _signature(found.group(1))):
        return None
    return found.group(1)


def revoke(user, conversation=None) -> int:
    """Turn off someone's reply addresses (all of them, or one conversation's). Returns how many."""
    live = ReplyAddress.objects.filter(participant__user=user, revoked_at__isnull=True)
    if conversation is not None:
        live = live.filter(participant__conversation=conversation)
    return live.update(revoked_at=timezone.now())
