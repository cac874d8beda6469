import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

from .factories import UserFactory

PASSWORD = "a long and private passphrase"


def sign_up(client, email="new.mentee@example.org", **extra):
    data = {
        "display_name": "Jo Learner",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "timezone": "America/Toronto",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_link(message) -> str:
    match = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_sign_up_verify_and_log_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.mentee@example.org")
    assert user.display_name == "Jo Learner"
    assert user.timezone == "America/Toronto"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.mentee@example.org"]

    # Unverified people cannot get in: allauth sends them back to "check your e-mail".
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new.mentee@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # GET only shows a confirm button; it changes nothing
    assert not user.emailaddress_set.get().verified
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    response = client.post(reverse("account_login"), {"login": "New.Mentee@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    dashboard = client.get(reverse("home"))
    assert "Welcome, Jo Learner" in dashboard.content.decode()


@pytest.mark.django_db
def test_sign_up_with_a_taken_address_looks_the_same_as_a_new_one(client):
    UserFactory(email="taken@example.org")

    taken = sign_up(client, email="TAKEN@example.org")
    client.logout()
    fresh = sign_up(client, email="fresh@example.org")

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@example.org").count() == 1
    # The owner of the taken address is told someone tried; nobody else learns it exists.
    assert [m.to for m in mail.outbox] == [["taken@example.org"], ["fresh@example.org"]]


@pytest.mark.django_db
def test_sign_up_with_an_unknown_time_zone_keeps_the_default(client, settings):
    sign_up(client, timezone="Mars/Olympus_Mons")

    assert User.objects.get(email="new.mentee@example.org").timezone == settings.TIME_ZONE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("display_name", ""), ("display_name", "x" * 81), ("display_name", "   "), ("email", "not-an-address")],
)
def test_sign_up_with_bad_details_shows_form_errors(client, field, value):
    response = sign_up(client, **{field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="invalid-feedback' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_confirmation_the_mail_server_could_not_take_arrives_from_the_outbox(client, settings, smtp_sink):
    """Sign-up sends allauth's e-mail while the person waits: with the mail server down it was a 500."""
    from allauth.account.models import EmailAddress

    from accounts import delivery
    from accounts.models import OutboundEmail
    from tools.smtp_sink import free_port

    settings.EMAIL_PORT = free_port()  # nothing listens there
    signed_up = sign_up(client)
    page = client.get(signed_up["Location"]).content.decode()

    assert signed_up.status_code == 302
    assert "Our mail server is slow just now" in page
    queued = OutboundEmail.objects.get(kind="account")
    assert queued.recipient.email == "new.mentee@example.org"

    settings.EMAIL_PORT = smtp_sink.port  # the mail server is back; the outbox's sweep sends it
    assert delivery.deliver_due_emails() == {"sent": 1}
    [received] = smtp_sink.received
    text = next(
        part.get_payload(decode=True).decode()
        for part in received.message.walk()
        if part.get_content_type() == "text/plain"
    )
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", text).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new.mentee@example.org").verified
    queued.refresh_from_db()
    assert queued.context == {}  # the link was a key to the account: not kept once sent


@pytest.mark.django_db
def test_with_the_mail_server_down_a_reset_reads_the_same_for_known_and_unknown_addresses(client, settings):
    from accounts.models import OutboundEmail
    from tools.smtp_sink import free_port

    UserFactory(email="known@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    pages = [
        client.post(reverse("account_reset_password"), {"email": email}, follow=True)
        for email in ("known@example.org", "nobody@example.org")
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert pages[0].content.decode().count("Our mail server is slow just now") == 1
    assert pages[1].content.decode().count("Our mail server is slow just now") == 1
    assert list(OutboundEmail.objects.values_list("recipient__email", flat=True)) == ["known@example.org"]
