"""Send at a good time for them, in real Chromium: while Doreen is in her quiet hours, Sam's reply box
offers her morning; the reply waits where he can see it and take it back, and goes when the sweep runs."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from messaging import scheduling
from messaging.models import Message, ScheduledMessage
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_schedule_take_back_schedule_again_and_deliver(new_page):
    conversation, sam, doreen = one_to_one()
    now = timezone.now().astimezone(datetime.UTC)
    doreen.timezone = "UTC"
    doreen.quiet_hours_start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    doreen.quiet_hours_end = (now + datetime.timedelta(hours=3)).time().replace(second=0, microsecond=0)
    doreen.save()
    page = new_page()
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/messages/{conversation.pk}/")

    offer = page.locator("#scheduled button:has-text('their time')")
    assert offer.inner_text() == f"Deliver at {doreen.quiet_hours_end:%H:%M} their time"
    page.fill("#id_body", "Good morning Doreen, here is my week.")
    offer.click()
    page.wait_for_load_state()
    assert "Your reply will be delivered on" in page.inner_text(".messages")
    waiting = page.locator("#scheduled .alert")
    waiting.wait_for()
    assert "Good morning Doreen, here is my week." in waiting.inner_text()
    assert page.input_value("#id_body") == ""

    page.click("#scheduled button:has-text('Take it back')")
    page.wait_for_load_state()
    assert page.input_value("#id_body") == "Good morning Doreen, here is my week."
    page.locator("#scheduled button:has-text('their time')").click()
    page.wait_for_load_state()
    scheduled = ScheduledMessage.objects.get(status="pending")

    assert scheduling.send_due(now=scheduled.deliver_at) == 1
    page.reload()
    assert page.locator(".message-body", has_text="Good morning Doreen, here is my week.").count() == 1
    assert Message.objects.filter(sender=sam).count() == 1
    assert page.locator("#scheduled .alert").count() == 0
