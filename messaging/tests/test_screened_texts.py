"""S13: every text a person chooses that someone else reads is screened like a message. One-line
texts refuse contact details and line breaks with a form error; free texts are held for review."""

import pytest
from django.urls import reverse

from accounts.models import OutboundEmail, ReviewedText, User
from accounts.tests.factories import UserFactory
from accounts.tests.test_signup import sign_up
from accounts.text_screening import approve, reject
from matching.models import Goal, Match
from matching.services import close, request_mentor
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory
from messaging.models import Conversation

from .helpers import coordinator_of, one_to_one

LINE_BREAKS = ["Sam\r\nBcc: you", "Sam\u2028Patel", "Sam\u2029Patel", "Sam\x85x", "Sam\u202eletaP", "Sam\x00P"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("display_name", "Sam 07911 123456"), ("pronouns", "snap: sam_2009"),
                         ("display_name", "sam (at) gmail dot com"), ("pronouns", "she/her, insta @sam.09")],
)  # fmt: skip
def test_names_and_pronouns_refuse_contact_details(client, field, value):
    person = UserFactory(display_name="Sam")
    client.force_login(person)
    data = {"display_name": "Sam", "pronouns": "", "bio": "", "timezone": "Europe/London", "languages": ["en"],
            "notification_preference": "each_message", "digest_hour": 8, "digest_weekday": 0,
            "quiet_hours_start": "21:00", "quiet_hours_end": "08:00", field: value}  # fmt: skip

    response = client.post(reverse("accounts:profile"), data)

    assert response.status_code == 200
    assert "cannot contain contact details" in response.content.decode()
    person.refresh_from_db()
    assert getattr(person, field) == {"display_name": "Sam", "pronouns": ""}[field]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LINE_BREAKS)
def test_names_refuse_line_breaks_and_control_characters_at_sign_up_and_on_the_profile(client, name):
    response = sign_up(client, email="jo@example.org", display_name=name)
    person = UserFactory(display_name="Sam")
    client.force_login(person)
    profile = client.post(
        reverse("accounts:profile"),
        {"display_name": name, "timezone": "Europe/London", "notification_preference": "each_message",
         "digest_hour": 8, "digest_weekday": 0, "quiet_hours_start": "21:00", "quiet_hours_end": "08:00"},
    )  # fmt: skip

    refused = "one line" if "\x00" not in name else "Null characters are not allowed"
    assert response.status_code == 200 and refused in response.content.decode()
    assert profile.status_code == 200 and refused in profile.content.decode()
    assert not User.objects.filter(email="jo@example.org").exists()
    person.refresh_from_db()
    assert person.display_name == "Sam"


@pytest.mark.django_db
@pytest.mark.parametrize("subject", ["Call me 07700 900123", "add me on snap jo_123", "Plans\r\nBcc: x@x.org"])
def test_a_topic_subject_is_refused_before_anyone_sees_it(client, subject):
    """The subject showed at once in the other person's inbox, even while the first message was held."""
    conversation, sam, doreen = one_to_one()
    client.force_login(sam)

    response = client.post(
        reverse("messaging:new", args=[conversation.match_id]), {"subject": subject, "body": "Hello"}
    )

    assert response.status_code == 200
    assert not Conversation.objects.filter(subject__startswith=subject[:5]).exists()
    client.force_login(doreen)
    assert subject[:10] not in client.get(reverse("messaging:inbox")).content.decode()


@pytest.mark.django_db
def test_a_bio_with_a_handle_waits_for_review_and_nobody_else_sees_it(client):
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, user__display_name="Doreen", user__bio="Lawyer in Leeds.")
    mentee = MenteeFactory(programme=programme, user__display_name="Sam")
    coordinator = coordinator_of(programme)
    match = request_mentor(mentee, mentor)
    client.force_login(mentor.user)
    profile = {"display_name": "Doreen", "bio": "Lawyer in Leeds. snap: doreen_law", "timezone": "Europe/London",
               "languages": ["en"], "notification_preference": "each_message", "digest_hour": 8,
               "digest_weekday": 0, "quiet_hours_start": "21:00", "quiet_hours_end": "08:00"}  # fmt: skip

    saved = client.post(reverse("accounts:profile"), profile, follow=True).content.decode()

    assert "a coordinator will read it before others see it" in saved
    mentor.user.refresh_from_db()
    assert mentor.user.bio == "Lawyer in Leeds."  # others still read the previous bio
    assert "doreen_law" in client.get(reverse("accounts:profile")).content.decode()  # the author sees theirs
    review = ReviewedText.objects.get(author=mentor.user)
    assert (review.status, review.field, [f["kind"] for f in review.findings]) == ("held", "bio", ["handle"])
    assert OutboundEmail.objects.filter(recipient=coordinator, template="emails/message_moderation").exists()

    approve(review, coordinator)

    mentor.user.refresh_from_db()
    assert mentor.user.bio == "Lawyer in Leeds. snap: doreen_law"
    assert match.pk  # (the request stays as it was)


@pytest.mark.django_db
def test_a_request_note_with_a_number_reaches_the_mentor_only_after_review(client):
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, user__display_name="Doreen")
    mentee = MenteeFactory(programme=programme, user__display_name="Sam")
    coordinator = coordinator_of(programme)

    match = request_mentor(mentee, mentor, "Hi! text me 07911 123456 so we can chat")

    match.refresh_from_db()
    assert match.request_note == ""
    email = OutboundEmail.objects.get(recipient=mentor.user, template="emails/match_request")
    assert "07911" not in str(email.context)
    client.force_login(mentor.user)
    assert "07911" not in client.get(reverse("matching:requests")).content.decode()
    review = ReviewedText.objects.get(author=mentee.user, field="request_note")

    reject(review, coordinator, "Please keep phone numbers off the platform.")

    told = OutboundEmail.objects.get(recipient=mentee.user, template="emails/text_rejected")
    assert told.context["reason"] == "Please keep phone numbers off the platform."
    match.refresh_from_db()
    assert match.request_note == ""


@pytest.mark.django_db
def test_goal_titles_and_steps_refuse_contact_details_and_details_wait_for_review(client):
    conversation, sam, doreen = one_to_one()
    match = conversation.match
    client.force_login(sam)
    url = reverse("matching:goal_add", args=[match.pk])
    steps = {"steps-TOTAL_FORMS": 1, "steps-INITIAL_FORMS": 0, "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 20}

    titled = client.post(url, {"title": "Call 07700 900123", "status": "open", **steps, "steps-0-title": ""})
    stepped = client.post(url, {"title": "Apply to uni", "status": "open", **steps, "steps-0-title": "kik me x"})
    detailed = client.post(
        url, {"title": "Apply to uni", "description": "email me jo.smith@gmail.com", "status": "open", **steps}
    )

    assert titled.status_code == stepped.status_code == 200
    assert "cannot contain contact details" in titled.content.decode()
    assert "cannot contain contact details" in stepped.content.decode()
    assert detailed.status_code == 302
    goal = Goal.objects.get()
    assert (goal.title, goal.description) == ("Apply to uni", "")
    client.force_login(doreen)
    assert "jo.smith" not in client.get(reverse("matching:match", args=[match.pk])).content.decode()
    assert ReviewedText.objects.get(field="description").status == "held"


@pytest.mark.django_db
def test_a_closing_reflection_is_screened_too():
    conversation, sam, _doreen = one_to_one()

    close(conversation.match, sam, reason="completed", rating=4, reflection="Thanks! insta @sam.09")

    match = Match.objects.get(pk=conversation.match_id)
    assert match.closing_reflection == ""
    assert ReviewedText.objects.get(field="closing_reflection").text == "Thanks! insta @sam.09"


@pytest.mark.django_db
def test_an_unchanged_approved_bio_is_not_held_again_when_the_profile_is_saved(client):
    person = UserFactory(display_name="Doreen", bio="Reach our office on 0113 496 0123.")  # approved earlier
    client.force_login(person)
    profile = {"display_name": "Doreen", "bio": person.bio, "languages": ["en"],
               "notification_preference": "each_message", "digest_hour": 9, "digest_weekday": 0,
               "quiet_hours_start": "21:00", "quiet_hours_end": "08:00"}  # fmt: skip

    client.post(reverse("accounts:profile"), profile)

    person.refresh_from_db()
    assert (person.digest_hour, person.bio) == (9, "Reach our office on 0113 496 0123.")  # saved, and not held
    assert not ReviewedText.objects.exists()
