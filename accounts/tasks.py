"""Thin Celery wrappers. Each is safe to run twice with the same arguments."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import delivery


@shared_task
def clear_expired_sessions() -> int:
    """Delete expired sessions so the table does not grow for ever."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def deliver_email(outbound_email_id: int) -> str | None:
    """Deliver one outbox row now. A row already claimed, sent or not yet due is left alone."""
    return delivery.deliver(outbound_email_id)


@shared_task
def deliver_due_emails() -> dict[str, int]:
    """Beat, every minute: deliver due rows, retries, and rows a dead worker left behind."""
    return delivery.deliver_due_emails()
