"""A guardian's consent for one purpose (an enrolment), with what they were told when they gave it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line


class GuardianConsent(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked, waiting for an answer")
        GIVEN = "given", _("Given")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_consents",
        verbose_name=_("young person"),
    )
    # What the consent is for, named by the floor that asked: ("enrolment", <membership id>).
    purpose = models.CharField(_("for"), max_length=30)
    purpose_id = models.PositiveBigIntegerField()
    guardian_name = models.CharField(
        _("guardian's name"), max_length=120, blank=True, validators=[validate_single_line]
    )
    guardian_email = models.EmailField(_("guardian's e-mail address"))
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.REQUESTED)
    # What the guardian was shown when asked (the programme, its safeguarding, what is kept and for
    # how long), kept as it was: what they agreed to, even if the programme's texts change later.
    explained = models.JSONField(_("what the guardian was told"), default=dict)
    # Part of every link sent; a new request changes it, so that older links stop working.
    nonce = models.CharField(max_length=32, editable=False)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    requests_sent = models.PositiveSmallIntegerField(_("e-mails sent"), default=1)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "purpose_id"], name="one_consent_per_purpose"),
        ]

    def __str__(self):
        return f"{self.guardian_email} · {self.get_status_display()}"
