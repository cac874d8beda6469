"""Training modules (a text to read, then a few questions with a pass mark, or an acknowledgement)
and the record of each attempt, with the version of the module the person read."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line


class Audience(models.TextChoices):
    MENTORS = "mentor", _("Mentors")
    MENTEES = "mentee", _("Mentees")
    EVERYONE = "everyone", _("Everyone")


class Module(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", _("Read, then answer questions")
        ACKNOWLEDGEMENT = "acknowledgement", _("Read, then confirm")

    title = models.CharField(_("title"), max_length=120, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    audience = models.CharField(_("for"), max_length=8, choices=Audience.choices, default=Audience.EVERYONE)
    summary = models.CharField(
        _("summary"), max_length=240, blank=True, validators=[validate_single_line],
        help_text=_("One line shown in the list of modules."),
    )  # fmt: skip
    body = models.TextField(_("text"), max_length=40_000, help_text=_("Markdown."))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.QUIZ)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    confirmation = models.CharField(
        _("what a person confirms"), max_length=240, blank=True, validators=[validate_single_line],
        default=_("I have read this and I will follow it."),
    )  # fmt: skip
    minutes = models.PositiveSmallIntegerField(_("minutes it takes"), default=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Counted up whenever the text, the questions or the pass mark change (training.services.save):
    # an attempt records the version the person read.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Attempts at an earlier version than this no longer count (a coordinator asks everyone again).
    minimum_version = models.PositiveIntegerField(_("completions count from version"), default=1, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:module", args=[self.slug])


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300, validators=[validate_single_line])
    explanation = models.TextField(
        _("explanation"), max_length=1000, blank=True, help_text=_("Shown after answering: why the answer is right.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300, validators=[validate_single_line])
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class AttemptQuerySet(models.QuerySet):
    def counting(self):
        """Passed attempts at a version that still counts."""
        return self.filter(passed=True, version__gte=models.F("module__minimum_version"))


class Attempt(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts", verbose_name=_("person")
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("module"))
    version = models.PositiveIntegerField(_("version read"))
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("training attempt")
        verbose_name_plural = _("training attempts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "module"], name="attempt_by_person")]

    def __str__(self):
        return f"{self.module} · v{self.version} · {_('passed') if self.passed else _('not passed')}"
