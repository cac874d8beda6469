"""Thin Celery wrappers around the sweeps. Each is safe to run twice, or twice at once."""

from celery import shared_task

from . import digests, reminders, retention, scheduling


@shared_task
def send_due_digests() -> int:
    """Beat, every 5 minutes: digests whose local hour has come."""
    return digests.send_due_digests()


@shared_task
def send_due_reminders() -> dict[str, int]:
    """Beat, every 5 minutes: reply reminders and escalations that are due."""
    return reminders.send_due_reminders()


@shared_task
def send_inactivity_nudges() -> int:
    """Beat, hourly: nudge pairs that have gone quiet."""
    return reminders.send_inactivity_nudges()


@shared_task
def purge_expired_messages() -> int:
    """Beat, daily: delete messages past their programme's retention period (holds excepted)."""
    return retention.purge_expired_messages()


@shared_task
def send_scheduled_messages() -> int:
    """Beat, every minute: replies scheduled for the end of their recipients' quiet hours."""
    return scheduling.send_due()
