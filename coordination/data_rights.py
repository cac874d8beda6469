"""A person's rights over their data: a copy of all of it, and erasure of their account.

Both span every app (accounts, matching, messaging), so they live on the top floor; each app's own
records change through its services.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.email_kinds import EmailKind
from accounts.models import OutboundEmail, User
from agreements import services as agreements
from checkins import services as checkins
from consent import services as consent
from matching.models import Goal, Match, MatchMember, Membership
from matching.services import leave_every_programme
from messaging import thread_cache
from messaging.models import Concern, Draft, Message, Participant, ScheduledMessage
from screening import services as screening
from sso import services as sso
from training import services as training

DELETED_NAME = "Deleted user"


def personal_data(user: User) -> dict:
    """Everything the platform holds about this person, as JSON-serialisable data."""
    memberships = Membership.objects.filter(user=user).select_related("programme").prefetch_related("topics")
    match_ids = MatchMember.objects.filter(user=user).values("match_id")
    matches = (
        Match.objects.filter(pk__in=match_ids)
        .exclude(status=Match.Status.SUPPORT)  # support conversations are in "messages"
        .select_related("programme")
        .prefetch_related("members__user")
    )
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "bio": user.bio,
            "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
            "away_until": user.away_until.isoformat() if user.away_until else None,
            "timezone": user.timezone,
            "languages": user.languages,
            "language": user.language,
            "notification_preference": user.notification_preference,
            "digest_hour": user.digest_hour,
            "digest_weekday": user.digest_weekday,
            "quiet_hours": [user.quiet_hours_start.isoformat(), user.quiet_hours_end.isoformat()],
            "email_opt_outs": user.email_opt_outs,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {
                "programme": m.programme.name,
                "role": m.role,
                "status": m.status,
                "topics": [t.name for t in m.topics.all()],
                "goals": m.goals,
                "languages": m.languages,
                "capacity": m.capacity,
                "gender": m.gender,
                "preferred_mentor_gender": m.preferred_mentor_gender,
                "agreement_accepted_at": m.agreement_accepted_at.isoformat() if m.agreement_accepted_at else None,
                "enrolled_at": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "matches": [
            {
                "id": match.pk,
                "programme": match.programme.name,
                "status": match.status,
                "people": [member.user.display_name for member in match.members.all() if member.user_id != user.pk],
                "started_at": match.activated_at.isoformat() if match.activated_at else None,
                "closed_at": match.closed_at.isoformat() if match.closed_at else None,
                "request_note": match.request_note if match.proposed_by_id == user.pk else "",
                "closing": (
                    {
                        "reason": match.close_reason,
                        "rating": match.closing_rating,
                        "reflection": match.closing_reflection,
                    }
                    if match.closed_by_id == user.pk
                    else None
                ),
            }
            for match in matches
        ],
        "messages": [
            {
                "conversation": message.conversation.subject,
                "sent_at": message.created_at.isoformat(),
                "edited_at": message.edited_at.isoformat() if message.edited_at else None,
                "status": message.status,
                "body": message.body,
            }
            for message in Message.objects.filter(sender=user).select_related("conversation").order_by("created_at")
        ],
        "goals": [
            {
                "match": goal.match_id,
                "title": goal.title,
                "description": goal.description,
                "target_date": goal.target_date.isoformat() if goal.target_date else None,
                "status": goal.status,
                "steps": [{"title": step.title, "done": step.done} for step in goal.milestones.all()],
            }
            for goal in Goal.objects.filter(match__in=match_ids).prefetch_related("milestones")
        ],
        "agreements_signed": agreements.signed_by(user.pk),
        "screening_checks": screening.of_person(user.pk),
        "training": training.of_person(user.pk),
        "check_in_answers": checkins.of_person(user.pk),
        "guardian_consents": consent.of_person(user.pk),
        "organisation_sign_ins": sso.of_person(user.pk),
        "drafts": list(Draft.objects.filter(user=user).values_list("body", flat=True)),
        "replies_scheduled": [
            {"deliver_at": s.deliver_at.isoformat(), "status": s.status, "body": s.body}
            for s in ScheduledMessage.objects.filter(sender=user)
        ],
        "concerns_reported": [
            {"reported_at": c.created_at.isoformat(), "reason": c.reason} for c in Concern.objects.filter(reporter=user)
        ],
        "emails_sent_to_you": [
            {"kind": e.kind, "subject": e.subject, "sent_at": e.sent_at.isoformat() if e.sent_at else None}
            for e in OutboundEmail.objects.filter(recipient=user, status=OutboundEmail.Status.SENT)
        ],
    }


def erase_account(user: User) -> None:
    """Anonymise a person at their request.

    Their current matches close (the other member and coordinators are told), enrolments are
    withdrawn, nothing is e-mailed to them again, every session ends. The messages they sent stay
    for the other member, shown as "Deleted user"; they are purged with the rest of the match
    after the programme's retention period unless a safeguarding hold keeps them.
    """
    with transaction.atomic():
        leave_every_programme(user)
        Draft.objects.filter(user=user).delete()
        ScheduledMessage.objects.filter(sender=user).delete()  # never sent: nobody else has read them
        # Person-level records go; an agreement they signed stays with the match, like their messages.
        screening.forget(user.pk)
        training.forget(user.pk)
        consent.forget(user.pk)
        checkins.forget(user.pk)
        sso.forget(user.pk)
        # Pages shown with their name (and drafts) are cached: no copy of those may be read again.
        thread_cache.forget(Participant.objects.filter(user=user).values("conversation_id"))
        OutboundEmail.objects.filter(recipient=user, status=OutboundEmail.Status.PENDING).update(
            status=OutboundEmail.Status.CANCELLED, last_error="Recipient erased their account.", context={}
        )
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@erased.invalid"
        user.display_name = DELETED_NAME
        user.pronouns = user.bio = ""
        user.date_of_birth = user.away_until = None
        user.languages = []
        user.timezone = settings.TIME_ZONE
        user.notification_preference = User.NotificationPreference.NONE
        user.email_opt_outs = [kind.value for kind in EmailKind]
        user.is_active = user.is_staff = user.is_superuser = False
        user.erased_at = timezone.now()
        user.set_unusable_password()  # changes the session hash: every existing session ends
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
