"""Making, signing and changing a pair's agreement. Every change is a new version, signed by whoever
proposes it; it comes into force when everyone in the match has signed, and replaces the one before."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from accounts.models import User
from accounts.text_screening import policies_for, refuse_contact_details
from matching.models import Match, MatchMember

from .models import Agreement, Signature
from .signals import agreement_in_force

TERMS = ("goals", "writing_frequency", "reply_within_days", "meetings", "ground_rules")
TEXTS = ("goals", "meetings", "ground_rules")  # read by the other person: screened like a message
DEFAULT_REPLY_DAYS = 3


class AgreementError(Exception):
    """The step cannot be taken; the message is for the person who tried."""


def in_force(match: Match) -> Agreement | None:
    return match.agreements.filter(status=Agreement.Status.IN_FORCE).prefetch_related("signatures__user").first()


def proposed(match: Match) -> Agreement | None:
    return match.agreements.filter(status=Agreement.Status.PROPOSED).prefetch_related("signatures__user").first()


def reply_windows(match_ids) -> dict[int, int]:
    """{match id: hours} for the matches whose agreement in force sets a reply window (one query)."""
    rows = Agreement.objects.filter(match_id__in=list(match_ids), status=Agreement.Status.IN_FORCE)
    return {match_id: days * 24 for match_id, days in rows.values_list("match_id", "reply_within_days")}


def first_draft(match: Match, reply_days: int = DEFAULT_REPLY_DAYS) -> dict:
    """What the form starts from: the agreement in force, or the programme's ground rules and its
    usual reply window."""
    current = in_force(match)
    if current is not None:
        return {name: getattr(current, name) for name in TERMS}
    return {
        "reply_within_days": reply_days,
        "ground_rules": match.programme.agreement,
        "writing_frequency": Agreement.Frequency.WEEKLY,
    }


def check_texts(match: Match, terms: dict) -> None:
    """The free texts carry no contact details (a form error per field that does)."""
    policies = policies_for(programme=match.programme)
    errors = {}
    for name in TEXTS:
        try:
            refuse_contact_details(terms.get(name, ""), policies)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _members(match: Match) -> set[int]:
    return set(
        MatchMember.objects.filter(match=match, match_status__in=Match.CURRENT).values_list("user_id", flat=True)
    )


def _locked_match(match: Match, by: User) -> Match:
    match = Match.objects.select_for_update().select_related("programme").get(pk=match.pk)
    if by.pk not in _members(match):
        raise AgreementError(_("Only the people in this match can change its agreement."))
    if not match.is_writable:
        raise AgreementError(_("This match is not active, so its agreement cannot change."))
    return match


def propose(match: Match, by: User, terms: dict) -> Agreement:
    """A first agreement, or a change to the one in force: signed by `by`, waiting for the others."""
    terms = {name: terms[name] for name in TERMS}
    for name in TEXTS:
        terms[name] = (terms[name] or "").strip()
    check_texts(match, terms)
    with transaction.atomic():
        match = _locked_match(match, by)
        waiting = proposed(match)
        if waiting is not None and waiting.proposed_by_id != by.pk:
            raise AgreementError(_("There is a proposal waiting for your answer: sign it or decline it first."))
        if waiting is not None:  # the proposer changes their own proposal before anyone answered
            waiting.delete()
        number = (match.agreements.aggregate(last=Max("version"))["last"] or 0) + 1
        agreement = Agreement.objects.create(match=match, version=number, proposed_by=by, **terms)
        Signature.objects.create(agreement=agreement, user=by)
        if not _complete(agreement):
            _tell_others(agreement, by)
    return agreement


def sign(agreement: Agreement, by: User) -> Agreement:
    with transaction.atomic():
        _locked_match(agreement.match, by)
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Agreement.Status.PROPOSED:
            raise AgreementError(_("This version is no longer waiting for signatures."))
        if agreement.signatures.filter(user=by).exists():
            raise AgreementError(_("You have already signed this version."))
        Signature.objects.create(agreement=agreement, user=by)
        _complete(agreement)
    return agreement


def decline(agreement: Agreement, by: User) -> Agreement:
    """Say no to a proposed change (or first agreement): the one in force, if any, stays."""
    with transaction.atomic():
        _locked_match(agreement.match, by)
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Agreement.Status.PROPOSED:
            raise AgreementError(_("This version is no longer waiting for signatures."))
        if agreement.proposed_by_id == by.pk:
            agreement.delete()  # the proposer takes their own proposal back
            return agreement
        agreement.status, agreement.answered_by = Agreement.Status.DECLINED, by
        agreement.save(update_fields=["status", "answered_by"])
    return agreement


def _complete(agreement: Agreement) -> bool:
    """In force once everyone in the match has signed (inside the caller's transaction)."""
    signed = set(agreement.signatures.values_list("user_id", flat=True))
    if not _members(agreement.match) <= signed:
        return False
    Agreement.objects.filter(match_id=agreement.match_id, status=Agreement.Status.IN_FORCE).update(
        status=Agreement.Status.SUPERSEDED
    )
    agreement.status, agreement.in_force_at = Agreement.Status.IN_FORCE, timezone.now()
    agreement.save(update_fields=["status", "in_force_at"])
    agreement_in_force.send(sender=Agreement, agreement=agreement)
    return True


def _tell_others(agreement: Agreement, by: User) -> None:
    url = absolute_url(reverse("agreements:agreement", args=[agreement.match_id]))
    others = User.objects.filter(pk__in=_members(agreement.match) - {by.pk})
    for person in others:
        queue_email(
            person,
            EmailKind.MATCH_UPDATES,
            "emails/agreement_proposed",
            {"name": by.display_name, "first": agreement.version == 1, "url": url,
             "programme_name": agreement.match.programme.name},
            f"agreement:{agreement.pk}:{person.pk}",
        )  # fmt: skip


def signed_by(person_id: int) -> list[dict]:
    """The versions a person signed, for their copy of their data."""
    signed = Agreement.objects.filter(signatures__user_id=person_id).distinct().order_by("match_id", "version")
    return [{"match": a.match_id, "version": a.version, "status": a.status,
             **{name: getattr(a, name) for name in TERMS}} for a in signed]  # fmt: skip
