"""Use cases that change people's rows."""

from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import F, Func, Value
from django.utils import timezone

from .email_kinds import OPTIONAL_KINDS, optional_kinds_for
from .models import OutboundEmail, User
from .signals import away_changed

MAX_AWAY_DAYS = 120  # a longer break is a conversation with the coordinator, not a setting


def unsubscribe(user: User, kind: str) -> None:
    """Stop e-mails of one kind to this person. Idempotent, and safe against concurrent clicks."""
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"{kind!r} cannot be unsubscribed from")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).exclude(email_opt_outs__contains=[kind]).update(
            email_opt_outs=Func(
                F("email_opt_outs"),
                Value(kind, output_field=models.CharField()),
                function="array_append",
                output_field=ArrayField(models.CharField()),
            )
        )
        _cancel_pending(user, [kind])


def set_email_opt_outs(user: User, wanted_kinds: list[str]) -> None:
    """Save the preferences page: every optional kind not ticked is turned off."""
    # Kinds the page does not offer this person keep the choice they had.
    offered = set(optional_kinds_for(user))
    kept = [kind for kind in user.email_opt_outs if kind not in offered]
    opt_outs = sorted({*kept, *(kind for kind in offered if kind not in set(wanted_kinds))})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email_opt_outs=opt_outs)
        _cancel_pending(user, opt_outs)
    user.email_opt_outs = opt_outs


def set_replies_by_email(user: User, wanted: bool) -> None:
    """Turning replies by e-mail off also stops the reply addresses in e-mails already received."""
    fields = {"replies_by_email": wanted}
    if user.replies_by_email and not wanted:
        fields["reply_addresses_void_before"] = timezone.now()
    User.objects.filter(pk=user.pk).update(**fields)
    for name, value in fields.items():
        setattr(user, name, value)


def void_reply_addresses(user: User) -> None:
    """ "Stop the addresses in e-mails I already have": a lost phone, a forwarded e-mail. The next
    e-mail carries a new one."""
    user.reply_addresses_void_before = timezone.now()
    User.objects.filter(pk=user.pk).update(reply_addresses_void_before=user.reply_addresses_void_before)


def _cancel_pending(user: User, kinds: list[str]) -> None:
    OutboundEmail.objects.filter(recipient=user, kind__in=kinds, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.CANCELLED, last_error="Recipient unsubscribed."
    )


def set_away(user: User, until) -> None:
    """Turn away mode on (through `until`, a date) or off (None). The floors above react to the signal
    (matching: open requests wait; the pair's coordinators may need to know)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(away_until=until)
        user.away_until = until
        away_changed.send(sender=User, user=user)
