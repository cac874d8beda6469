"""Recruitment as a school does it, in real Chromium: a coordinator uploads a list with an answer to the
programme's own question, the invited pupil signs up, enrols (the answer already filled in), and their first
suggestion names the question in its reasons."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts import delivery
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code
from matching.models import EnrolmentQuestion, InvitationList, Membership, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from matching.tasks import send_invitation_list
from matching.tests.factories import MentorFactory, ProgrammeFactory, TopicFactory

from .test_journey import pick_language, sign_in

PUPIL_PASSWORD = "a long and private passphrase"
FIRST = "First in my family to go to university"


@pytest.mark.django_db(transaction=True)
def test_from_an_uploaded_list_to_a_suggestion_that_names_the_programmes_question(new_page, screenshot):
    programme = ProgrammeFactory(name="Riverside Sixth Form", slug="riverside", enrolment_open=False)
    law = TopicFactory(name="Law", slug="law")
    programme.topics.set([law])
    question = EnrolmentQuestion.objects.create(
        programme=programme, text="Your background", kind="single", choices=[FIRST, "Not the first"],
        rule="same", weight=20,
    )  # fmt: skip
    MentorFactory(programme=programme, topics=[law], user__display_name="Doreen Okafor",
                  answers={str(question.pk): FIRST})  # fmt: skip
    MentorFactory(programme=programme, topics=[law], user__display_name="Tomás Bee",
                  answers={str(question.pk): "Not the first"})  # fmt: skip
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)

    # The coordinator uploads the school's list and sends what the preview shows.
    admin = new_page()
    sign_in(admin, coordinator.email, DEFAULT_PASSWORD)
    admin.fill("input[name=code]", totp_code())
    admin.click("button[type=submit]")
    admin.wait_for_load_state()
    admin.goto("/admin/matching/invitation/")
    admin.click("text=Invite from a file")
    admin.select_option("select[name=programme]", str(programme.pk))
    csv = f"email,name,role,your background\nada@school.org.uk,Ada Lovelace,mentee,{FIRST}\nnot-an-address,X,mentee,\n"
    admin.set_input_files("input[name=file]", files=[{"name": "year12.csv", "mimeType": "text/csv",
                                                       "buffer": csv.encode()}])  # fmt: skip
    admin.click("input[type=submit]")
    assert "1 person will be invited to Riverside Sixth Form." in admin.content()
    assert "is not an e-mail address" in admin.content()
    screenshot(admin, "recruit-01-preview")
    admin.click("input[value='Send the invitations']")
    admin.wait_for_url("**/admin/matching/invitation/from-a-file/*/")
    assert "0 of 1 rows sent" in admin.content()  # a worker sends it; the page refreshes itself meanwhile
    send_invitation_list(InvitationList.objects.get().pk)  # what the worker runs
    admin.wait_for_selector("[data-done]")
    assert "1 invitation sent to people for Riverside Sixth Form." in admin.content()
    admin.click("text=See the invitations")
    admin.wait_for_selector("#result_list >> text=ada@school.org.uk")

    # Ada gets the e-mail, signs up with that address and confirms it.
    delivery.deliver_due_emails()
    [invited] = [m for m in mail.outbox if m.to == ["ada@school.org.uk"]]
    assert invited.body.startswith("Hello Ada Lovelace,")
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", invited.body).group(1)
    pupil = new_page()
    pupil.goto("/accounts/signup/")
    pupil.fill("input[name=display_name]", "Ada Lovelace")
    pupil.fill("input[name=email]", "ada@school.org.uk")
    pupil.fill("input[name=password1]", PUPIL_PASSWORD)
    pupil.fill("input[name=password2]", PUPIL_PASSWORD)
    pupil.click("button[type=submit]")
    pupil.wait_for_url("**/accounts/confirm-email/")
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    pupil.goto(confirm)
    pupil.click("button[type=submit]")
    sign_in(pupil, "ada@school.org.uk", PUPIL_PASSWORD)

    # She accepts: the enrolment form already holds the list's answer.
    pupil.goto(link)
    pupil.click("a[href*='?invitation=']")
    assert pupil.is_checked(f"input[name=question_{question.pk}][value='{FIRST}']")
    pupil.check("label:has-text('Law') >> xpath=preceding-sibling::input")
    pick_language(pupil, "English")
    pupil.check("input[name=accept_agreement]")
    screenshot(pupil, "recruit-02-enrol")
    pupil.click("button:has-text('Enrol')")
    pupil.wait_for_url("**/suggestions/")
    assert Membership.objects.get(user__email="ada@school.org.uk").status == "approved"

    # Her first suggestion is the mentor who shares her answer, and says so.
    first = pupil.locator("article.card").first
    assert "Doreen Okafor" in first.inner_text()
    assert "both chose \u2018first in my family to go to university\u2019" in first.inner_text()
    screenshot(pupil, "recruit-03-suggestions")
