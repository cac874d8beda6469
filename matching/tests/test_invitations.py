"""A coordinator brings a new person into a programme only by an invitation that the person accepts."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from accounts.tests.test_signup import PASSWORD, confirmation_link, sign_up
from matching.invitations import InvitationError, invite
from matching.models import Invitation, Membership, ProgrammeCoordinator, Topic
from matching.permissions import COORDINATORS_GROUP

from .factories import MenteeFactory, ProgrammeFactory

INVITED = "new.mentee@example.org"


@pytest.fixture
def private_programme():
    """A school's programme: nobody enrols by finding it; people come by invitation."""
    programme = ProgrammeFactory(name="Leeds Sixth Form", enrolment_open=False, enrolment_requires_approval=True)
    programme.topics.add(Topic.objects.create(name="University applications", slug="university"))
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    return programme, coordinator


def delivered_invitation() -> str:
    row = OutboundEmail.objects.get(kind="invitation")
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    link = re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body).group(1)
    assert link in html
    return link


@pytest.mark.django_db
def test_from_the_coordinators_invitation_to_an_approved_enrolment(client, private_programme):
    programme, coordinator = private_programme
    client.force_login(coordinator)
    added = client.post(reverse("admin:matching_invitation_add"), {"programme": programme.pk, "email": INVITED,
                                                                     "role": "mentee"})  # fmt: skip
    assert added.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (INVITED, "mentee", coordinator)

    # The e-mail goes to an address with no account, through the outbox, with no unsubscribe (one e-mail).
    link = delivered_invitation()
    message = mail.outbox[-1]
    assert message.to == [INVITED]
    assert message.subject == "You are invited to join Leeds Sixth Form"
    assert "Ms Okafor invites you to join Leeds Sixth Form as a mentee." in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    assert "This e-mail was sent to new.mentee@example.org." in message.body

    client.logout()
    page = client.get(link).content.decode()
    assert "You are invited to join Leeds Sixth Form" in page and "Create an account" in page

    # Sign up with the invited address, confirm it, sign in: the dashboard shows the invitation.
    sign_up(client, email=INVITED)
    client.post(confirmation_link(mail.outbox[-1]))
    client.post(reverse("account_login"), {"login": INVITED, "password": PASSWORD})
    assert "You are invited to join Leeds Sixth Form as a mentee." in client.get(reverse("home")).content.decode()
    enrol_url = re.search(r'href="([^"]+\?invitation=[^"]+)"', client.get(link).content.decode()).group(1)
    enrol_url = enrol_url.replace("&amp;", "&")
    form = client.get(enrol_url).content.decode()
    assert 'value="mentor"' not in form  # invited as a mentee: that is the role
    response = client.post(
        enrol_url,
        {"role": "mentee", "topics": [programme.topics.get().pk], "languages": ["en"], "goals": "",
         "accept_agreement": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    membership = Membership.objects.get(user__email=INVITED, programme=programme)
    assert (membership.role, membership.status) == ("mentee", "approved")  # although enrolments need approval
    invitation.refresh_from_db()
    assert (invitation.status, invitation.membership) == ("accepted", membership)
    assert client.get(link).status_code == 404  # used: gone


@pytest.mark.django_db
def test_someone_else_signed_in_cannot_accept_an_invitation_sent_to_another_address(client, private_programme):
    programme, coordinator = private_programme
    invitation = invite(programme, INVITED, "mentee", by=coordinator)
    forwarded_to = UserFactory(email="someone.else@example.org")
    client.force_login(forwarded_to)

    page = client.get(invitation.get_absolute_url()).content.decode()
    enrol = client.get(reverse("matching:enrol", args=[programme.slug]) + f"?invitation={invitation.token}")
    posted = client.post(
        reverse("matching:enrol", args=[programme.slug]) + f"?invitation={invitation.token}",
        {"role": "mentee", "topics": [programme.topics.get().pk], "languages": ["en"], "accept_agreement": "on"},
    )

    assert "sent to another e-mail address" in page and "Accept and enrol" not in page
    assert enrol.status_code == posted.status_code == 404  # a closed programme they were never invited to
    assert not Membership.objects.filter(user=forwarded_to).exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


@pytest.mark.django_db
def test_an_invitation_can_be_declined_and_then_no_longer_opens(client, private_programme):
    programme, coordinator = private_programme
    invitation = invite(programme, INVITED, "mentor", by=coordinator)

    declined = client.post(reverse("matching:decline_invitation", args=[invitation.token]))

    assert "Invitation declined" in declined.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    gone = client.get(invitation.get_absolute_url())
    assert gone.status_code == 404 and "no longer open" in gone.content.decode()


@pytest.mark.django_db
def test_an_invitation_expires(client, private_programme):
    programme, coordinator = private_programme
    with time_machine.travel(timezone.now(), tick=False) as clock:
        invitation = invite(programme, INVITED, "mentee", by=coordinator)
        clock.shift(datetime.timedelta(days=31))

        assert client.get(invitation.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_inviting_twice_sends_one_invitation_and_a_member_cannot_be_invited(private_programme):
    programme, coordinator = private_programme
    member = MenteeFactory(programme=programme).user

    first = invite(programme, "Someone@Example.org", "mentee", by=coordinator)
    second = invite(programme, "someone@example.org", "mentee", by=coordinator)
    with pytest.raises(InvitationError, match="already enrolled"):
        invite(programme, member.email, "mentee", by=coordinator)
    with pytest.raises(InvitationError, match="not an e-mail address"):
        invite(programme, "someone at example", "mentee", by=coordinator)

    assert first == second
    assert Invitation.objects.count() == OutboundEmail.objects.filter(kind="invitation").count() == 1


@pytest.mark.django_db
def test_an_invitation_to_someone_with_an_account_comes_in_their_language_and_zone(private_programme):
    programme, coordinator = private_programme
    person = UserFactory(email=INVITED, display_name="Amira", timezone="Asia/Tokyo")

    invite(programme, INVITED, "mentee", by=coordinator)

    row = OutboundEmail.objects.get(kind="invitation")
    assert row.recipient == person
    delivered_invitation()
    assert mail.outbox[-1].to == ["Amira <new.mentee@example.org>"]
