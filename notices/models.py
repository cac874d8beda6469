from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One thing that happened for a person. Its words are kept as a message id and its values, and
    translated when shown, so the page speaks the reader's language of the day, not the sender's."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        MATCH = "match", _("Match")
        REVIEW = "review", _("Review")
        CHECK_IN = "check_in", _("Check-in")
        MEETING = "meeting", _("Meeting")
        PROGRAMME = "programme", _("Programme")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text_id = models.CharField(max_length=300, help_text=_("The sentence, untranslated, with %(name)s placeholders."))
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True, help_text=_("Where the notice leads: a path on this site."))
    # The event it tells of: telling it twice (a retried task, a repeated sweep) keeps one notice.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_told_once")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notice_newest_first"),
            models.Index(fields=["user"], name="notice_unread", condition=models.Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("notices:open", args=[self.pk])

    @property
    def text(self) -> str:
        for sentence in (gettext(self.text_id), self.text_id):  # a translation that lost a placeholder: English
            try:
                return sentence % self.params
            except (KeyError, TypeError, ValueError):
                continue
        return self.text_id

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
