"""Thin Celery wrappers. Each is safe to run twice with the same arguments."""

from celery import shared_task

from . import services


@shared_task
def remind_and_expire_match_requests() -> dict[str, int]:
    """Beat, every 15 minutes: remind mentors of waiting requests; expire the ones left too long."""
    return services.remind_and_expire_requests()
