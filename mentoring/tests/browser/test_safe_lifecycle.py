"""The safe programme lifecycle in a real browser, e-mail over real SMTP: a 15-year-old signs up, enrols
and trains; their guardian consents from the e-mail; the coordinator approves them and records the
mentor's check; the pair match, sign their agreement, and the first message goes."""

import datetime
import importlib
import re
from email.message import Message as EmailMessage

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from accounts import delivery
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from agreements.models import Agreement
from consent.models import GuardianConsent
from matching.models import Match, Membership, ProgrammeCoordinator, RequiredCheck, RequiredTraining
from matching.permissions import COORDINATORS_GROUP
from matching.tests.factories import MentorFactory, ProgrammeFactory, TopicFactory
from messaging.models import Message
from screening.models import Check, CheckType
from training.models import Attempt, Module

from .test_journey import pick_language, sign_in

PASSWORD = "a long and private passphrase"
GUARDIAN = "rosa.romero@example.org"


def text_of(message: EmailMessage) -> tuple[str, str]:
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
             if part.get_content_type() in ("text/plain", "text/html")}  # fmt: skip
    return parts["text/plain"], parts.get("text/html", "")


def mail_to(sink, address: str) -> tuple[str, str]:
    """The newest e-mail the SMTP server received for `address` (the worker's sweep sends what is due)."""
    delivery.deliver_due_emails()
    received = [r for r in sink.received if any(address in to for to in r.rcpt_tos)]
    assert received, f"no e-mail to {address}"
    return text_of(received[-1].message)


def default_modules():
    """The default modules come from a data migration; a transactional test before this one flushed them."""
    migration = importlib.import_module("training.migrations.0002_default_modules")
    migration.create(django_apps, None)


@pytest.fixture
def programme():
    default_modules()
    programme = ProgrammeFactory(name="Widening Access", slug="widening-access", for_young_people=True,
                                 consent_age=16, enrolment_requires_approval=True,
                                 agreement="Keep every conversation on this platform.")  # fmt: skip
    law = TopicFactory(name="Law", slug="law")
    programme.topics.set([law])
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
    disclosures, staying_safe = Module.objects.get(slug="disclosures"), Module.objects.get(slug="staying-safe")
    RequiredTraining.objects.create(programme=programme, role="mentor", module=disclosures)
    RequiredTraining.objects.create(programme=programme, role="mentee", module=staying_safe)
    mentor = MentorFactory(programme=programme, topics=[law], capacity=2, user__display_name="Doreen Okafor")
    Attempt.objects.create(person=mentor.user, module=disclosures, version=1, passed=True, score=100)
    coordinator = UserFactory(is_staff=True, display_name="Priya Raman")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    return programme, mentor, coordinator, staying_safe


@pytest.mark.django_db(transaction=True)
def test_from_sign_up_through_training_consent_and_screening_to_the_first_message(
    new_page, programme, smtp_sink, screenshot
):
    programme, doreen, coordinator, staying_safe = programme
    mentee = new_page()

    # Lucia, 15, signs up and confirms her address from the e-mail the SMTP server received.
    mentee.goto("/accounts/signup/")
    mentee.fill("input[name=display_name]", "Lucia Romero")
    mentee.fill("input[name=email]", "lucia@example.org")
    mentee.fill("input[name=password1]", PASSWORD)
    mentee.fill("input[name=password2]", PASSWORD)
    mentee.click("button[type=submit]")
    mentee.wait_for_url("**/accounts/confirm-email/")
    text, _html = mail_to(smtp_sink, "lucia@example.org")
    mentee.goto(re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", text).group(1))
    mentee.click("button[type=submit]")
    sign_in(mentee, "lucia@example.org", PASSWORD)

    # She enrols with her date of birth and her guardian's address.
    mentee.goto("/programmes/widening-access/enrol/")
    mentee.check("input[name=role][value=mentee]")
    born = datetime.date.today().replace(year=datetime.date.today().year - 15) - datetime.timedelta(days=40)
    mentee.fill("input[name=date_of_birth]", born.isoformat())
    mentee.fill("input[name=guardian_name]", "Rosa Romero")
    mentee.fill("input[name=guardian_email]", GUARDIAN)
    mentee.check("label:has-text('Law') >> xpath=preceding-sibling::input")
    pick_language(mentee, "English")
    mentee.check("input[name=accept_agreement]")
    screenshot(mentee, "lifecycle-01-enrol")
    mentee.click("button:has-text('Enrol')")
    mentee.wait_for_load_state()
    page = mentee.content()
    assert "Before you can be matched" in page
    assert f"we e-mailed {GUARDIAN}" in page
    screenshot(mentee, "lifecycle-02-getting-ready")

    # Training: she reads "Staying safe" and answers its questions.
    mentee.click("text=Training: Staying safe")
    for question in staying_safe.questions.prefetch_related("choices"):
        right = next(choice for choice in question.choices.all() if choice.is_correct)
        mentee.check(f"input[name=q{question.pk}][value='{right.pk}']")
    screenshot(mentee, "lifecycle-03-training")
    mentee.click("button:has-text('Submit answers')")
    mentee.wait_for_url("**/programmes/widening-access/")
    assert "Well done: you have completed" in mentee.content()

    # Her guardian reads the e-mail and agrees through its link, with no account.
    text, html = mail_to(smtp_sink, GUARDIAN)
    assert "Widening Access" in text and "coordinators can read every conversation" in html
    link = re.search(r"https?://[^/\s]+(/consent/[^/\s]+/)", text).group(1)
    guardian = new_page()
    guardian.goto(link)
    screenshot(guardian, "lifecycle-04-guardian")
    guardian.click("button:has-text('I agree')")
    guardian.wait_for_load_state()
    assert GuardianConsent.objects.get().status == "given"

    # The coordinator approves the enrolment and records Doreen's check.
    admin = new_page()
    sign_in(admin, coordinator.email, DEFAULT_PASSWORD)
    admin.fill("input[name=code]", totp_code())
    admin.click("button[type=submit]")
    admin.wait_for_load_state()
    lucia = Membership.objects.get(user__email="lucia@example.org")
    admin.goto("/admin/matching/membership/?status__exact=applied")
    admin.check(f"input[name=_selected_action][value='{lucia.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    admin.wait_for_load_state()
    admin.goto(f"/admin/matching/membership/{doreen.pk}/change/")
    assert "Enhanced DBS not cleared" in admin.content()
    screenshot(admin, "lifecycle-05-approval-screen")
    admin.click("text=Record this check")
    admin.select_option("select[name=outcome]", "cleared")
    admin.fill("input[name=evidence_reference]", "001234567890")
    admin.fill("input[name=verified_on]", datetime.date.today().isoformat())
    admin.click("input[name=_save]")
    admin.wait_for_load_state()
    check = Check.objects.get()
    assert (check.person_id, check.outcome, check.verified_by) == (doreen.user_id, "cleared", coordinator)

    # Now both are ready: Lucia asks Doreen, who accepts.
    mentee.goto("/programmes/widening-access/suggestions/")
    assert "Doreen Okafor" in mentee.content()
    mentee.click("summary:has-text('Ask to be mentored')")
    mentee.fill("textarea[name=note]", "Hello Doreen, I want to study law.")
    mentee.click("button:has-text('Send request')")
    mentor = new_page()
    sign_in(mentor, doreen.user.email, DEFAULT_PASSWORD)
    mentor.goto("/requests/")
    mentor.click("button:has-text('Accept')")
    mentor.wait_for_url("**/matches/*/")
    match = Match.objects.get()
    assert match.status == "active"

    # Doreen writes and signs their agreement; Lucia reads it and signs.
    mentor.click("text=Make our agreement")
    mentor.fill("textarea[name=goals]", "A law application Lucia is proud of.")
    mentor.fill("input[name=reply_within_days]", "4")
    screenshot(mentor, "lifecycle-06-agreement")
    mentor.click("button:has-text('Sign and send')")
    mentor.wait_for_load_state()
    text, _html = mail_to(smtp_sink, "lucia@example.org")
    assert "Doreen Okafor has written and signed your mentoring agreement" in text
    mentee.goto(f"/matches/{match.pk}/")
    mentee.click("text=Read and sign the agreement")
    assert "A law application Lucia is proud of." in mentee.content()
    mentee.click("button:has-text('I agree: sign')")
    mentee.wait_for_load_state()
    assert "your agreement is in force" in mentee.content()
    assert Agreement.objects.get().status == "in_force"

    # The first message.
    mentee.goto("/messages/")
    mentee.click("text=Getting to know each other")
    mentee.fill("#id_body", "Hi Doreen! Thank you for the agreement. Where should I start?")
    mentee.get_by_role("button", name="Send", exact=True).click()
    mentee.wait_for_load_state()
    first = Message.objects.get()
    assert (first.sender.email, first.status) == ("lucia@example.org", "visible")
    screenshot(mentee, "lifecycle-07-first-message")
