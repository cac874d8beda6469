"""The whole journey, as people do it, in a real browser: sign-up to a closed match."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from matching.models import Match, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from matching.tests.factories import MentorFactory, ProgrammeFactory, TopicFactory
from messaging.models import Message

MENTEE_PASSWORD = "a long and private passphrase"


def pick_language(page, name):
    """Types into the searchable language picker (tom-select) and chooses the first match."""
    page.locator("#id_languages-ts-control").fill(name[:4])
    page.locator(".ts-dropdown .option", has_text=name).first.click()


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def programme():
    programme = ProgrammeFactory(name="Widening Access", slug="widening-access")
    law = TopicFactory(name="Law", slug="law")
    programme.topics.set([law, TopicFactory(name="Medicine", slug="medicine")])
    mentor = MentorFactory(programme=programme, topics=[law], capacity=2, user__display_name="Doreen Okafor")
    coordinator = UserFactory(is_staff=True, display_name="Priya Raman")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    return programme, mentor.user, coordinator


@pytest.mark.django_db(transaction=True)
def test_from_sign_up_to_a_closed_match(new_page, programme, screenshot):
    programme, doreen, coordinator = programme
    mentee = new_page()

    # A mentee signs up and confirms the address from the e-mail.
    mentee.goto("/")
    screenshot(mentee, "01-landing")
    mentee.click("text=Join a programme")
    mentee.fill("input[name=display_name]", "Sam Patel")
    mentee.fill("input[name=email]", "sam@example.org")
    mentee.fill("input[name=password1]", MENTEE_PASSWORD)
    mentee.fill("input[name=password2]", MENTEE_PASSWORD)
    screenshot(mentee, "02-sign-up")
    mentee.click("button[type=submit]")
    mentee.wait_for_url("**/accounts/confirm-email/")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    mentee.goto(link)
    mentee.click("button[type=submit]")
    sign_in(mentee, "sam@example.org", MENTEE_PASSWORD)
    assert "Welcome, Sam Patel" in mentee.content()
    screenshot(mentee, "03-dashboard")

    # Enrols and asks a suggested mentor.
    mentee.goto("/programmes/widening-access/")
    screenshot(mentee, "04-programme")
    mentee.click("text=Enrol")
    mentee.check("input[name=role][value=mentee]")
    mentee.check("label:has-text('Law') >> xpath=preceding-sibling::input")
    pick_language(mentee, "English")
    mentee.check("input[name=accept_agreement]")
    mentee.click("button:has-text('Enrol')")
    mentee.wait_for_url("**/suggestions/")
    assert "Doreen Okafor" in mentee.content() and "1 shared topic: Law" in mentee.content()
    screenshot(mentee, "05-suggestions")
    mentee.click("summary:has-text('Ask to be mentored')")
    mentee.fill("textarea[name=note]", "Hello Doreen, I want to study law.")
    mentee.click("button:has-text('Send request')")
    assert "Your request has been sent to Doreen Okafor" in mentee.content()

    # The mentor accepts on the site.
    mentor = new_page()
    sign_in(mentor, doreen.email, DEFAULT_PASSWORD)
    mentor.goto("/requests/")
    screenshot(mentor, "06-requests")
    mentor.click("button:has-text('Accept')")
    mentor.wait_for_url("**/matches/*/")
    screenshot(mentor, "07-match")
    match = Match.objects.get()
    assert match.status == "active"

    # The mentee writes; the mentor sees the unread badge and replies.
    mentee.goto("/messages/")
    mentee.click("text=Getting to know each other")
    mentee.fill("#id_body", "Hi Doreen! Could we talk about **personal statements**?")
    mentee.get_by_role("button", name="Send", exact=True).click()
    mentee.wait_for_load_state()
    mentor.goto("/messages/")
    assert "1 unread" in mentor.content()
    screenshot(mentor, "08-inbox")
    mentor.click("text=Getting to know each other")
    screenshot(mentor, "09-thread")
    mentor.fill("#id_body", "Of course. Start with the opening paragraph about your volunteering.")
    mentor.get_by_role("button", name="Send", exact=True).click()
    mentor.wait_for_load_state()

    # The mentee finds the reply by searching, and promises a proper answer by a date.
    mentee.goto("/messages/search/?q=volunteering")
    assert "<mark>volunteering</mark>" in mentee.content()
    screenshot(mentee, "10-search")
    mentee.click("text=Open in the conversation")
    mentee.click("summary:has-text('reply properly yet')")
    promised = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    mentee.fill("input[name=reply_by]", promised)
    mentee.click("button:has-text('will reply')")
    assert "they will see that you have read it" in mentee.content()
    mentor.reload()
    assert "will reply properly by" in mentor.content()

    # A message with a phone number is held; the coordinator approves it, then closes the match.
    mentee.fill("#id_body", "My number is 07700 900123 if that is easier")
    mentee.get_by_role("button", name="Send", exact=True).click()
    assert "awaiting review" in mentee.content().lower()
    held = Message.objects.get(status="held")
    admin = new_page()
    sign_in(admin, coordinator.email, DEFAULT_PASSWORD)
    screenshot(admin, "10b-second-factor")  # staff: the code from their authenticator app
    admin.fill("input[name=code]", totp_code())
    admin.click("button[type=submit]")
    admin.wait_for_load_state()
    admin.goto("/admin/messaging/moderationitem/?status__exact=held")
    screenshot(admin, "11-moderation-queue")
    admin.check(f"input[name=_selected_action][value='{held.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    held.refresh_from_db()
    assert held.status == "visible"
    admin.goto("/admin/matching/match/")
    admin.check(f"input[name=_selected_action][value='{match.pk}']")
    admin.select_option("select[name=action]", "close_matches")
    admin.click("button[name=index]")
    admin.select_option("select[name=reason]", "completed")
    screenshot(admin, "12-close-match")
    admin.click("input[type=submit]")
    match.refresh_from_db()
    assert (match.status, match.close_reason) == ("closed", "completed")
    mentee.goto(f"/messages/{match.conversations.first().pk}/")
    assert "no new messages can be sent" in mentee.content()
