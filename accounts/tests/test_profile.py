import datetime

import pytest
from django.urls import reverse

from accounts.models import User

from .factories import UserFactory

VALID = {
    "display_name": "Doreen O.",
    "pronouns": "she/her",
    "bio": "Engineer in Lagos.",
    "languages": ["en", "yo"],
    "notification_preference": User.NotificationPreference.DAILY_DIGEST,
    "digest_hour": "7",
    "digest_weekday": "0",
    "quiet_hours_start": "22:00",
    "quiet_hours_end": "07:30",
}


@pytest.fixture
def person(client):
    user = UserFactory(display_name="Doreen", timezone="Europe/London")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_profile_page_saves_every_preference(client, person):
    response = client.post(reverse("accounts:profile"), VALID)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Doreen O."
    assert person.languages == ["en", "yo"]
    assert person.notification_preference == "daily_digest"
    assert person.digest_hour == 7
    assert person.quiet_hours_start == datetime.time(22, 0)
    assert person.quiet_hours_end == datetime.time(7, 30)
    assert "Your profile has been saved." in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 81),
        ("display_name", "Sam\x00"),
        ("bio", "NUL \x00 in a bio"),
        ("display_name", ""),
        ("pronouns", "x" * 41),
        ("bio", "x" * 1001),
        ("languages", ["klingon"]),
        ("digest_hour", "24"),
        ("digest_hour", "eight"),
        ("quiet_hours_start", "25:99"),
        ("notification_preference", "carrier_pigeon"),
    ],
)
def test_bad_profile_input_gives_a_form_error_and_changes_nothing(client, person, field, value):
    response = client.post(reverse("accounts:profile"), {**VALID, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Doreen"
    assert person.timezone == "Europe/London"


@pytest.mark.django_db
def test_profile_needs_a_signed_in_person(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_never_shows_the_email_address_to_others_field(client, person):
    # The form edits what others see; the address is changed only through allauth's e-mail page.
    form = client.get(reverse("accounts:profile")).context["form"]

    assert "email" not in form.fields


@pytest.mark.django_db
def test_languages_already_spoken_are_listed_first(client):
    person = UserFactory(languages=["yo", "en"])
    client.force_login(person)

    choices = client.get(reverse("accounts:profile")).context["form"].fields["languages"].choices

    assert {code for code, _name in choices[:2]} == {"yo", "en"}
    assert len(choices) == 184


@pytest.mark.django_db
def test_the_time_zone_has_a_page_of_its_own_and_the_profile_links_to_it(client, person):
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Time zone: <strong>Europe/London</strong>" in profile and 'name="timezone"' not in profile

    response = client.post(reverse("accounts:time_zone"), {"timezone": "Africa/Lagos"}, follow=True)

    person.refresh_from_db()
    assert person.timezone == "Africa/Lagos"
    assert "Your time zone is now Africa/Lagos." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "x" * 500, ""])
def test_a_bad_time_zone_gives_a_form_error_and_changes_nothing(client, person, value):
    response = client.post(reverse("accounts:time_zone"), {"timezone": value})

    assert response.status_code == 400
    assert "timezone" in response.context["form"].errors and "is-invalid" in response.content.decode()
    person.refresh_from_db()
    assert person.timezone == "Europe/London"
