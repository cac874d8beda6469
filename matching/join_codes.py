"""Invitation codes and links: a coordinator hands out one code for many people (Brightside's code word).

A code lets a signed-in person enrol in its programme, also in one closed to open enrolment, if it
still works: active, not past its date, not used up, and, where it names domains, for a person whose
verified address is at one of them. Enrolling through it counts one use, in the enrolment's
transaction, so a code limited to 30 never enrols a 31st person however many try at once.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import JoinCode

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud in an assembly
GENERATED_LENGTH = 8
_CODE = re.compile(r"^[A-Z0-9-]{4,32}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class JoinCodeError(Exception):
    """Why a code cannot be used; the message is for the person who typed it."""


def normalise(code: str) -> str:
    return "".join(str(code or "").split()).upper()[:32]


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))
        if not JoinCode.objects.filter(code=code).exists():
            return code


def validate_code(code: str) -> None:
    if not _CODE.match(code):
        raise ValidationError(_("A code is 4 to 32 letters, digits or hyphens."))


def validate_domains(domains: list[str]) -> list[str]:
    cleaned = []
    for domain in domains:
        domain = domain.strip().lower().removeprefix("@")
        if not _DOMAIN.match(domain):
            raise ValidationError(_("%(domain)s is not a domain, such as school.org.uk.") % {"domain": domain[:60]})
        cleaned.append(domain)
    return sorted(set(cleaned))


def address_is_at(address: str, domains: list[str]) -> bool:
    """At one of the domains or a subdomain of one: pupils.school.org.uk is at school.org.uk."""
    domain = address.rpartition("@")[2].lower()
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in domains)


def find(code: str) -> JoinCode | None:
    code = normalise(code)
    if not code:
        return None
    return JoinCode.objects.select_related("programme").filter(code=code).first()


def _verified(user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def check(join_code: JoinCode | None, user: User) -> JoinCode:
    """The code if this person may enrol with it now; JoinCodeError saying why not."""
    now = timezone.now()
    if join_code is None or not join_code.is_active:
        raise JoinCodeError(_("That code does not work. Check it with whoever gave it to you."))
    programme = join_code.programme
    if not programme.is_active or (programme.ends_on and programme.ends_on < timezone.localdate()):
        raise JoinCodeError(_("That programme has ended."))
    if join_code.expires_at is not None and join_code.expires_at <= now:
        raise JoinCodeError(_("That code has expired. Ask your coordinator for a new one."))
    if join_code.max_uses is not None and join_code.uses >= join_code.max_uses:
        raise JoinCodeError(_("That code has been used as many times as it may be. Ask your coordinator."))
    domains = join_code.email_domains
    if domains and not (address_is_at(user.email, domains) and _verified(user)):
        raise JoinCodeError(
            _("This code is for addresses at %(domains)s. Sign in with that address (and confirm it) to use it.")
            % {"domains": ", ".join(domains)}
        )
    return join_code


def count_use(join_code: JoinCode) -> None:
    """In the enrolment's transaction: one use, unless the limit was reached meanwhile."""
    within = Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
    if not JoinCode.objects.filter(within, pk=join_code.pk, is_active=True).update(uses=F("uses") + 1):
        raise JoinCodeError(_("That code has been used as many times as it may be. Ask your coordinator."))
