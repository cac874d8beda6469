"""A conversation guide's prompt in the thread, in Chromium: one click puts the starter in the reply box."""

import importlib

import pytest
from django.apps import apps as django_apps

from accounts.tests.factories import DEFAULT_PASSWORD
from guides.models import Guide
from messaging.models import Message
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_a_starter_goes_into_the_reply_box_with_one_click(new_page, screenshot):
    # A transactional test before this one may have flushed the data migration's guides.
    importlib.import_module("guides.migrations.0002_default_guides").create(django_apps, None)
    conversation, sam, _doreen = one_to_one()
    Guide.objects.get(name="University access").programmes.add(conversation.match.programme)
    page = new_page()
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/messages/{conversation.pk}/")
    page.wait_for_selector("[data-prompt]")
    assert "This week: Introduce yourselves" in page.content()
    page.click("button:has-text('Use this starter')")
    assert page.input_value("#id_body").startswith("Introduce yourselves")
    screenshot(page, "guide-01-starter")
    page.fill("#id_body", page.input_value("#id_body") + " I'm Sam, and I want to study history.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    assert Message.objects.get().body.startswith("Introduce yourselves")
