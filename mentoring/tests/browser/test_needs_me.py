"""The navigation's badges in real Chromium: there once the page has loaded, and refreshed every minute
without a reload (the clock is Playwright's, moved on by a minute)."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from notices.models import Notice

from .test_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_badges_appear_and_follow_new_messages_without_a_reload(new_page):
    conversation, sam, doreen = one_to_one()
    Notice.objects.filter(user=sam).delete()
    page = new_page()
    page.clock.install()
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto("/programmes/")
    messages_badge = page.locator("#messages-badge")
    notices_badge = page.locator("#notices-badge")
    page.wait_for_load_state("networkidle")
    assert messages_badge.inner_text() == "" and notices_badge.inner_text() == ""

    page.evaluate("window.sameDocument = true")
    send_message(doreen, conversation, "Hello Sam, how was your week?")
    Notice.objects.create(user=sam, kind="match", text_id="A notice", key="k")
    with page.expect_response(lambda r: "/messages/needs-me/" in r.url):
        page.clock.fast_forward("01:01")

    messages_badge.locator(".badge").first.wait_for()
    assert messages_badge.inner_text().split() == [
        "1",
        "conversation",
        "with",
        "unread",
        "messages",
        "1",
        "reply",
        "you",
        "owe",
    ]
    assert notices_badge.inner_text().split() == ["1", "new", "notification"]
    assert page.evaluate("window.sameDocument") is True  # no reload
    page.click("#notices-badge")
    page.wait_for_url("**/notifications/")
    assert "A notice" in page.inner_text("main")
