import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from .languages import validate_language_codes
from .timezones import validate_timezone


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
        _("display name"), max_length=80, help_text=_("How other people in your programmes see you.")
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True, help_text=_("Optional, e.g. she/her."))
    bio = models.TextField(
        _("short bio"),
        max_length=1000,
        blank=True,
        help_text=_("A few sentences about you: your studies or work, and what you hope to get from mentoring."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
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
        default=datetime.time(21, 0),
        help_text=_("No reminders are sent between these times in your time zone."),
    )
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=datetime.time(8, 0))

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
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def zone(self):
        """The person's time zone as a tzinfo, for converting times they will read."""
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self) -> datetime.datetime:
        return now().astimezone(self.zone)


def display_name_of(user) -> str:
    """What allauth shows for a person: never their e-mail address."""
    return user.display_name
