"""Announcements: a coordinator writes to a programme or a part of it; each person finds it in the app
and by e-mail (which can be unsubscribed from)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts import delivery
from accounts.models import OutboundEmail
from coordination.tests.test_coordinators_admin import coordinator_for
from matching.models import Match, ProgrammeCoordinator
from matching.services import mark_at_risk
from matching.tests.factories import MenteeFactory, MentorFactory
from messaging.announcements import recipients
from messaging.models import Announcement, AnnouncementReceipt
from messaging.tests.helpers import one_to_one

T0 = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def programme_people():
    with time_machine.travel(T0, tick=False):
        calm, sam, doreen = one_to_one(mentee_name="Sam", mentor_name="Doreen")
        programme = calm.match.programme
        risky, lucia, tomas = one_to_one(programme, mentee_name="Lucía", mentor_name="Tomás")
        mark_at_risk(risky.match, Match.AtRisk.INACTIVE)
        waiting = MenteeFactory(programme=programme, user__display_name="Chen").user
        spare = MentorFactory(programme=programme, user__display_name="Aiko").user
        yield programme, {"sam": sam, "doreen": doreen, "lucia": lucia, "tomas": tomas, "chen": waiting,
                          "aiko": spare}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("segment", "names"),
    [("everyone", {"sam", "doreen", "lucia", "tomas", "chen", "aiko"}), ("mentors", {"doreen", "tomas", "aiko"}),
     ("mentees", {"sam", "lucia", "chen"}), ("unmatched", {"chen"}), ("at_risk", {"lucia", "tomas"})],
)  # fmt: skip
def test_each_segment_reaches_its_people(programme_people, segment, names):
    programme, people = programme_people
    assert set(recipients(programme, segment)) == {people[name] for name in names}


@pytest.mark.django_db
def test_a_coordinator_sends_one_and_people_read_it_in_the_app_and_by_e_mail(client, programme_people):
    programme, people = programme_people
    coordinator = coordinator_for(programme, display_name="Ms Okafor")
    client.force_login(coordinator)

    response = client.post(reverse("admin:messaging_announcement_add"), {
        "programme": programme.pk, "segment": "mentors", "subject": "Training evening on 12 October",
        "body": "Join us for an **online training evening** on listening well.",
    })  # fmt: skip

    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert (announcement.author, announcement.recipients_count) == (coordinator, 3)
    assert set(AnnouncementReceipt.objects.values_list("user__display_name", flat=True)) == {"Doreen", "Tomás", "Aiko"}
    row = OutboundEmail.objects.get(template="emails/announcement", recipient=people["doreen"])
    assert row.kind == "announcement"
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    assert message.subject == f"{programme.name}: Training evening on 12 October"
    assert "online training evening" in message.body and "**" not in message.body
    assert "<strong>online training evening</strong>" in message.alternatives[0][0]
    assert "Ms Okafor" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert not OutboundEmail.objects.filter(template="emails/announcement", recipient=people["sam"]).exists()

    client.force_login(people["doreen"])
    assert "Your coordinator has sent an announcement." in client.get("/").content.decode()
    page = client.get(reverse("messaging:announcements")).content.decode()
    assert "Training evening on 12 October" in page and "<strong>online training evening</strong>" in page
    assert AnnouncementReceipt.objects.get(user=people["doreen"]).read_at is not None
    assert "sent an announcement" not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "error"),
    [({"subject": "Call me on 07700 900123"}, "subject", "cannot contain contact details"),
     ({"subject": "Two\nlines"}, "subject", ""),
     ({"segment": "at_risk", "programme": "empty"}, "__all__", "Nobody in this programme is in that group")],
)  # fmt: skip
def test_a_bad_announcement_is_refused_and_nothing_is_sent(client, programme_people, data, field, error):
    programme, _people = programme_people
    coordinator = coordinator_for(programme)
    client.force_login(coordinator)
    if data.get("programme") == "empty":
        other, _x, _y = one_to_one()
        empty = other.match.programme
        ProgrammeCoordinator.objects.create(programme=empty, user=coordinator)
        data = {**data, "programme": empty.pk}
    posted = {"programme": programme.pk, "segment": "everyone", "subject": "News", "body": "Hello", **data}

    response = client.post(reverse("admin:messaging_announcement_add"), posted)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and error in " ".join(errors[field])
    assert not Announcement.objects.exists()
    assert not OutboundEmail.objects.filter(template="emails/announcement").exists()
