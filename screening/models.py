"""The checks a person has been through: who verified each, when, an evidence reference, the outcome
and until when it holds. Never a copy of a certificate: only where the evidence is and its number."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line


class CheckType(models.Model):
    """A kind of check ("Enhanced DBS with barred list", "Two references", "Interview", "ID seen")."""

    name = models.CharField(_("name"), max_length=120, unique=True, validators=[validate_single_line])
    description = models.TextField(
        _("what is checked and how"), blank=True, help_text=_("Shown to coordinators when they record a check.")
    )
    valid_for_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("A cleared check expires this long after it was verified. Leave empty if it never expires."),
    )

    class Meta:
        verbose_name = _("kind of check")
        verbose_name_plural = _("kinds of check")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def expiry_for(self, verified_on: datetime.date) -> datetime.date | None:
        if not self.valid_for_months:
            return None
        month = verified_on.month - 1 + self.valid_for_months
        year, month = verified_on.year + month // 12, month % 12 + 1
        for day in range(verified_on.day, 27, -1):  # 31 January + 1 month is 28 or 29 February
            try:
                return datetime.date(year, month, day)
            except ValueError:
                continue
        return datetime.date(year, month, 28)


class CheckQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Cleared, and not expired on that day (a check expiring today still holds today)."""
        on = on or timezone.localdate()
        return self.filter(outcome=Check.Outcome.CLEARED).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )


class Check(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Started, not yet decided")
        CLEARED = "cleared", _("Cleared")
        NOT_CLEARED = "not_cleared", _("Not cleared")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening_checks", verbose_name=_("person")
    )
    check_type = models.ForeignKey(CheckType, on_delete=models.PROTECT, related_name="checks", verbose_name=_("check"))
    outcome = models.CharField(_("outcome"), max_length=11, choices=Outcome.choices, default=Outcome.PENDING)
    evidence_reference = models.CharField(
        _("evidence reference"),
        max_length=120,
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "A certificate number, or where the evidence is kept (for example 'HR file 2026/114'). "
            "Never a copy of the certificate itself."
        ),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes for coordinators"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The sweeps' marks, so that each reminder and alert goes once per check.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    expiry_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="cleared") | models.Q(verified_on__isnull=False),
                name="cleared_check_has_verification_date",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(verified_on__isnull=True)
                | models.Q(expires_on__gt=models.F("verified_on")),
                name="check_expires_after_verification",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "check_type"], name="check_by_person"),
            models.Index(fields=["expires_on"], name="check_expiry", condition=models.Q(outcome="cleared")),
        ]

    def __str__(self):
        return f"{self.check_type} · {self.get_outcome_display()}"

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.outcome == self.Outcome.CLEARED and (self.expires_on is None or self.expires_on >= on)
