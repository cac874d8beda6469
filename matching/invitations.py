"""Inviting a person into a programme: the only way a coordinator brings someone new in.

A coordinator invites an e-mail address in a role; the outbox sends the link (to the account's
language if the address has one). The person opens it, signs up or signs in with that address, and
enrols through the programme's own form (its agreement included): their enrolment is approved, even
in a programme that takes no open enrolments. The link is a random token, valid for INVITATION_DAYS.
"""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email, queue_email_to_address
from accounts.models import User, normalise_email

from .models import Invitation, InvitationList, Membership, Programme, Role

logger = logging.getLogger(__name__)

INVITATION_DAYS = 30


class InvitationError(Exception):
    """A rule stopped the invitation; the message is for the coordinator who tried."""


def invite(programme: Programme, email: str, role: str, by: User | None) -> Invitation:
    """Invite one address; an address already invited (and not answered) keeps its invitation."""
    address = normalise_email(email or "")
    try:
        validate_email(address)
    except ValidationError:
        raise InvitationError(_("That is not an e-mail address.")) from None
    if role not in Role.values:
        raise InvitationError(_("Choose mentor or mentee."))
    if Membership.objects.filter(programme=programme, user__email=address).exists():
        raise InvitationError(_("%(address)s is already enrolled in %(programme)s.") % {"address": address,
                              "programme": programme.name})  # fmt: skip
    existing = open_invitations().filter(programme=programme, email__iexact=address).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                programme=programme,
                email=address,
                role=role,
                token=secrets.token_urlsafe(32),
                invited_by=by,
                expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
            )
            _send(invitation)
    except IntegrityError:  # invited at the same moment by another coordinator: one invitation
        return Invitation.objects.get(programme=programme, email__iexact=address, status=Invitation.Status.PENDING)
    return invitation


def _context(invitation: Invitation, reminder: int = 0) -> dict:
    return {
        "programme_name": invitation.programme.name,
        "programme_description": invitation.programme.description[:600],
        "role": invitation.role,
        "inviter_name": invitation.invited_by.display_name if invitation.invited_by else "",
        "invitation_url": absolute_url(invitation.get_absolute_url()),
        "expires_at": invitation.expires_at,
        "name": invitation.name,
        "reminder": reminder,
    }


def enrolled_and_invited(programme: Programme, addresses: set[str]) -> tuple[set[str], set[str]]:
    """Of these addresses, those already enrolled in the programme and those with an invitation waiting
    (lower case; two queries for any number)."""
    enrolled = Membership.objects.filter(programme=programme, user__email__in=addresses)
    invited = Invitation.objects.filter(programme=programme, status=Invitation.Status.PENDING, email__in=addresses)
    return (
        {email.lower() for email in enrolled.values_list("user__email", flat=True)},
        {email.lower() for email in invited.values_list("email", flat=True)},
    )


def _email_key(invitation: Invitation, reminder: int = 0) -> str:
    """One e-mail per link (a resent invitation has a new token), and one per reminder."""
    return f"invitation:{invitation.pk}:{invitation.token[:8]}" + (f":reminder-{reminder}" if reminder else "")


def _send(invitation: Invitation) -> None:
    context = _context(invitation)
    key = _email_key(invitation)
    person = User.objects.filter(email=invitation.email, is_active=True).first()
    if person is not None:
        queue_email(person, EmailKind.INVITATION, "emails/invitation", context, key)
    else:
        queue_email_to_address(invitation.email, EmailKind.INVITATION, "emails/invitation", context, key)


def invite_many(programme: Programme, rows, by: User | None) -> list[Invitation]:
    """A coordinator's list (matching.invitation_files, rows already checked): the invitations and their
    e-mails in batched INSERTs (a few queries per thousand rows). An address already enrolled or invited is
    left alone, checked again here because the preview may be hours old, so the same file uploaded twice
    invites nobody twice. Returns the invitations made."""
    now = timezone.now()
    with transaction.atomic():
        enrolled, invited = enrolled_and_invited(programme, {normalise_email(row.email) for row in rows})
        taken = enrolled | invited
        fresh, seen = [], set()
        for row in rows:
            address = normalise_email(row.email)
            if address in taken or address in seen or row.role not in Role.values:
                continue
            seen.add(address)
            fresh.append(
                Invitation(
                    programme=programme, email=address, name=row.name, role=row.role, invited_by=by, created_at=now,
                    answers=row.answers,
                    token=secrets.token_urlsafe(32), expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
                )
            )  # fmt: skip
        made = Invitation.objects.bulk_create(fresh, ignore_conflicts=False, batch_size=1000)
        for invitation in made:
            invitation.programme, invitation.invited_by = programme, by
        _queue_in_bulk(made, reminder=0)
    return made


# Rows sent per transaction: the progress bar moves this often, and a worker that stops loses at most one.
LIST_BATCH = 500


def start_sending(invitation_list: InvitationList) -> bool:
    """The coordinator confirmed the preview: mark the list as sending (once, however often they click)
    and hand it to a worker. Returns whether this call started it."""
    with transaction.atomic():
        locked = InvitationList.objects.select_for_update().get(pk=invitation_list.pk)
        if locked.sending_since is not None:
            return False
        locked.sending_since = timezone.now()
        locked.save(update_fields=["sending_since"])
        transaction.on_commit(lambda: _enqueue_list(locked.pk))
    return True


def _enqueue_list(list_id: int) -> None:
    from .tasks import send_invitation_list

    try:
        send_invitation_list.delay(list_id)
    except Exception:  # noqa: BLE001 - the broker is down: the progress page offers to send the rest at once
        logger.warning("Could not queue invitation list %s; the coordinator can send it from its page", list_id)


def send_list(list_id: int, batches: int | None = None) -> InvitationList:
    """Send a confirmed list a batch at a time from where it stopped (all of it, or `batches` batches).
    Each batch is its own transaction under the list's row lock, so two workers, or a worker and a
    coordinator sending the rest, never send a row twice; invite_many skips anyone already invited."""
    done = 0
    while batches is None or done < batches:
        with transaction.atomic():
            locked = InvitationList.objects.select_for_update().get(pk=list_id)
            if locked.sent_at is not None or locked.sending_since is None:
                return locked
            chunk = locked.rows[locked.processed : locked.processed + LIST_BATCH]
            if chunk:
                from .invitation_files import Row

                made = invite_many(locked.programme, [Row(**row) for row in chunk], by=locked.uploaded_by)
                locked.processed += len(chunk)
                locked.invited += len(made)
            if locked.processed >= locked.total:
                locked.sent_at = timezone.now()
            locked.save(update_fields=["processed", "invited", "sent_at"])
        done += 1
    return locked


# After this long without finishing, the progress page offers the coordinator to send the rest at once
# (a worker usually sends 5,000 rows in about two seconds).
WORKER_GRACE_SECONDS = 15
# A list a worker has not moved on for this long is picked up again by the beat sweep.
STALLED_AFTER = datetime.timedelta(minutes=2)


def resume_stalled_lists(now: datetime.datetime | None = None) -> int:
    """Beat, every five minutes: finish lists whose worker stopped (or whose task was never queued)."""
    now = now or timezone.now()
    stalled = list(
        InvitationList.objects.filter(sent_at=None, sending_since__lt=now - STALLED_AFTER).values_list("pk", flat=True)
    )
    for list_id in stalled:
        send_list(list_id)
    return len(stalled)


def _queue_in_bulk(invitations: list[Invitation], reminder: int) -> int:
    from accounts.emails import PlannedEmail, queue_emails_in_bulk

    people = {
        user.email: user for user in User.objects.filter(email__in=[i.email for i in invitations], is_active=True)
    }
    planned = [
        PlannedEmail(
            user=people.get(invitation.email),
            to_address="" if invitation.email in people else invitation.email,
            kind=EmailKind.INVITATION,
            template="emails/invitation",
            context=_context(invitation, reminder),
            dedupe_key=_email_key(invitation, reminder),
        )
        for invitation in invitations
    ]
    return queue_emails_in_bulk(planned) if planned else 0


# Reminders of an open invitation: a week after it was sent, and a fortnight.
REMINDER_DAYS = (7, 14)


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Beat, daily: remind people of invitations still open 7 and 14 days after they were sent. Each
    reminder has its own key, so a second run (or a second beat) sends nothing more."""
    now = now or timezone.now()
    queued = 0
    for days in REMINDER_DAYS:
        due = list(
            open_invitations()
            .filter(created_at__lte=now - datetime.timedelta(days=days),
                    created_at__gt=now - datetime.timedelta(days=days + 3))
            .select_related("programme", "invited_by")
        )  # fmt: skip
        with transaction.atomic():
            queued += _queue_in_bulk(due, reminder=days)
    return queued


def resend(invitation: Invitation) -> bool:
    """Send an open invitation again (with a new link: the old one stops working)."""
    if invitation.status != Invitation.Status.PENDING:
        return False
    with transaction.atomic():
        invitation.token = secrets.token_urlsafe(32)
        invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
        invitation.save(update_fields=["token", "expires_at"])
        _send(invitation)
    return True


def cancel(invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.CANCELLED, answered_at=timezone.now()
        )
    )


def open_invitations():
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


def find(token: str) -> Invitation | None:
    """The open invitation with this token, or None (unknown, used, cancelled or expired alike)."""
    if not token or len(token) > 64:
        return None
    return open_invitations().select_related("programme").filter(token=token).first()


def is_for(invitation: Invitation, user: User) -> bool:
    """An invitation is answered only by the person it was sent to: signed in with that address."""
    return user.is_authenticated and user.email == normalise_email(invitation.email)


def for_person(user: User):
    """Open invitations to this person's address, for their dashboard."""
    return open_invitations().filter(email__iexact=user.email).select_related("programme")


def decline(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.DECLINED, answered_at=timezone.now()
    )


def accepted(invitation: Invitation, membership: Membership) -> None:
    """Record the enrolment an invitation led to (called inside the enrolment's transaction)."""
    updated = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.ACCEPTED, answered_at=timezone.now(), membership=membership
    )
    if not updated:
        raise InvitationError(_("This invitation has already been answered."))


def enrol_url(invitation: Invitation) -> str:
    return reverse("matching:enrol", args=[invitation.programme.slug]) + f"?invitation={invitation.token}"
