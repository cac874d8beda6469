"""From a check-in e-mail's "not a good fit" to the coordinator's alert and the at-risk list, in Chromium,
e-mail over real SMTP."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from checkins import services
from checkins.models import Round
from matching.models import Match, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in
from .test_safe_lifecycle import default_modules, mail_to


@pytest.mark.django_db(transaction=True)
def test_a_not_a_good_fit_answer_reaches_the_coordinator_and_the_at_risk_list(new_page, smtp_sink, screenshot):
    default_modules()  # a transactional test before this one flushed the data migrations' rows
    importlib.import_module("checkins.migrations.0002_default_surveys").create(django_apps, None)
    conversation, sam, _doreen = one_to_one(mentee_name="Sam Patel", mentor_name="Doreen Okafor")
    match = conversation.match
    Match.objects.filter(pk=match.pk).update(activated_at=timezone.now() - datetime.timedelta(days=15))
    coordinator = UserFactory(is_staff=True, display_name="Priya Raman")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=match.programme, user=coordinator, is_safeguarding_lead=True)

    assert services.send_due() == 2  # the beat's hourly sweep
    text, _html = mail_to(smtp_sink, sam.email)
    link = re.search(r"https?://[^/\s]+(/check-in/[^/\s]+/)", text).group(1)

    # Sam taps "Not a good fit" on a phone-sized screen, no sign-in needed.
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(link)
    screenshot(phone, "check-in-01-form")
    phone.click("label:has-text('Not a good fit')")
    phone.click("button:has-text('Send my answers')")
    phone.wait_for_load_state()
    assert "Thank you" in phone.content()
    assert Round.objects.get(person=sam).answered_at is not None

    # The coordinator's alert arrives at once, and leads to the at-risk list.
    text, html = mail_to(smtp_sink, coordinator.email)
    assert "said it is not a good fit" in text and "Sam Patel" in html
    at_risk = re.search(r"https?://[^/\s]+(/admin/matching/match/at-risk/\S*)", text).group(1)
    admin = new_page()
    sign_in(admin, coordinator.email, DEFAULT_PASSWORD)
    admin.fill("input[name=code]", totp_code())
    admin.click("button[type=submit]")
    admin.wait_for_load_state()
    admin.goto(at_risk)
    assert "A check-in answer" in admin.content()
    screenshot(admin, "check-in-02-at-risk")
    admin.click("text=read the check-in answers")
    admin.wait_for_load_state()
    assert "How is your match going?" in admin.content()
    admin.goto(f"/admin/checkins/round/{Round.objects.get(person=sam).pk}/change/")
    assert "Not a good fit" in admin.content()
    screenshot(admin, "check-in-03-answers")
