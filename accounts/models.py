import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.timezone import now as timezone_now
from django.utils.translation import gettext_lazy as _

from .email_context import EmailContextDecoder, EmailContextEncoder
from .email_kinds import ESSENTIAL_KINDS, EmailKind
from .languages import validate_language_codes, validate_site_language
from .text_screening import validate_single_line
from .timezones import validate_timezone, zone_named


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Whole years completed on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Addresses are stored lower-cased, so a login in any case finds its account.
        return self.get(email=normalise_email(email))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip()).lower()


# Callables, not times: Django's system check (fields.W161) warns about a fixed time default within ten
# seconds of the clock, so `check --deploy --fail-level WARNING` failed when run at 21:00:00 or 08:00:00.
def default_quiet_hours_start() -> datetime.time:
    return datetime.time(21, 0)


def default_quiet_hours_end() -> datetime.time:
    return datetime.time(8, 0)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: mentee, mentor or coordinator. They log in with their e-mail address.

    Other people only ever see `display_name`; the e-mail address is for the platform alone.
    """

    class NotificationPreference(models.TextChoices):
        EACH_MESSAGE = "each_message", _("An e-mail for each new message (batched)")
        DAILY_DIGEST = "daily_digest", _("A daily digest")
        WEEKLY_DIGEST = "weekly_digest", _("A weekly digest")
        NONE = "none", _("No e-mails about messages")

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this e-mail address already exists.")},
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("How other people in your programmes see you."),
        validators=[validate_single_line],
    )
    pronouns = models.CharField(
        _("pronouns"),
        max_length=40,
        blank=True,
        help_text=_("Optional, e.g. she/her."),
        validators=[validate_single_line],
    )
    bio = models.TextField(
        _("short bio"),
        max_length=1000,
        blank=True,
        help_text=_("A few sentences about you: your studies or work, and what you hope to get from mentoring."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    # Asked only by programmes for young people, at enrolment: whether a guardian must consent, and
    # the privacy defaults for under-18s. Shown to nobody but the person and their coordinators.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Away mode (holiday, exams): through this day, in the person's zone, nobody is reminded or told
    # about them, suggestions skip them and new requests to them are declined kindly. Kept once past:
    # a reply owed since before they left is counted from their return.
    away_until = models.DateField(_("away until"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        verbose_name=_("languages spoken"),
        validators=[validate_language_codes],
        default=list,
        blank=True,
        size=20,
    )
    notification_preference = models.CharField(
        _("e-mail me about messages"),
        max_length=20,
        choices=NotificationPreference.choices,
        default=NotificationPreference.EACH_MESSAGE,
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"),
        default=8,
        validators=[MaxValueValidator(23)],
        help_text=_("The hour of the day, in your time zone, when digests arrive."),
    )
    quiet_hours_start = models.TimeField(
        _("quiet hours start"),
        default=default_quiet_hours_start,
        help_text=_("No reminders are sent between these times in your time zone."),
    )
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=default_quiet_hours_end)
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest day"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    # When the next digest is due, in UTC; kept by accounts.schedule whenever the preference changes.
    next_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    language = models.CharField(
        _("language for the site and e-mails"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
        validators=[validate_site_language],
    )
    email_opt_outs = ArrayField(
        models.CharField(max_length=32),
        verbose_name=_("e-mails turned off"),
        default=list,
        blank=True,
        help_text=_("Kinds of e-mail this person has unsubscribed from."),
    )
    replies_by_email = models.BooleanField(
        _("answer messages by replying to their e-mails"),
        default=True,
        db_default=True,  # rows bulk-copied without the column (tools/seed_scale) take it too
        help_text=_("Where your programme allows it. Your reply is checked like a message on the site."),
    )
    # Reply addresses made before this time no longer work (the person turned replies off, or asked for
    # the addresses in e-mails they already have to stop working): messaging.reply_addresses.
    reply_addresses_void_before = models.DateTimeField(null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(
        _("erased at"), null=True, blank=True, help_text=_("Personal data erased on request; never e-mailed again.")
    )

    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Whether the person can log into the admin site.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts: it ends every session at once."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # Stored lower-cased, so that uniqueness is case-insensitive with a plain unique index.
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"),
            models.CheckConstraint(condition=models.Q(digest_hour__lte=23), name="accounts_user_digest_hour_valid"),
            models.CheckConstraint(
                condition=models.Q(digest_weekday__lte=6), name="accounts_user_digest_weekday_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_digest_at"], name="user_digest_due", condition=models.Q(next_digest_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        update_fields = kwargs.get("update_fields")
        if (update_fields is None or set(update_fields) & _SCHEDULE_FIELDS) and self._schedule_changed():
            from .schedule import next_digest_at

            self.next_digest_at = next_digest_at(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "next_digest_at"}
        super().save(*args, **kwargs)

    def _schedule_changed(self) -> bool:
        """Whether the digest settings differ from what is stored (always, for a new person)."""
        if self.pk is None:
            return True
        stored = User.objects.filter(pk=self.pk).values(*_SCHEDULE_FIELDS).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in _SCHEDULE_FIELDS)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def zone(self):
        """The person's time zone as a tzinfo, for converting times they will read.

        A zone removed from the tz database since it was chosen falls back to the site's zone.
        """
        return zone_named(self.timezone)

    def age_on(self, day: datetime.date) -> int | None:
        return None if self.date_of_birth is None else age_on(self.date_of_birth, day)

    @property
    def is_under_18(self) -> bool:
        """Under 18 today, as far as we know: the Age Appropriate Design Code's defaults apply."""
        age = self.age_on(now().astimezone(self.zone).date())
        return age is not None and age < 18

    def local_now(self) -> datetime.datetime:
        return now().astimezone(self.zone)

    @property
    def away_ends_at(self) -> datetime.datetime | None:
        """The moment away mode ends: midnight after `away_until`, in the person's zone."""
        if self.away_until is None:
            return None
        day_after = self.away_until + datetime.timedelta(days=1)
        return datetime.datetime.combine(day_after, datetime.time(), tzinfo=self.zone)

    @property
    def is_away(self) -> bool:
        return self.away_until is not None and self.away_ends_at > now()

    @property
    def can_receive_email(self) -> bool:
        return self.is_active and self.erased_at is None and bool(self.email)

    def wants_email(self, kind: str) -> bool:
        """Whether this person may be sent an e-mail of this kind at all, right now."""
        if not self.can_receive_email:
            return False
        return kind in ESSENTIAL_KINDS or kind not in self.email_opt_outs


_SCHEDULE_FIELDS = {"notification_preference", "digest_hour", "digest_weekday", "timezone"}


def display_name_of(user) -> str:
    """What allauth shows for a person: never their e-mail address."""
    return user.display_name


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None, stale_after=None):
        """Rows a sweeper should deliver: pending and due, or stuck in `sending` by a dead worker."""
        now = now or timezone_now()
        stale_after = stale_after or OutboundEmail.STALE_CLAIM_AFTER
        return self.filter(
            models.Q(status=OutboundEmail.Status.PENDING, send_after__lte=now)
            | models.Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stale_after)
        )


class OutboundEmail(models.Model):
    """One e-mail to one person: the outbox row written in the transaction of the event itself.

    `dedupe_key` is unique, so an event that is processed twice (a retried task, a second beat)
    writes one row and sends one e-mail.
    """

    # Longer than the Celery task time limit, so a row a live worker is still sending is never
    # taken from it; short enough that a killed worker's e-mail goes out within minutes.
    STALE_CLAIM_AFTER = datetime.timedelta(seconds=settings.EMAIL_STALE_CLAIM_SECONDS)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outbound_emails",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
    )
    # For a person with no account yet (an invitation to join a programme): their address alone.
    to_address = models.EmailField(_("to address"), blank=True, help_text=_("When there is no account yet."))
    kind = models.CharField(_("kind"), max_length=32, choices=EmailKind.choices)
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(
        _("context"), default=dict, blank=True, encoder=EmailContextEncoder, decoder=EmailContextDecoder
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    send_after = models.DateTimeField(_("send after"), default=timezone_now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True, help_text=_("As sent."))
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper's two questions, each answered from a small partial index.
            models.Index(fields=["send_after"], name="outbox_pending_due", condition=models.Q(status="pending")),
            models.Index(fields=["claimed_at"], name="outbox_sending_claimed", condition=models.Q(status="sending")),
            models.Index(fields=["recipient", "kind"], name="outbox_recipient_kind"),
            # A reply by e-mail names the e-mail it answers (In-Reply-To); one of ours coming back is a loop.
            models.Index(fields=["message_id"], name="outbox_message_id", condition=~models.Q(message_id="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_address=""),
                name="outbox_has_someone_to_send_to",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient or self.to_address} ({self.get_status_display()})"


class ReviewedText(models.Model):
    """Something a person wrote for others to read (a bio, a note, a goal) that the contact filter held
    for a coordinator's review, or flagged to them (accounts.text_screening). A held text is not shown to
    anyone but its author until it is approved; the field it belongs to keeps what it showed before."""

    class Status(models.TextChoices):
        HELD = "held", _("Waiting for review")
        FLAGGED = "flagged", _("Shown, flagged for coordinators")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not shown")
        REPLACED = "replaced", _("Replaced by a newer text before review")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewed_texts", verbose_name=_("author")
    )
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=40)
    text = models.TextField(_("text"))
    findings = models.JSONField(_("found"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    created_at = models.DateTimeField(_("written at"), default=timezone_now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("why it is not shown"), blank=True)

    class Meta:
        verbose_name = _("text to review")
        verbose_name_plural = _("texts to review")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "field"], name="reviewed_text_owner"),
            models.Index(fields=["created_at"], name="reviewed_text_waiting", condition=models.Q(status="held")),
        ]

    def __str__(self):
        return f"{self.author} · {self.field} · {self.get_status_display()}"

    @property
    def owner(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)
