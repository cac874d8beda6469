"""Check-ins: short surveys at points of a relationship (after the first weeks, a monthly pulse, at
closure), per role; the platform's defaults (programme empty) unless a programme has its own of a kind.
An answer that signals trouble alerts the coordinators, or the safeguarding lead for safety answers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line
from matching.models import Match, Programme


class Survey(models.Model):
    class Kind(models.TextChoices):
        FIT = "fit", _("After the first weeks: is it a good fit?")
        PULSE = "pulse", _("Monthly pulse")
        CLOSURE = "closure", _("At the end")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MENTORS = "mentor", _("Mentors")
        MENTEES = "mentee", _("Mentees")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="surveys",
        help_text=_("Empty: the platform's default, used by every programme without its own of this kind."),
    )  # fmt: skip
    kind = models.CharField(_("when"), max_length=8, choices=Kind.choices)
    audience = models.CharField(_("for"), max_length=8, choices=Audience.choices, default=Audience.EVERYONE)
    title = models.CharField(_("title"), max_length=120, validators=[validate_single_line])
    intro = models.CharField(_("introduction"), max_length=300, blank=True, validators=[validate_single_line])
    days_after_start = models.PositiveSmallIntegerField(
        _("days after the match starts"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("For the first check-in; the monthly pulse repeats this often."),
    )  # fmt: skip
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Off: this programme sends none of this kind.")
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["programme_id", "kind", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "audience"], name="one_survey_per_kind",
                                    nulls_distinct=False),
        ]  # fmt: skip

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        FIT = "fit", _("Good fit / still deciding / not a good fit")
        SCALE = "scale", _("1 (not at all) to 5 (very much)")
        SAFE = "safe", _("Yes / no: I feel safe")
        TEXT = "text", _("Free text (optional)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("answer"), max_length=5, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=200, validators=[validate_single_line])
    # Part of the relationship-quality score shown on the dashboard (scale questions only).
    quality = models.BooleanField(_("counts to relationship quality"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Round(models.Model):
    """One person asked one survey about one match (the pulse's n-th month is number n)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    number = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("check-in sent")
        verbose_name_plural = _("check-ins sent")
        constraints = [
            models.UniqueConstraint(fields=["survey", "match", "person", "number"], name="check_in_once"),
        ]

    def __str__(self):
        return f"{self.survey} · {self.person} · {self.created_at:%Y-%m-%d}"


class Answer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=10, blank=True)  # "good"/"deciding"/"not_good", "1".."5", "yes"/"no"
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "question"], name="answer_once")]

    def __str__(self):
        return f"{self.question} · {self.value or self.text[:40]}"
