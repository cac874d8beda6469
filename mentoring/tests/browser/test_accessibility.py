"""axe-core in real Chromium on each main page, in the light and the dark colour scheme: no violation at
all (every rule axe runs by default: WCAG 2.0 to 2.2 A and AA, and its best practices)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from checkins.models import Question as CheckInQuestion
from checkins.models import Round, Survey
from checkins.services import link_token
from matching.models import Match
from messaging.models import Conversation
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from training.models import Choice, Module, Question

from .conftest import AXE


def violations(page):
    page.add_script_tag(path=str(AXE))
    # WCAG 2.2's target size (2.5.8, 24 by 24 px) is off by default in axe 4: turned on here.
    options = "{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}"
    result = page.evaluate(f"async () => await axe.run(document, {options})")
    ran = {rule["id"] for kind in ("passes", "inapplicable", "incomplete", "violations") for rule in result[kind]}
    assert "target-size" in ran
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]


SCHEMES = ["light", "dark"]


@pytest.fixture(params=SCHEMES)
def signed_in(new_page, request):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Hello Sam, **welcome**! [A link](https://example.org)")
    # axe needs to run its own script: the page's CSP (script-src 'self') would block it.
    page = new_page(bypass_csp=True, color_scheme=request.param)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", sam.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, conversation


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_public_pages_have_no_violations(new_page, scheme):
    page = new_page(bypass_csp=True, color_scheme=scheme)
    found = {}
    public = ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/", "/sign-in/organisation/"]
    for path in [*public, "/no-such-page/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme
        if problems := violations(page):
            found[path] = problems

    assert found == {}


@pytest.mark.django_db(transaction=True)
def test_signed_in_pages_have_no_violations(signed_in):
    page, conversation = signed_in
    match = Match.objects.get()
    module = Module.objects.create(title="Staying safe", slug="a11y-staying-safe", body="## Keep it here\n\nText.")
    choice_question = Question.objects.create(module=module, text="Where do conversations stay?")
    Choice.objects.create(question=choice_question, text="On the platform", is_correct=True)
    Choice.objects.create(question=choice_question, text="Anywhere")
    survey = Survey.objects.create(kind="fit", title="How is it going?")
    CheckInQuestion.objects.create(survey=survey, kind="fit", text="A good fit?")
    CheckInQuestion.objects.create(survey=survey, kind="text", text="Anything else?")
    sam = conversation.participants.get(role="mentee").user
    check_in_link = reverse("checkins:answer", args=[link_token(Round.objects.create(survey=survey, match=match,
                                                                                        person=sam))])  # fmt: skip
    paths = [
        "/",
        "/messages/",
        f"/messages/{conversation.pk}/",
        "/messages/search/?q=welcome",
        f"/matches/{match.pk}/",
        f"/programmes/{match.programme.slug}/",
        "/programmes/",
        "/profile/",
        "/profile/time-zone/",
        "/notifications/",
        "/announcements/",
        f"/messages/{conversation.pk}/scheduled/",
        "/profile/emails/",
        "/join/",
        "/join/NOPE1234/",
        "/profile/away/",
        "/accounts/3rdparty/",
        "/requests/",
        f"/matches/{match.pk}/agreement/",
        "/training/",
        f"/training/{module.slug}/",
        check_in_link,
    ]
    found = {}
    for path in paths:
        page.goto(path)
        if problems := violations(page):
            found[path] = problems

    assert found == {}


@pytest.mark.django_db(transaction=True)
def test_the_reply_form_works_by_keyboard_and_focus_is_visible(signed_in):
    page, conversation = signed_in
    page.goto(f"/messages/{conversation.pk}/")

    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.focus("#id_body")
    page.keyboard.type("Thank you, by keyboard alone.")
    page.keyboard.press("Tab")  # to the Send button
    assert page.evaluate("document.activeElement.textContent").strip() == "Send"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Conversation.objects.get().messages.filter(body="Thank you, by keyboard alone.").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_arabic_pages_right_to_left_have_no_violations(new_page, scheme):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "أهلًا سام، **مرحبًا** بك! > اقتباس قصير")
    sam.language = "ar"
    sam.save(update_fields=["language"])
    page = new_page(bypass_csp=True, color_scheme=scheme, locale="ar")
    found = {}
    for path in ["/", "/accounts/login/", "/accounts/signup/"]:
        page.goto(path)
        assert page.get_attribute("html", "dir") == "rtl"
        if problems := violations(page):
            found[path] = problems
    page.goto("/accounts/login/")
    page.fill("input[name=login]", sam.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    for path in ["/", "/messages/", f"/messages/{conversation.pk}/", "/profile/", "/programmes/", "/notifications/"]:
        page.goto(path)
        assert page.get_attribute("html", "dir") == "rtl"
        if problems := violations(page):
            found[path] = problems

    assert found == {}
