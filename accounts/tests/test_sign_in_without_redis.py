"""R11: with Redis unreachable, signing in still works and stays rate-limited (the limits are then
counted in the database, mentoring.cache), and /healthz still says that Redis is down."""

import pytest
from django.urls import reverse

from .factories import DEFAULT_PASSWORD, UserFactory
from .test_login_rate_limit import ATTACKER, OWNER, is_signed_in, log_in


@pytest.mark.django_db
def test_signing_in_works_while_redis_is_down(client, redis_unreachable):
    person = UserFactory(email="mentee@example.org")

    response = log_in(client, person.email, DEFAULT_PASSWORD, OWNER)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_guessing_passwords_is_still_stopped_while_redis_is_down(client, redis_unreachable):
    person = UserFactory(email="mentor@example.org")

    for _ in range(5):
        assert "not correct" in log_in(client, person.email, "wrong guess", ATTACKER).content.decode()
    blocked = log_in(client, person.email, DEFAULT_PASSWORD, ATTACKER)
    owner = log_in(client, person.email, DEFAULT_PASSWORD, OWNER)

    assert "Too many failed login attempts" in blocked.content.decode()
    assert owner.status_code == 302


@pytest.mark.django_db
def test_the_message_limit_still_holds_while_redis_is_down(client, settings, redis_unreachable):
    from messaging.tests.helpers import one_to_one

    settings.MESSAGES_PER_HOUR = 2
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    url = reverse("messaging:reply", args=[conversation.pk])

    statuses = [client.post(url, {"body": f"Message {n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_healthz_still_names_redis_while_sign_in_carries_on(client, redis_unreachable, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")
