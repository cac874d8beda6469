"""Every text a person writes that someone else reads is screened like a message.

- Single-line texts (names, pronouns, subjects, goal titles and steps) refuse control characters and
  line or paragraph separators (`validate_single_line`), and refuse contact details with a form error
  (`refuse_contact_details`): a name never needs a phone number, and the person can fix it at once.
- Free texts (a bio, a note with a request, a goal's details, a closing reflection) go through
  `screen_free_text`: what the programme's policy would hold waits for a coordinator in a
  `ReviewedText` row while the field keeps what it showed before; what it would flag is shown and
  listed for coordinators. Nobody reads a held text until a coordinator approves it.

The policy is the programme's (messaging.ModerationPolicy): accounts cannot know programmes, so the
app that owns the policies registers a provider at start-up (`register_policy_provider`); a person's
own texts (their name and bio) are read under the strictest policy of all their programmes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactfilter import find_contact_details

# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional overrides that
# can make a name read backwards: none belongs on a single line that other people read.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_STRICTNESS = {"allow": 0, "flag": 1, "hold": 2}
_KIND_NAMES = {
    "email": gettext_lazy("an e-mail address"),
    "phone": gettext_lazy("a phone number"),
    "url": gettext_lazy("a link"),
    "handle": gettext_lazy("a social media or messenger account"),
    "word": gettext_lazy("a word the programme does not allow"),
}


def validate_single_line(value: str) -> None:
    if value and _NOT_ON_ONE_LINE.search(str(value)):
        raise ValidationError(
            gettext_lazy("Please keep this to one line, without line breaks or special control characters."),
            code="single_line",
        )


@dataclass(frozen=True)
class TextPolicy:
    """What to do with each kind of finding: "allow", "flag" or "hold" (ModerationPolicy has the same shape)."""

    actions: dict = field(default_factory=lambda: {"email": "hold", "phone": "hold", "handle": "hold",
                                                   "url": "flag", "word": "flag"})  # fmt: skip
    phone_region: str = "GB"
    word_list: tuple[str, ...] = ()

    def action_for(self, kind: str) -> str:
        return self.actions.get(kind, "flag")


DEFAULT_POLICY = TextPolicy()
# Providers registered by the app that owns programmes' policies: (person, programme) -> policies.
_PROVIDERS: list[Callable] = []


def register_policy_provider(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def policies_for(person=None, programme=None) -> list:
    """The policies a text is read under: the programme's, or (for a person's own texts) every one of
    their programmes'; the defaults when there are none."""
    found = [policy for provider in _PROVIDERS for policy in provider(person=person, programme=programme)]
    return found or [DEFAULT_POLICY]


@dataclass(frozen=True)
class Screening:
    action: str  # the strictest: "allow", "flag" or "hold"
    findings: list[dict]

    @property
    def kinds(self) -> list[str]:
        return sorted({finding["kind"] for finding in self.findings})


def screen(text: str, policies) -> Screening:
    """Read `text` under every policy given; the strictest decision wins."""
    action, findings = "allow", []
    for policy in policies:
        for finding in find_contact_details(text or "", region=policy.phone_region, words=policy.word_list):
            decided = policy.action_for(finding.kind)
            if _STRICTNESS.get(decided, 1) > _STRICTNESS[action]:
                action = decided
            findings.append({"kind": finding.kind, "text": finding.text[:200]})
    unique = list({(f["kind"], f["text"]): f for f in findings}.values())
    return Screening(action, unique[:50])


def refuse_contact_details(text: str, policies) -> None:
    """For single-line texts: a form error that says what was found, so that it can be taken out."""
    result = screen(text, policies)
    if result.action != "allow":
        found = ", ".join(str(_KIND_NAMES.get(kind, kind)) for kind in result.kinds)
        raise ValidationError(
            _("This is seen by other people, so it cannot contain contact details (we found %(found)s).")
            % {"found": found},
            code="contact_details",
        )


def screen_free_text(owner, field_name: str, text: str, author, policies) -> str:
    """Decide what a free text does (call inside the transaction that saves `owner`).

    Allowed or flagged: `owner.<field_name>` becomes the text (a flag is listed for coordinators).
    Held: `owner.<field_name>` keeps what it had, and the text waits for a coordinator's review; the
    author sees it as "waiting for review". Returns the action. `owner` must be saved already (a
    held text points to it); the caller saves the field."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ReviewedText

    text = (text or "").strip()
    result = screen(text, policies) if text else Screening("allow", [])
    kind = ContentType.objects.get_for_model(owner)
    # A newer text replaces one still waiting: the author changed their mind before the review.
    ReviewedText.objects.filter(
        content_type=kind, object_id=owner.pk, field=field_name, status=ReviewedText.Status.HELD
    ).update(status=ReviewedText.Status.REPLACED)
    if result.action == "hold":
        review = ReviewedText.objects.create(
            author=author, content_type=kind, object_id=owner.pk, field=field_name, text=text,
            findings=result.findings, status=ReviewedText.Status.HELD,
        )  # fmt: skip
        _tell_reviewers(review)  # outbox rows, in this transaction: they commit or roll back with the text
        return "hold"
    setattr(owner, field_name, text)
    if result.action == "flag":
        review = ReviewedText.objects.create(
            author=author, content_type=kind, object_id=owner.pk, field=field_name, text=text,
            findings=result.findings, status=ReviewedText.Status.FLAGGED,
        )  # fmt: skip
        _tell_reviewers(review)
    return result.action


def waiting_text(owner, field_name: str) -> str | None:
    """The text the author wrote that is waiting for review, if any: shown to the author alone."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ReviewedText

    review = (
        ReviewedText.objects.filter(
            content_type=ContentType.objects.get_for_model(owner),
            object_id=owner.pk,
            field=field_name,
            status=ReviewedText.Status.HELD,
        )
        .order_by("-created_at")
        .first()
    )
    return review.text if review else None


# Who reviews a text is the programmes' business: the app that knows coordinators registers it.
_REVIEW_ALERTS: list[Callable] = []


def register_review_alert(alert: Callable) -> None:
    if alert not in _REVIEW_ALERTS:
        _REVIEW_ALERTS.append(alert)


def _tell_reviewers(review) -> None:
    for alert in _REVIEW_ALERTS:
        alert(review)


class ReviewError(Exception):
    """A review that cannot be done (already decided); the message is for the coordinator."""


def approve(review, by) -> None:
    """The coordinator approves a held text: it is shown from now on."""
    from .models import ReviewedText

    with transaction.atomic():
        review = ReviewedText.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewedText.Status.HELD:
            raise ReviewError(_("This text is not waiting for review."))
        owner = review.owner
        setattr(owner, review.field, review.text)
        owner.save(update_fields=[review.field])
        review.status, review.reviewed_by, review.reviewed_at = ReviewedText.Status.APPROVED, by, timezone.now()
        review.save(update_fields=["status", "reviewed_by", "reviewed_at"])


def reject(review, by, reason: str) -> None:
    """The coordinator keeps a held text from being shown; its author is told why."""
    from .email_kinds import EmailKind
    from .emails import absolute_url, queue_email
    from .models import ReviewedText

    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Tell the author why, so they can write it again."))
    with transaction.atomic():
        review = ReviewedText.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewedText.Status.HELD:
            raise ReviewError(_("This text is not waiting for review."))
        review.status, review.reviewed_by, review.reviewed_at = ReviewedText.Status.REJECTED, by, timezone.now()
        review.rejection_reason = reason
        review.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
        queue_email(
            review.author,
            EmailKind.SAFEGUARDING,
            "emails/text_rejected",
            {"reason": reason, "field_label": field_label(review), "site_url": absolute_url("/")},
            f"text-rejected:{review.pk}",
        )


def field_label(review) -> str:
    """What the text was, in words a person understands ("your bio", "the note with your request")."""
    try:
        return str(review.content_type.model_class()._meta.get_field(review.field).verbose_name)
    except Exception:  # noqa: BLE001 - a label is a courtesy; the field's name will do
        return review.field
