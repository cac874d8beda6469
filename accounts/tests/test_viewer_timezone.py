import datetime

import pytest
from django.urls import reverse

from accounts.models import User

from .factories import UserFactory

JOINED = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Tokyo", "2 March 2026, 05:30"),
        ("America/Los_Angeles", "1 March 2026, 12:30"),
        ("Europe/London", "1 March 2026, 20:30"),
    ],
)
def test_times_are_shown_in_the_viewers_time_zone(client, zone, shown):
    person = UserFactory(timezone=zone, date_joined=JOINED)
    client.force_login(person)

    page = client.get(reverse("home")).content.decode()

    assert f'data-testid="date-joined">{shown}<' in page
    assert f"Times are shown in {zone}." in page


@pytest.mark.django_db
def test_a_zone_dropped_from_the_tz_database_falls_back_to_the_site_zone(client, settings):
    person = UserFactory(date_joined=JOINED)
    # Bypasses validation, as a tz database upgrade that removes a zone would.
    User.objects.filter(pk=person.pk).update(timezone="Atlantis/Lost")
    client.force_login(person)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert f"Times are shown in {settings.TIME_ZONE}." in response.content.decode()
