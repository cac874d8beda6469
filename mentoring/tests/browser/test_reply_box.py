"""The reply box's two helpers in real Chromium, without a reload: the draft is kept 1.5 s after the last
keystroke (and says so), and Preview shows the Markdown as it will read."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from messaging.models import Draft
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_the_draft_autosaves_and_the_preview_renders_in_place(new_page):
    conversation, sam, _doreen = one_to_one()
    page = new_page()
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/messages/{conversation.pk}/")
    page.evaluate("window.sameDocument = true")

    page.fill("#id_body", "My **plan** for the week")
    page.wait_for_timeout(500)
    assert not Draft.objects.exists()  # not yet: 1.5 s after the last keystroke
    page.locator("#draft-status").get_by_text("Draft saved").wait_for()
    assert Draft.objects.get(user=sam).body == "My **plan** for the week"

    page.get_by_role("button", name="Preview").click()
    page.locator("#preview strong").get_by_text("plan").wait_for()
    assert page.evaluate("window.sameDocument") is True  # neither helper reloaded the page
    assert page.evaluate("[...document.scripts].every(s => !s.src.includes('htmx'))")
