"""Programmes, enrolment and matches: who mentors whom, and how it starts, grows and ends."""

import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import validate_language_codes
from accounts.text_screening import validate_single_line
from accounts.timezones import validate_timezone, zone_named


class Topic(models.Model):
    """A need a mentee can have or a skill a mentor can offer ("CVs", "public speaking")."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def open_for_enrolment(self):
        today = timezone.localdate()
        return self.filter(is_active=True, enrolment_open=True).exclude(ends_on__lt=today)

    def visible_to(self, user):
        """Programmes a person may see: open ones, those they belong to or coordinate, and those they
        are invited to (at their address)."""
        if not user.is_authenticated:
            return self.none()
        invited = Invitation.objects.filter(
            status=Invitation.Status.PENDING, expires_at__gt=timezone.now(), email__iexact=user.email
        )
        return self.filter(
            models.Q(pk__in=self.open_for_enrolment().values("pk"))
            | models.Q(memberships__user=user)
            | models.Q(coordinator_roles__user=user)
            | models.Q(pk__in=invited.values("programme_id"))
        ).distinct()


def programme_default_timezone() -> str:
    return settings.TIME_ZONE


class Programme(models.Model):
    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group (one mentor, several mentees)")

    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    agreement = models.TextField(
        _("agreement"), blank=True, help_text=_("The code of conduct people accept when they enrol.")
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.ONE_TO_ONE)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, help_text=_("The needs and skills people choose from.")
    )

    mentee_requests_enabled = models.BooleanField(_("mentees may request mentors"), default=True)
    coordinator_matching_enabled = models.BooleanField(_("coordinators match by hand"), default=True)
    automatic_matching_enabled = models.BooleanField(_("automatic matching"), default=True)
    # The programme's own clock, for what is about the programme rather than one person: its reports
    # and CSV downloads (people see times in their own zones).
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=programme_default_timezone,
        validators=[validate_timezone],
        help_text=_("Reports and CSV downloads give times in this zone, such as Europe/London."),
    )
    enrolment_open = models.BooleanField(_("open for enrolment"), default=True)
    # Safe by default: a new programme is for young people, and a coordinator approves each enrolment.
    for_young_people = models.BooleanField(
        _("mentees may be under 18"),
        default=True,
        help_text=_(
            "Mentees give their date of birth when they enrol; below the consent age a parent or guardian "
            "must agree before they can be matched, and under-18s get high-privacy defaults."
        ),
    )
    consent_age = models.PositiveSmallIntegerField(
        _("guardian consent below age"),
        default=16,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
        help_text=_("Mentees younger than this need a parent's or guardian's consent."),
    )
    enrolment_requires_approval = models.BooleanField(_("enrolments need a coordinator's approval"), default=True)
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    request_expiry_days = models.PositiveSmallIntegerField(
        _("requests expire after (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    match_rate_target = models.PositiveSmallIntegerField(
        _("match rate target (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    # Matching weights (matching.scoring): with the questions' weights, scaled to 100 in all.
    topic_weight = models.PositiveSmallIntegerField(
        _("weight of shared topics"), default=55, db_default=55, validators=[MaxValueValidator(100)]
    )
    language_weight = models.PositiveSmallIntegerField(
        _("weight of a shared language"), default=15, db_default=15, validators=[MaxValueValidator(100)]
    )
    time_weight = models.PositiveSmallIntegerField(
        _("weight of shared waking hours"), default=30, db_default=30, validators=[MaxValueValidator(100)]
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProgrammeCoordinator",
        related_name="coordinated_programmes",
        verbose_name=_("coordinators"),
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("matching:programme", args=[self.slug])

    @property
    def is_taking_enrolments(self) -> bool:
        today = timezone.localdate()
        return self.is_active and self.enrolment_open and not (self.ends_on and self.ends_on < today)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The programme's zone for its reports (a zone since removed from the tz database: the site's)."""
        return zone_named(self.timezone)


class ProgrammeCoordinator(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coordinator_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_roles")
    is_safeguarding_lead = models.BooleanField(_("safeguarding lead"), default=False)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="coordinator_once_per_programme"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(is_safeguarding_lead=True),
                name="one_safeguarding_lead_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.programme})"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class RequiredCheck(models.Model):
    """A check everyone in a role must have cleared, and in date, before they can be matched."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="required_checks")
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    check_type = models.ForeignKey(
        "screening.CheckType", on_delete=models.PROTECT, related_name="required_by", verbose_name=_("check")
    )

    class Meta:
        verbose_name = _("required check")
        verbose_name_plural = _("required checks")
        constraints = [
            models.UniqueConstraint(fields=["programme", "role", "check_type"], name="check_required_once"),
        ]

    def __str__(self):
        return f"{self.check_type} ({self.get_role_display()})"


class RequiredTraining(models.Model):
    """A training module everyone in a role must complete before they can be matched."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="required_training")
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    module = models.ForeignKey(
        "training.Module", on_delete=models.PROTECT, related_name="required_by", verbose_name=_("module")
    )

    class Meta:
        verbose_name = _("required training")
        verbose_name_plural = _("required training")
        ordering = ["module__position", "module__title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "role", "module"], name="training_required_once"),
        ]

    def __str__(self):
        return f"{self.module} ({self.get_role_display()})"


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Membership.Status.APPROVED)

    def mentors(self):
        return self.filter(role=Role.MENTOR)

    def mentees(self):
        return self.filter(role=Role.MENTEE)

    def matchable(self, on=None):
        """Approved, screened, trained and (for young mentees) consented: see matching.readiness."""
        from .readiness import matchable_q

        return self.filter(matchable_q(on))

    def not_away(self, on=None):
        """Not in away mode on that day (accounts.User.away_until): suggestions and automatic matching
        skip people who are away."""
        on = on or timezone.localdate()
        return self.filter(models.Q(user__away_until__isnull=True) | models.Q(user__away_until__lt=on))


class Membership(models.Model):
    """A person's enrolment in a programme, as mentor or mentee, with what matching needs to know."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    Role = Role

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.APPLIED)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, help_text=_("What a mentee needs, or what a mentor offers.")
    )
    goals = models.TextField(_("what I hope to get from mentoring"), max_length=2000, blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        verbose_name=_("languages for mentoring"),
        default=list,
        blank=True,
        size=20,
        validators=[validate_language_codes],
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees at once"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # Used only to honour a mentee's preference when matching; never shown to other people.
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    preferred_mentor_gender = models.CharField(
        _("preferred mentor gender"), max_length=10, choices=Gender.choices, blank=True
    )
    agreement_accepted_at = models.DateTimeField(_("agreement accepted at"), null=True, blank=True)
    # Answers to the programme's own questions (EnrolmentQuestion), by question id: a choice's text, a list
    # of them, a number on a scale, or a short text.
    answers = models.JSONField(_("answers"), default=dict, db_default={}, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="enrol_once_per_programme"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="membership_capacity_positive"),
        ]
        indexes = [models.Index(fields=["programme", "role", "status"], name="membership_pool")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.programme}"


class EnrolmentQuestion(models.Model):
    """A programme's own question at enrolment ("Are you the first in your family to go to university?"),
    for one role or both; its answer can be a matching criterion with a weight (matching.scoring)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("A scale from 1 to 5")
        TEXT = "text", _("A short text")

    class Rule(models.TextChoices):
        NONE = "", _("Not used in matching")
        SAME = "same", _("Better when they answer the same")
        DIFFERENT = "different", _("Better when they answer differently")
        OVERLAP = "overlap", _("Better when they share a choice")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(_("asked of"), max_length=6, choices=Role.choices, blank=True,
                            help_text=_("Empty: mentors and mentees alike."))  # fmt: skip
    text = models.CharField(_("question"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("answered with"), max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    choices = ArrayField(models.CharField(max_length=100), verbose_name=_("choices"), default=list, blank=True)
    required = models.BooleanField(_("must be answered"), default=False)
    rule = models.CharField(_("in matching"), max_length=9, choices=Rule.choices, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=10, validators=[MaxValueValidator(50)],
        help_text=_("Points a pair gains when the rule holds (topics weigh 55, a language 15, time zones 30)."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("enrolment question")
        verbose_name_plural = _("enrolment questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    def asked_of(self, role: str) -> bool:
        return not self.role or self.role == role


class JoinCode(models.Model):
    """A code or a link a coordinator hands out (a school assembly, a staff newsletter) that lets people
    enrol in the programme themselves, also in one closed to open enrolment: optionally only people whose
    verified address is at certain domains, until a date, and a number of times (matching.join_codes)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="join_codes")
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("What people type, or the end of the link. Letters and digits; case does not matter."),
    )
    role = models.CharField(
        _("role"), max_length=6, choices=Role.choices, blank=True, help_text=_("Empty: people choose.")
    )
    email_domains = ArrayField(
        models.CharField(max_length=253),
        verbose_name=_("only addresses at"),
        default=list,
        blank=True,
        help_text=_("Comma-separated, for example school.org.uk (its subdomains too). Empty: any address."),
    )
    expires_at = models.DateTimeField(_("works until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("at most this many enrolments"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("enrolments so far"), default=0, editable=False)
    is_active = models.BooleanField(_("works"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True) | models.Q(uses__lte=models.F("max_uses")),
                name="join_code_uses_within_limit",
            )
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("matching:join", args=[self.code])


class InvitationList(models.Model):
    """A coordinator's uploaded list of people to invite, as read into its preview (matching.invitation_files),
    kept until they send it: confirming sends what they saw, not a file read again."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitation_lists")
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list, editable=False)  # [{"line", "name", "email", "role"}], the ones to invite
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Sending runs in the background, a batch of rows at a time (matching.invitations.send_list): when it
    # began, how many rows it has been through (the progress bar), and when it finished.
    sending_since = models.DateTimeField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("list of people to invite")
        verbose_name_plural = _("lists of people to invite")

    def __str__(self):
        return self.file_name

    @property
    def total(self) -> int:
        return len(self.rows)


class Invitation(models.Model):
    """A coordinator asks one person (by e-mail address) to join a programme in a role; the person
    accepts by the link in the e-mail, signed in with that address. Bringing someone into a programme
    is always their choice: coordinators can only pick people already in their programmes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sent, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    # As the coordinator's list gave it ("Hello Ada,"); a single line.
    name = models.CharField(_("name"), max_length=100, blank=True, validators=[validate_single_line])
    # Answers to the programme's questions that the list gave: they fill the enrolment form, which the
    # person may change.
    answers = models.JSONField(_("answers"), default=dict, db_default={}, blank=True)
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    membership = models.OneToOneField(
        "Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="one_open_invitation_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.programme}"

    def get_absolute_url(self):
        return reverse("matching:invitation", args=[self.token])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        # Not a relationship: the thread of private support conversations between one participant and
        # the programme's coordinators (messaging.support). Never current, never counted as a match.
        SUPPORT = "support", _("Support conversations")

    class Source(models.TextChoices):
        REQUEST = "request", _("Requested by the mentee")
        COORDINATOR = "coordinator", _("Proposed by a coordinator")
        AUTOMATIC = "automatic", _("Proposed by automatic matching")
        SUPPORT = "support", _("Opened by a coordinator for support")

    class CloseReason(models.TextChoices):
        COMPLETED = "completed", _("The programme is complete")
        GOALS_MET = "goals_met", _("Our goals are met")
        NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
        NOT_A_GOOD_FIT = "not_a_good_fit", _("Not a good fit")
        UNRESPONSIVE = "unresponsive", _("The other person stopped replying")
        SAFEGUARDING = "safeguarding", _("Safeguarding")

    class AtRisk(models.TextChoices):
        """Why coordinators should look at a pair (set by the apps that watch them, through services)."""

        OVERDUE = "overdue", _("Reply overdue")
        PROMISE_MISSED = "promise_missed", _("Promised reply not sent")
        INACTIVE = "inactive", _("Gone quiet")
        AWAY = "away", _("Away for a long time")
        CHECK_IN = "check_in", _("A check-in answer")
        MISSED_MEETING = "missed_meeting", _("Someone missed a meeting")

    class PauseReason(models.TextChoices):
        COORDINATOR = "coordinator", _("Paused by a coordinator")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("A guardian withdrew consent")

    CURRENT = (Status.ACTIVE, Status.PAUSED)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matches")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(_("source"), max_length=11, choices=Source.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    request_note = models.TextField(_("note from the mentee"), max_length=1000, blank=True)
    expires_at = models.DateTimeField(_("request expires at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    score = models.PositiveSmallIntegerField(_("score when matched"), null=True, blank=True)
    reasons = models.JSONField(_("reasons when matched"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    closing_rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    closing_reflection = models.TextField(_("reflection"), max_length=2000, blank=True)
    # Set when a pair stalls (a reply overdue to escalation, or a long silence), through
    # services.mark_at_risk; cleared when they write again. Coordinators' lists and dashboard read it.
    at_risk_since = models.DateTimeField(_("at risk since"), null=True, blank=True)
    at_risk_reason = models.CharField(_("why at risk"), max_length=20, blank=True, choices=AtRisk.choices)
    inactivity_nudged_at = models.DateTimeField(null=True, blank=True, editable=False)
    pause_reason = models.CharField(_("why paused"), max_length=20, blank=True, choices=PauseReason.choices)
    safeguarding_hold = models.BooleanField(
        _("safeguarding hold"),
        default=False,
        help_text=_(
            "Keep every record of this match (messages included) beyond the retention period, until the "
            "programme's safeguarding lead releases it. Set by a reported concern and by a closure for safeguarding."
        ),
    )
    safeguarding_hold_since = models.DateTimeField(_("held since"), null=True, blank=True, editable=False)
    safeguarding_hold_reason = models.CharField(_("held because"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closing_rating__isnull=True)
                | models.Q(closing_rating__gte=1, closing_rating__lte=5),
                name="match_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["expires_at"], name="match_open_requests", condition=models.Q(status="proposed")),
            models.Index(fields=["programme", "status"], name="match_programme_status"),
        ]

    def __str__(self):
        names = " & ".join(member.user.display_name for member in self.members.all())
        return f"{names or _('Match')} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("matching:match", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT

    @property
    def is_writable(self) -> bool:
        """People write in an active match only (a paused one can be read, not added to), and in support
        conversations."""
        return self.status in (self.Status.ACTIVE, self.Status.SUPPORT)


class MatchMember(models.Model):
    """A person in a match, with their role. `match_status` mirrors the match's status so that the
    database itself can refuse a second current match for a mentee (see the constraints)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="match_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_members")
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    match_status = models.CharField(max_length=8, choices=Match.Status.choices, default=Match.Status.PROPOSED)

    class Meta:
        verbose_name = _("match member")
        verbose_name_plural = _("match members")
        constraints = [
            models.UniqueConstraint(fields=["match", "user"], name="match_member_once"),
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(role="mentee", match_status__in=["active", "paused"]),
                name="one_current_match_per_mentee",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(role="mentee", match_status="proposed"),
                name="one_open_proposal_per_mentee",
            ),
        ]
        indexes = [models.Index(fields=["membership", "match_status"], name="match_member_by_status")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("details"), max_length=2000, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["status", "target_date", "created_at"]
        indexes = [models.Index(fields=["target_date"], name="goal_open_due", condition=models.Q(status="open"))]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("step"), max_length=200, validators=[validate_single_line])
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class MatchNote(models.Model):
    """What a coordinator noted or did about a pair (seen by the programme's coordinators only): the
    at-risk list's working record."""

    class Action(models.TextChoices):
        NOTE = "note", _("Note")
        CONTACTED = "contacted", _("Contacted them")
        MEETING = "meeting", _("Arranged a call or meeting")
        WATCHING = "watching", _("Keeping an eye on it")
        RESOLVED = "resolved", _("Resolved: no longer at risk")
        ADDED = "added", _("Added to the group")
        REMOVED = "removed", _("Removed from the group")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.NOTE)
    text = models.TextField(_("note"), max_length=2000, blank=True)
    # Why the pair was at risk when the note was written (the mark itself moves on).
    at_risk_reason = models.CharField(_("at risk for"), max_length=20, blank=True, choices=Match.AtRisk.choices)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("coordinator's note")
        verbose_name_plural = _("coordinators' notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d}"


class CoMentorInvitation(models.Model):
    """A mentor in a match asks another mentor of the programme to co-mentor (matching.groups)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="co_mentor_invitations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="co_mentor_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("co-mentor invitation")
        verbose_name_plural = _("co-mentor invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["match", "membership"], condition=models.Q(answered_at__isnull=True),
                name="one_open_co_mentor_invitation",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.membership} → {self.match}"
