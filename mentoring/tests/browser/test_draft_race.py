"""In Chromium, with the timing that used to lose: Send clicked 1.4 s after the last keystroke, while the
1.5 s autosave fires during the send. The sent text never comes back as a draft."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from messaging.models import Draft, Message
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_sending_just_before_the_autosave_leaves_no_draft(new_page):
    conversation, sam, _doreen = one_to_one()
    page = new_page()
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    for attempt in range(4):
        page.goto(f"/messages/{conversation.pk}/")
        page.fill("#id_body", f"Answer number {attempt}, written with care.")
        page.wait_for_timeout(1400)
        page.get_by_role("button", name="Send", exact=True).click()
        page.wait_for_load_state()
        page.wait_for_timeout(600)  # any autosave in flight has landed
        assert Message.objects.filter(body__startswith=f"Answer number {attempt}").count() == 1
        assert not Draft.objects.exists(), f"attempt {attempt}: the sent text came back as a draft"
        assert "written with care" not in page.input_value("#id_body")
