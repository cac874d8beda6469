"""Pages look the same with the trimmed Bootstrap stylesheet (tools/bootstrap_css.py) as with the full one:
each main page, signed out and signed in, on a laptop in the light scheme and on a phone in the dark one,
screenshotted in real Chromium with each stylesheet and compared pixel for pixel. Chromium's anti-aliasing
of a rounded corner varies by a shade or two from one load to the next; a missing rule moves or recolours
whole boxes."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageChops

from accounts.tests.factories import DEFAULT_PASSWORD
from matching.models import Match
from matching.tests.factories import ProgrammeFactory
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from tools.bootstrap_css import FULL

from .conftest import ARTIFACTS
from .test_journey import sign_in

LOOKS = {
    "laptop, light": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    "phone, dark": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark", "is_mobile": True},
}


def open_with_either_stylesheet(new_page, look):
    """A page whose `full` flag makes the browser get the full stylesheet under the trimmed one's name
    (Playwright's routing also turns the browser's cache off, so each load asks again)."""
    page = new_page(reduced_motion="reduce", **LOOKS[look])
    state = {"full": False}
    page.route(
        "**/bootstrap.used.min.css",
        lambda route: route.fulfill(path=str(FULL), content_type="text/css") if state["full"] else route.continue_(),
    )
    return page, state


SHADES = 8  # the largest difference of one colour channel that is still anti-aliasing


def same(one: bytes, other: bytes) -> bool:
    first, second = (Image.open(io.BytesIO(shot)).convert("RGB") for shot in (one, other))
    if first.size != second.size:
        return False
    largest = max(high for _low, high in ImageChops.difference(first, second).getextrema())
    return largest <= SHADES


def differences(page, state, paths, before_each=None):
    differ = []
    for path in paths:
        shots = []
        # Trimmed, full, and trimmed again if the first two differ: a page that shows the time ("less than a
        # minute ago") may change between two loads, never twice in a row.
        for full in (False, True, False):
            if len(shots) == 2 and same(shots[0], shots[1]):
                break
            state["full"] = full
            page.goto(path)
            page.wait_for_load_state("networkidle")
            if before_each:
                before_each(page)
            shots.append(page.screenshot(full_page=True, animations="disabled"))
        if not same(shots[-1], shots[1]):
            differ.append(path)
            for name, shot in zip(("trimmed", "full"), shots[-1:] + shots[1:2], strict=True):
                (ARTIFACTS / f"stylesheet-{name}-{path.strip('/').replace('/', '-') or 'home'}.png").write_bytes(shot)
    return differ


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("look", LOOKS)
def test_public_pages_look_the_same(new_page, look):
    page, state = open_with_either_stylesheet(new_page, look)
    assert differences(page, state, ["/", "/accounts/signup/", "/accounts/login/", "/no-such-page/"]) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("look", LOOKS)
def test_signed_in_pages_look_the_same(new_page, look):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Hello Sam, **welcome**!\n\n> A quote\n\n- a list\n- of two")
    other = ProgrammeFactory(name="Another programme", slug="another")
    match = Match.objects.get()
    page, state = open_with_either_stylesheet(new_page, look)
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    paths = [
        "/",
        "/messages/",
        f"/messages/{conversation.pk}/",
        "/messages/search/?q=welcome",
        f"/matches/{match.pk}/",
        f"/programmes/{match.programme.slug}/",
        reverse("matching:enrol", args=[other.slug]),
        "/programmes/",
        "/profile/",
        "/profile/time-zone/",
        "/profile/emails/",
        "/profile/away/",
        "/notifications/",
        "/requests/",
    ]
    assert differences(page, state, paths) == []

    def open_the_menus(page):
        if page.locator(".navbar-toggler").is_visible():
            page.click(".navbar-toggler")
        page.click('[data-bs-toggle="dropdown"]')

    assert differences(page, state, ["/programmes/"], before_each=open_the_menus) == []
