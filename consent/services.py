"""Asking a guardian, and their answers by signed links.

The links carry the consent's id, an action and the consent's current nonce, signed with the
project's key. An answer link works for `ANSWER_LINK_DAYS` and once: a second use, an expired link
or one replaced by a newer request changes nothing and says why. The withdrawal link (sent with the
confirmation) works for as long as the consent stands.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email_to_address
from accounts.models import User

from .models import GuardianConsent
from .signals import consent_declined, consent_given, consent_withdrawn

ANSWER_LINK_DAYS = 14
_SALT = "consent.guardian"
ANSWER, WITHDRAW = "answer", "withdraw"


class ConsentError(Exception):
    """The request cannot be made as asked; the message is for the person asking."""


def check_guardian_address(person: User, guardian_email: str) -> None:
    """A guardian's address is someone else's: never the young person's own."""
    address = guardian_email.strip().lower()
    own = {person.email.lower()} | {email.lower() for email in person.emailaddress_set.values_list("email", flat=True)}
    if address in own:
        raise ConsentError(_("Please give your parent's or guardian's own e-mail address, not yours."))


def request(person: User, *, purpose: str, purpose_id: int, guardian_email: str, guardian_name: str = "",
            explained: dict) -> GuardianConsent:  # fmt: skip
    """Ask (or ask again) for consent, and e-mail the guardian.

    `explained` is what the e-mail and the consent page show, kept with the answer: keys `programme`,
    `description`, `safeguarding` (a list of lines), `kept` (a list of lines), `retention_days`,
    `young_person`, `coordinator` (a name or "")."""
    check_guardian_address(person, guardian_email)
    with transaction.atomic():
        consent, created = GuardianConsent.objects.select_for_update().get_or_create(
            purpose=purpose,
            purpose_id=purpose_id,
            defaults={"person": person, "guardian_email": guardian_email, "guardian_name": guardian_name,
                      "explained": explained, "nonce": secrets.token_hex(8)},
        )  # fmt: skip
        if not created:
            if consent.status == GuardianConsent.Status.GIVEN:
                return consent
            consent.guardian_email, consent.guardian_name, consent.explained = guardian_email, guardian_name, explained
            consent.status, consent.nonce = GuardianConsent.Status.REQUESTED, secrets.token_hex(8)
            consent.requested_at, consent.answered_at, consent.withdrawn_at = timezone.now(), None, None
            consent.requests_sent += 1
            consent.save()
        _email(consent, "emails/guardian_consent", ANSWER, f"consent:{consent.pk}:{consent.nonce}")
    return consent


def _email(consent: GuardianConsent, template: str, action: str, key: str) -> None:
    context = {
        **consent.explained,
        "guardian_name": consent.guardian_name,
        "link": absolute_url(reverse(f"consent:{action}", args=[link_token(consent, action)])),
        "expires_on": (consent.requested_at + datetime.timedelta(days=ANSWER_LINK_DAYS)).date(),
        "language": consent.person.language,
    }
    queue_email_to_address(consent.guardian_email, EmailKind.GUARDIAN, template, context, key)


def link_token(consent: GuardianConsent, action: str) -> str:
    return signing.dumps({"c": consent.pk, "n": consent.nonce, "a": action}, salt=_SALT, compress=True)


@dataclass
class Found:
    consent: GuardianConsent | None
    problem: str = ""  # "", "invalid", "expired", "replaced", "answered", "not_given"


def find(token: str, action: str) -> Found:
    """The consent a link is for, or why the link no longer works."""
    max_age = datetime.timedelta(days=ANSWER_LINK_DAYS) if action == ANSWER else None
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return Found(None, "expired")
    except signing.BadSignature:
        return Found(None, "invalid")
    consent = GuardianConsent.objects.filter(pk=data.get("c")).select_related("person").first()
    if consent is None or data.get("a") != action:
        return Found(None, "invalid")
    if data.get("n") != consent.nonce:
        return Found(consent, "replaced")
    if action == ANSWER and consent.status != GuardianConsent.Status.REQUESTED:
        return Found(consent, "answered")
    if action == WITHDRAW and consent.status != GuardianConsent.Status.GIVEN:
        return Found(consent, "not_given")
    return Found(consent)


def _decide(consent: GuardianConsent, expected: str, status: str, signal, then=None, **stamps):
    """Compare-and-set under a lock: of two answers at once, the second finds it answered and changes
    nothing. The signal (and the confirmation e-mail) go in the same transaction as the answer."""
    with transaction.atomic():
        locked = GuardianConsent.objects.select_for_update().select_related("person").get(pk=consent.pk)
        if locked.status != expected or locked.nonce != consent.nonce:
            return None
        User.objects.select_for_update().filter(pk=locked.person_id).first()  # as matching locks it
        locked.status = status
        for name, value in stamps.items():
            setattr(locked, name, value)
        locked.save()
        if then is not None:
            then(locked)
        signal.send(sender=GuardianConsent, consent=locked)
        return locked


def _confirm(consent: GuardianConsent) -> None:
    _email(consent, "emails/guardian_consent_given", WITHDRAW, f"consent-given:{consent.pk}:{consent.nonce}")


def give(consent: GuardianConsent) -> GuardianConsent | None:
    return _decide(consent, GuardianConsent.Status.REQUESTED, GuardianConsent.Status.GIVEN, consent_given,
                   then=_confirm, answered_at=timezone.now())  # fmt: skip


def decline(consent: GuardianConsent) -> GuardianConsent | None:
    return _decide(consent, GuardianConsent.Status.REQUESTED, GuardianConsent.Status.DECLINED, consent_declined,
                   answered_at=timezone.now())  # fmt: skip


def withdraw(consent: GuardianConsent) -> GuardianConsent | None:
    return _decide(consent, GuardianConsent.Status.GIVEN, GuardianConsent.Status.WITHDRAWN, consent_withdrawn,
                   withdrawn_at=timezone.now())  # fmt: skip


def for_purpose(purpose: str, purpose_id: int) -> GuardianConsent | None:
    return GuardianConsent.objects.filter(purpose=purpose, purpose_id=purpose_id).first()


def forget(person_id: int) -> int:
    """An erased account's consents go with it, and with them the guardian's name and address."""
    return GuardianConsent.objects.filter(person_id=person_id).delete()[0]


def of_person(person_id: int) -> list[dict]:
    return [
        {"guardian_name": c.guardian_name, "guardian_email": c.guardian_email, "status": c.status,
         "requested_at": c.requested_at.isoformat(),
         "answered_at": c.answered_at.isoformat() if c.answered_at else None,
         "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
        for c in GuardianConsent.objects.filter(person_id=person_id)
    ]  # fmt: skip
