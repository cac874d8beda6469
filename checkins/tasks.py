from celery import shared_task

from . import services


@shared_task
def send_due_check_ins() -> int:
    return services.send_due()
