"""Conversation guides: a sequence of weekly prompts a pair may use as starters ("This week: a time you
changed your mind"). A programme uses the guides it is linked to; two defaults ship with the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line
from matching.models import Programme


class Guide(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True, validators=[validate_single_line])
    description = models.CharField(_("what it is for"), max_length=300, blank=True, validators=[validate_single_line])
    programmes = models.ManyToManyField(
        Programme, related_name="guides", blank=True, verbose_name=_("used by"),
        help_text=_("The programmes whose pairs see these prompts in their conversations."),
    )  # fmt: skip
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("conversation guide")
        verbose_name_plural = _("conversation guides")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Prompt(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="prompts")
    week = models.PositiveSmallIntegerField(_("week of the match"))
    text = models.CharField(_("prompt"), max_length=200, validators=[validate_single_line])
    starter = models.TextField(
        _("starter text"), max_length=1000, blank=True,
        help_text=_("What “Use this” puts in the reply box; empty: the prompt itself."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["guide", "week", "pk"]
        constraints = [models.UniqueConstraint(fields=["guide", "week"], name="one_prompt_a_week")]

    def __str__(self):
        return f"{self.week}: {self.text}"
