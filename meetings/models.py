"""Meetings between the people of a match: proposed with up to three slots, agreed on one, held by video,
phone or in person, with an agenda before and notes and next steps after. Each person may give their
weekly availability and has a private calendar feed."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line
from matching.models import Match, Milestone, Programme

MAX_SLOTS = 3


def new_room() -> str:
    return secrets.token_urlsafe(12)


class MeetingPolicy(models.Model):
    """How a programme's pairs may meet. Without a row: video only where a link pattern is set, phone and in
    person allowed, and in-person meetings approved by a coordinator in programmes for young people."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="meeting_policy")
    video_link_template = models.CharField(
        _("video room pattern"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "Your Teams, Zoom or Jitsi room address, with {room} where each meeting's own unguessable room "
            "name goes: https://meet.jit.si/waymark-{room}. Empty: no video meetings."
        ),
    )
    phone_arrangements = models.CharField(
        _("how phone calls are arranged"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "Shown to both: how the programme connects the call (no numbers are exchanged). Empty: no phone calls."
        ),
    )
    allow_in_person = models.BooleanField(_("in-person meetings allowed"), default=True)
    in_person_needs_approval = models.BooleanField(
        _("in-person meetings need a coordinator's approval"), default=False,
        help_text=_("Always the case in programmes for young people."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("meeting policy")
        verbose_name_plural = _("meeting policies")

    def __str__(self):
        return str(self.programme)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a time to be agreed")
        AWAITING_APPROVAL = "approval", _("Waiting for a coordinator's approval")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call arranged by the programme")
        IN_PERSON = "in_person", _("In person")

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Someone did not come")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.VIDEO)
    place = models.CharField(
        _("where"), max_length=200, blank=True, validators=[validate_single_line],
        help_text=_("For a meeting in person: a public place, such as the university library's café."),
    )  # fmt: skip
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=45, validators=[MinValueValidator(15), MaxValueValidator(180)]
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    # Who offered the slots now on the table: the others choose one (or offer others).
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    room = models.CharField(_("video room"), max_length=32, default=new_room, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    missed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("did not come"),
    )  # fmt: skip
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_confirmed_start", condition=Q(status="confirmed")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "approval"]) | Q(starts_at__isnull=False),
                name="meeting_agreed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} ({self.get_status_display()})"

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self.starts_at + self.duration if self.starts_at else None


class Slot(models.Model):
    """One of up to three times offered for a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))

    class Meta:
        verbose_name = _("offered time")
        verbose_name_plural = _("offered times")
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "starts_at"], name="slot_once_per_meeting")]

    def __str__(self):
        return self.starts_at.isoformat()


class AgendaItem(models.Model):
    """A point for the agenda ("what I want from this meeting") or, afterwards, a next step."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda point")
        NEXT_STEP = "next_step", _("Next step")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENDA)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.CharField(_("text"), max_length=300, validators=[validate_single_line])
    # A message picked from the thread (messaging's id: meetings never imports messaging).
    message_id = models.PositiveBigIntegerField(_("from message"), null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("became goal step"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda point or next step")
        verbose_name_plural = _("agenda points and next steps")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text


class Availability(models.Model):
    """A stretch of the week that suits a person for meetings, in their own time zone."""

    WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
                (5, _("Saturday")), (6, _("Sunday"))]  # fmt: skip

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="availability_starts_before_end")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class CalendarFeed(models.Model):
    """A person's private calendar feed: the link's secret is shown once and kept only as its SHA-256;
    a new link revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
