"""Announcements: a coordinator writes once to a programme or a part of it (mentors, mentees, mentees
without a match, the people in pairs at risk); each person finds it in the app and gets it by e-mail
through the outbox (an announcement e-mail can be unsubscribed from)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from accounts.models import User
from accounts.text_screening import policies_for, refuse_contact_details
from matching.models import Match, MatchMember, Membership, Role
from richtext import plain_text, render_markdown

from .models import Announcement, AnnouncementReceipt


def recipients(programme, segment: str):
    """The people an announcement to this segment reaches: approved enrolments in the programme."""
    enrolled = Membership.objects.filter(programme=programme, status=Membership.Status.APPROVED)
    current = MatchMember.objects.filter(membership=OuterRef("pk"), match_status__in=Match.CURRENT)
    if segment == Announcement.Segment.MENTORS:
        enrolled = enrolled.filter(role=Role.MENTOR)
    elif segment == Announcement.Segment.MENTEES:
        enrolled = enrolled.filter(role=Role.MENTEE)
    elif segment == Announcement.Segment.UNMATCHED:
        enrolled = enrolled.filter(role=Role.MENTEE).exclude(Exists(current))
    elif segment == Announcement.Segment.AT_RISK:
        at_risk = current.filter(match__at_risk_since__isnull=False)
        enrolled = enrolled.filter(Exists(at_risk))
    return User.objects.filter(pk__in=enrolled.values("user_id"), is_active=True, erased_at__isnull=True)


def send(announcement: Announcement) -> Announcement:
    """Save and deliver a new announcement (the subject is seen by everyone: no contact details in it)."""
    refuse_contact_details(announcement.subject, policies_for(programme=announcement.programme))
    announcement.body_html = render_markdown(announcement.body)
    with transaction.atomic():
        announcement.sent_at = timezone.now()
        announcement.save()
        people = list(recipients(announcement.programme, announcement.segment))
        AnnouncementReceipt.objects.bulk_create(
            [AnnouncementReceipt(announcement=announcement, user=person) for person in people], ignore_conflicts=True
        )
        context = {
            "subject_line": announcement.subject,
            "text": plain_text(announcement.body, limit=10_000),
            "html": announcement.body_html,
            "programme_name": announcement.programme.name,
            "author": announcement.author.display_name if announcement.author else "",
            "url": absolute_url(reverse("messaging:announcements")),
        }
        for person in people:
            queue_email(person, EmailKind.ANNOUNCEMENT, "emails/announcement", context,
                        f"announcement:{announcement.pk}:{person.pk}")  # fmt: skip
        Announcement.objects.filter(pk=announcement.pk).update(recipients_count=len(people))
        announcement.recipients_count = len(people)
    return announcement


def unread_count(user) -> int:
    return AnnouncementReceipt.objects.filter(user=user, read_at__isnull=True).count()


def of(user):
    """A person's announcements, newest first, with whether each was read."""
    return (
        AnnouncementReceipt.objects.filter(user=user)
        .select_related("announcement__programme", "announcement__author")
        .order_by("-announcement__sent_at", "-pk")
    )


def mark_read(user) -> None:
    AnnouncementReceipt.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
