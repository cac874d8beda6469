"""Only participants see a conversation; everyone else gets a 404 (or a sign-in redirect)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from messaging.models import Message
from messaging.services import send_message

from .helpers import coordinator_of, one_to_one


@pytest.fixture
def world():
    conversation, sam, doreen = one_to_one()
    message = send_message(doreen, conversation, "Hello Sam")
    _other_conversation, stranger, _ = one_to_one(mentee_name="Lucía", mentor_name="Tomás")
    coordinator = coordinator_of(conversation.match.programme)
    return {
        "conversation": conversation,
        "message": message,
        "sam": sam,
        "doreen": doreen,
        "other_pair": stranger,
        "coordinator": coordinator,
    }


def id_urls(world):
    c, m = world["conversation"].pk, world["message"].pk
    return [
        ("get", reverse("messaging:thread", args=[c])),
        ("post", reverse("messaging:reply", args=[c])),
        ("post", reverse("messaging:preview", args=[c])),
        ("post", reverse("messaging:draft", args=[c])),
        ("post", reverse("messaging:acknowledge", args=[c])),
        ("post", reverse("messaging:archive", args=[c])),
        ("post", reverse("messaging:mute", args=[c])),
        ("get", reverse("messaging:export", args=[c])),
        ("get", reverse("messaging:new", args=[world["conversation"].match.pk])),
        ("get", reverse("messaging:edit", args=[m])),
        ("get", reverse("messaging:report", args=[m])),
        ("post", reverse("messaging:report", args=[m])),
    ]


def request(client, method, url):
    data = {"body": "hi", "reason": "x", "reply_by": "2030-01-01", "subject": "s"}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


@pytest.mark.django_db
def test_participants_can_use_every_page(client, world):
    client.force_login(world["sam"])
    for method, url in id_urls(world):
        response = request(client, method, url)
        assert response.status_code in {200, 302}, (method, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_pair", "coordinator", "stranger", "staff"])
def test_everyone_else_gets_404(client, world, who):
    person = world.get(who) or UserFactory(is_staff=who == "staff")
    client.force_login(person)
    before = Message.objects.count()

    for method, url in id_urls(world):
        assert request(client, method, url).status_code == 404, (who, method, url)
    assert Message.objects.count() == before
    assert not world["message"].concerns.exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url in id_urls(world):
        response = request(client, method, url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_deactivated_participant_is_signed_out(client, world):
    client.force_login(world["sam"])
    world["sam"].is_active = False
    world["sam"].save()

    response = client.get(reverse("messaging:thread", args=[world["conversation"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_conversation_pages_are_never_cached(client, world):
    client.force_login(world["sam"])

    for url in [reverse("messaging:thread", args=[world["conversation"].pk]), reverse("messaging:inbox")]:
        assert "no-store" in client.get(url)["Cache-Control"]


@pytest.mark.django_db
def test_every_unsafe_endpoint_needs_a_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["sam"])

    for method, url in id_urls(world):
        if method == "post":
            assert request(strict, method, url).status_code == 403, url
