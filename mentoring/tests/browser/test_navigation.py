"""The navigation in real Chromium: one line on every width where it is expanded, whatever badges arrive,
and the three behaviours site.js does in place of Bootstrap's script (the toggler on a phone, the account
menu, closing a message)."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts.tests.factories import DEFAULT_PASSWORD, TOTP_SECRET, UserFactory, totp_code
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from notices.models import Notice

from .test_journey import sign_in

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.mark.django_db(transaction=True)
def test_the_bar_stays_on_one_line_with_every_badge_at_every_width_it_is_expanded(new_page):
    """A coordinator who mentors, with a long name and every badge: the expanded bar (lg and up) once wrapped
    at 1,350 px, pushing the page down when the badges arrived; at a phone's width it folds behind its button."""
    conversation, sam, doreen = one_to_one(mentor_name="Doreen Okafor-Montgomery Fitzwilliam")
    doreen.is_staff = True
    doreen.save(update_fields=["is_staff"])
    TOTP.activate(doreen, TOTP_SECRET)  # staff sign in with a second factor
    send_message(sam, conversation, "Hello Doreen, here is my draft.")
    Notice.objects.bulk_create(Notice(user=doreen, kind="match", text_id="A notice", key=f"k{n}") for n in range(12))
    page = new_page()
    sign_in(page, doreen.email, DEFAULT_PASSWORD)
    page.fill("input[name=code]", totp_code())
    page.click("button[type=submit]")
    page.wait_for_load_state()
    tops = (
        "[...document.querySelectorAll('.navbar-nav > .nav-item')].map(i => Math.round(i.getBoundingClientRect().top))"
    )
    for width in (992, 1100, 1200, 1399, 1400, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/programmes/")  # not the thread, which would mark its message read
        page.locator("#notices-badge .badge").wait_for()
        assert page.locator("#messages-badge .badge").count() == 2
        heights = page.evaluate(tops)
        assert max(heights) - min(heights) <= 12, (width, heights)  # items side by side, not one under another
        assert page.evaluate("document.querySelector('nav').offsetHeight") < 70, width
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator(".navbar-toggler").is_visible() and not page.locator("#main-nav").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_toggler_the_account_menu_and_closing_a_message_work_without_bootstraps_script(new_page):
    person = UserFactory(display_name="Sam Patel")
    page = new_page(**PHONE)
    sign_in(page, person.email, DEFAULT_PASSWORD)
    page.goto("/profile/away/")
    assert not page.locator("#main-nav").is_visible()
    toggler = page.locator(".navbar-toggler")
    toggler.click()
    assert page.locator("#main-nav").is_visible() and toggler.get_attribute("aria-expanded") == "true"

    account = page.locator('[data-bs-toggle="dropdown"]')
    account.click()
    assert account.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Time zone", exact=True).click()
    page.wait_for_url("**/profile/time-zone/")

    page.set_viewport_size({"width": 1280, "height": 900})
    account = page.locator('[data-bs-toggle="dropdown"]')
    menu = page.locator(".dropdown-menu")
    account.click()
    assert menu.is_visible()
    box, button = menu.bounding_box(), account.bounding_box()
    assert box["y"] >= button["y"] + button["height"] - 1  # below its button, as Bootstrap places it
    assert box["x"] + box["width"] <= button["x"] + button["width"] + 1  # its right edge under the button's
    page.keyboard.press("Escape")
    assert not menu.is_visible() and account.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.dataset.bsToggle") == "dropdown"
    account.click()
    page.locator("main h1").click()  # a click elsewhere closes it
    assert not menu.is_visible()

    page.goto("/profile/away/")
    page.fill("input[name=away_until]", (datetime.date.today() + datetime.timedelta(days=10)).isoformat())
    page.click("main button[type=submit]")
    alert = page.locator(".messages .alert")
    assert "You are away until" in alert.inner_text()
    alert.locator(".btn-close").click()
    assert page.locator(".messages .alert").count() == 0

    account.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/messages/")
    assert "/accounts/login/" in page.url  # signed out
