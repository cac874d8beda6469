"""The enrolment form in real Chromium: the chosen role's questions only, and a searchable language picker
that submits the chosen languages (in both colour schemes, without an axe violation)."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matching.models import Membership, Topic
from matching.tests.factories import ProgrammeFactory

from .test_accessibility import violations
from .test_journey import pick_language, sign_in


@pytest.fixture
def enrol_page(new_page):
    def open_it(scheme="light"):
        programme = ProgrammeFactory(slug="uni", name="University Access")
        programme.topics.add(Topic.objects.create(name="Law", slug="law"))
        person = UserFactory(display_name="Ana")
        page = new_page(bypass_csp=True, color_scheme=scheme)
        sign_in(page, person.email, DEFAULT_PASSWORD)
        page.goto("/programmes/uni/enrol/")
        return page, person

    return open_it


def shown(page, name):
    return page.locator(f"#div_id_{name}").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_chosen_roles_questions_only(enrol_page):
    page, _person = enrol_page()

    assert not shown(page, "capacity") and not shown(page, "preferred_mentor_gender")
    page.check("input[name=role][value=mentor]")
    assert shown(page, "capacity") and not shown(page, "preferred_mentor_gender")
    page.check("input[name=role][value=mentee]")
    assert not shown(page, "capacity") and shown(page, "preferred_mentor_gender")
    assert shown(page, "topics") and shown(page, "languages")


@pytest.mark.django_db(transaction=True)
def test_languages_are_found_by_typing_and_enrolled_with(enrol_page):
    page, person = enrol_page()
    page.check("input[name=role][value=mentor]")
    page.check("label:has-text('Law') >> xpath=preceding-sibling::input")
    page.fill("input[name=capacity]", "2")

    page.locator("#id_languages-ts-control").fill("zzzz")
    assert page.locator(".ts-dropdown .no-results").inner_text() == "No language by that name"
    pick_language(page, "Welsh")
    pick_language(page, "Spanish")
    assert page.locator("label[for=id_languages-ts-control]").count() == 1  # the label names the typing box
    if page.locator("input[name=accept_agreement]").count():
        page.check("input[name=accept_agreement]")
    page.click("button:has-text('Enrol')")
    page.wait_for_load_state()

    assert page.locator(".invalid-feedback").all_inner_texts() == []
    membership = Membership.objects.get(user=person)
    assert sorted(membership.languages) == ["cy", "es"] and membership.capacity == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_enrolment_form_with_its_picker_open_has_no_violations(enrol_page, scheme):
    page, _person = enrol_page(scheme)
    page.check("input[name=role][value=mentee]")
    pick_language(page, "English")
    page.locator("#id_languages-ts-control").fill("Fr")

    assert violations(page) == []
