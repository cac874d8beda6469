import pytest
from django.urls import reverse

from .factories import DEFAULT_PASSWORD, UserFactory, totp_code

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def log_in(client, email, password, address, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_sixth_wrong_password_from_one_address_is_blocked_but_the_owner_elsewhere_gets_in(client):
    person = UserFactory(email="mentor@example.org")

    for _ in range(5):
        response = log_in(client, person.email, "wrong guess", ATTACKER)
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    # The sixth try is refused before the password is even checked, right or wrong.
    response = log_in(client, person.email, DEFAULT_PASSWORD, ATTACKER)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client)

    response = log_in(client, person.email, DEFAULT_PASSWORD, OWNER)
    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_admin_login_form_cannot_be_used_to_guess_passwords(client):
    staff = UserFactory(email="coordinator@example.org", is_staff=True)

    # /admin/login/ has no password form of its own: even the right password does nothing there.
    for password in ["wrong", "also wrong", DEFAULT_PASSWORD]:
        response = client.post(reverse("admin:login"), {"username": staff.email, "password": password})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not is_signed_in(client)


@pytest.mark.django_db
def test_admin_sign_in_goes_through_the_rate_limited_site_login(client):
    staff = UserFactory(email="coordinator@example.org", is_staff=True)

    # /admin/ -> /admin/login/?next=/admin/ -> the site's login, keeping where to go next.
    response = client.get(reverse("admin:index"), follow=True)
    login_url, _status = response.redirect_chain[-1]
    assert login_url == reverse("account_login") + "?next=%2Fadmin%2F"

    for _ in range(5):
        client.post(login_url, {"login": staff.email, "password": "guess"}, REMOTE_ADDR=ATTACKER)
    blocked = client.post(login_url, {"login": staff.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert "Too many failed login attempts" in blocked.content.decode()
    assert not is_signed_in(client)

    response = client.post(login_url, {"login": staff.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=OWNER)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")  # then the second factor (test_two_factor)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, REMOTE_ADDR=OWNER)
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_people_who_are_not_staff_cannot_open_the_admin(client):
    person = UserFactory()
    client.force_login(person)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
