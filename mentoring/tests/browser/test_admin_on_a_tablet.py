"""The coordinators' admin on a tablet (768 px wide, in real Chromium): wide tables scroll inside their
own box, so the page itself never scrolls sideways and the actions stay in reach."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in

TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True}
PAGE_WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.mark.django_db(transaction=True)
def test_match_list_and_dashboard_fit_a_tablet(new_page):
    for n in range(3):
        conversation, sam, _doreen = one_to_one(mentee_name=f"A mentee with a long name {n}", mentor_name=f"Mentor {n}")
        send_message(sam, conversation, "Hello")
    admin = new_page(**TABLET)
    sign_in(admin, UserFactory(is_staff=True, is_superuser=True).email, DEFAULT_PASSWORD)
    admin.fill("input[name=code]", totp_code())
    admin.click("button[type=submit]")
    admin.wait_for_load_state()

    mentee = conversation.match.members.get(role="mentee").membership
    wide = []
    for path in ("/admin/matching/match/", f"/admin/matching/programme/{conversation.match.programme_id}/dashboard/",
                 f"/admin/matching/membership/{mentee.pk}/candidates/", "/admin/matching/match/at-risk/",
                 "/admin/matching/membership/", "/admin/messaging/moderationitem/"):  # fmt: skip
        response = admin.goto(path)
        assert response.status == 200, path
        if admin.evaluate(PAGE_WIDER_THAN_SCREEN):
            wide.append((path, admin.evaluate("document.documentElement.scrollWidth")))
    assert wide == []
    admin.goto("/admin/matching/match/")
    results = admin.locator("#changelist .results")
    assert results.evaluate("r => getComputedStyle(r).overflowX") == "auto"
    assert admin.locator("select[name=action]").is_visible()
