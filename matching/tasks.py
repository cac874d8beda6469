"""Thin Celery wrappers. Each is safe to run twice with the same arguments."""

from celery import shared_task

from . import services


@shared_task
def remind_and_expire_match_requests() -> dict[str, int]:
    """Beat, every 15 minutes: remind mentors of waiting requests; expire the ones left too long."""
    return services.remind_and_expire_requests()


@shared_task
def sweep_screening_checks() -> dict[str, int]:
    """Beat, daily: remind coordinators of checks expiring within 30 days; alert them of checks that
    lapsed for people in a current match."""
    from . import check_expiry

    return {"reminded": check_expiry.remind_expiring(), "alerted": check_expiry.alert_lapsed()}


@shared_task
def send_invitation_reminders() -> int:
    """Beat, daily: remind people of invitations still open a week and a fortnight after they were sent."""
    from . import invitations

    return invitations.send_reminders()


@shared_task
def send_invitation_list(list_id: int) -> int:
    """A coordinator confirmed a list: its invitations, a batch at a time (the admin shows the progress)."""
    from . import invitations

    return invitations.send_list(list_id).invited


@shared_task
def resume_invitation_lists() -> int:
    """Beat, every five minutes: finish sending lists whose worker stopped part-way."""
    from . import invitations

    return invitations.resume_stalled_lists()
