"""Telling a person something in the app. Called inside the transaction of the event, beside its e-mail."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notice


def notify(user, kind: str, text_id: str, params: dict | None = None, *, url: str = "", key: str) -> None:
    """text_id is a sentence marked with gettext_noop (translated when shown); params fill its
    placeholders. The same key for the same person is told once."""
    Notice.objects.get_or_create(
        user=user, key=key[:200], defaults={"kind": kind, "text_id": text_id, "params": params or {}, "url": url}
    )


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def latest(user, limit: int = 50) -> QuerySet:
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def mark_read(user, notice_ids=None) -> int:
    """Marks the person's notices read: those named, or every one."""
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())
