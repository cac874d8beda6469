"""A mentoring agreement: what a pair agree about how they will work (goals, how often they write, the
reply window both accept, how and how often they mean to meet, ground rules). Each change is a new
version; a version is in force once everyone in the match has signed it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import Match

MAX_REPLY_DAYS = 14


class Agreement(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for signatures")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Replaced by a newer version")
        DECLINED = "declined", _("Not accepted")

    class Frequency(models.TextChoices):
        TWICE_WEEKLY = "twice_weekly", _("Twice a week")
        WEEKLY = "weekly", _("Once a week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Once a month")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    goals = models.TextField(_("what we want to achieve"), max_length=2000)
    writing_frequency = models.CharField(
        _("how often we will write"), max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    reply_within_days = models.PositiveSmallIntegerField(
        _("we reply within (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REPLY_DAYS)],
        help_text=_("Reply reminders follow this instead of the programme's default."),
    )
    meetings = models.TextField(
        _("how and how often we will meet"),
        max_length=1000,
        blank=True,
        help_text=_("For example: a video call once a month, arranged through the programme."),
    )
    ground_rules = models.TextField(_("ground rules"), max_length=3000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mentoring agreement")
        verbose_name_plural = _("mentoring agreements")
        ordering = ["match", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["match", "version"], name="agreement_version_once"),
            models.UniqueConstraint(
                fields=["match"], condition=models.Q(status="in_force"), name="one_agreement_in_force"
            ),
            models.UniqueConstraint(
                fields=["match"], condition=models.Q(status="proposed"), name="one_agreement_proposed"
            ),
        ]

    def __str__(self):
        return f"{self.match} · v{self.version} · {self.get_status_display()}"


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "user"], name="sign_once")]

    def __str__(self):
        return f"{self.user} · {self.signed_at:%Y-%m-%d}"
