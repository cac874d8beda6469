import pytest
from django.urls import reverse

from .factories import DEFAULT_PASSWORD, UserFactory


def log_in(client, person):
    response = client.post(reverse("account_login"), {"login": person.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_session_key_rotates_at_login(client):
    person = UserFactory()
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    log_in(client, person)

    assert client.session.session_key != before


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["logout", "deactivation", "password_change_elsewhere"])
def test_old_session_cookie_stops_working(client, ending):
    person = UserFactory()
    log_in(client, person)
    stolen_cookie = client.cookies["sessionid"].value

    if ending == "logout":
        client.post(reverse("account_logout"))
    elif ending == "deactivation":
        person.is_active = False
        person.save()
    else:
        person.set_password("a brand new passphrase")
        person.save()

    client.cookies["sessionid"] = stolen_cookie
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
