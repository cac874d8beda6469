import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import delivery
from accounts.email_kinds import ESSENTIAL_KINDS, STAFF_KINDS, EmailKind
from accounts.emails import queue_email, unsubscribe_url
from accounts.models import OutboundEmail
from accounts.unsubscribe import make_unsubscribe_token

from .factories import UserFactory


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.fixture
def strict_client():
    """Unsubscribing must work without a CSRF token, as RFC 8058 one-click requires."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_get_shows_a_confirmation_and_changes_nothing(strict_client):
    person = UserFactory()

    response = strict_client.get(path_of(unsubscribe_url(person.pk, EmailKind.DIGEST)))

    assert response.status_code == 200
    assert "Stop these e-mails?" in response.content.decode()
    assert "digests" in response.content.decode()
    person.refresh_from_db()
    assert person.email_opt_outs == []


@pytest.mark.django_db
def test_one_click_post_stops_that_kind_and_only_that_kind(strict_client):
    person = UserFactory()
    pending_digest = queue_email(person, EmailKind.DIGEST, "emails/welcome", {}, "digest:1")

    response = strict_client.post(
        path_of(unsubscribe_url(person.pk, EmailKind.DIGEST)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    person.refresh_from_db()
    assert person.email_opt_outs == [EmailKind.DIGEST]
    pending_digest.refresh_from_db()
    assert pending_digest.status == OutboundEmail.Status.CANCELLED
    assert queue_email(person, EmailKind.DIGEST, "emails/welcome", {}, "digest:2") is None
    assert queue_email(person, EmailKind.NEW_MESSAGE, "emails/welcome", {"profile_url": "/"}, "msg:1") is not None
    delivery.deliver_due_emails()
    assert len(mail.outbox) == 1  # the new-message e-mail still goes


@pytest.mark.django_db
def test_unsubscribing_twice_is_harmless(strict_client):
    person = UserFactory()
    url = path_of(unsubscribe_url(person.pk, EmailKind.DIGEST))

    strict_client.post(url)
    strict_client.post(url)

    person.refresh_from_db()
    assert person.email_opt_outs == [EmailKind.DIGEST]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda pk, token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # tampered signature
        lambda pk, token: token[: len(token) // 2],  # cut short
        lambda pk, token: "not-a-token",
        lambda pk, token: make_unsubscribe_token(999999, "digest"),  # nobody
        lambda pk, token: make_unsubscribe_token(pk, "safeguarding"),  # essential: cannot be turned off
        lambda pk, token: make_unsubscribe_token(pk, "no_such_kind"),
    ],
)
def test_a_bad_token_gets_a_clear_page_and_changes_nothing(strict_client, mangle):
    person = UserFactory()
    bad = mangle(person.pk, make_unsubscribe_token(person.pk, EmailKind.DIGEST))

    for method in (strict_client.get, strict_client.post):
        response = method(reverse("accounts:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    person.refresh_from_db()
    assert person.email_opt_outs == []


@pytest.mark.django_db
def test_preferences_page_turns_kinds_off_and_on_again(client):
    person = UserFactory()
    client.force_login(person)
    every_optional = [kind.value for kind in EmailKind if kind not in ESSENTIAL_KINDS | STAFF_KINDS]

    page = client.get(reverse("accounts:email_preferences"))
    assert page.context["form"].initial["wanted_kinds"] == every_optional

    client.post(reverse("accounts:email_preferences"), {"wanted_kinds": [EmailKind.NEW_MESSAGE]})
    person.refresh_from_db()
    assert EmailKind.NEW_MESSAGE not in person.email_opt_outs
    assert EmailKind.DIGEST in person.email_opt_outs
    assert EmailKind.SAFEGUARDING not in person.email_opt_outs
    assert EmailKind.ACCOUNT not in person.email_opt_outs  # nobody can turn off getting into their account

    client.post(reverse("accounts:email_preferences"), {"wanted_kinds": every_optional})
    person.refresh_from_db()
    assert person.email_opt_outs == []


@pytest.mark.django_db
def test_preferences_page_rejects_unknown_kinds(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(reverse("accounts:email_preferences"), {"wanted_kinds": ["safeguarding", "spam"]})

    assert response.status_code == 200
    assert response.context["form"].errors["wanted_kinds"]
    person.refresh_from_db()
    assert person.email_opt_outs == []
