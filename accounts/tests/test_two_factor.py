"""S14: everyone who can read other people's conversations signs in with a second factor before any
admin page opens, and their sessions end after 30 minutes without activity. Mentors and mentees may
turn two-factor sign-in on too."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from .factories import DEFAULT_PASSWORD, UserFactory, totp_code


def sign_in(client, user, password=DEFAULT_PASSWORD, next_url="/admin/"):
    return client.post(f"{reverse('account_login')}?next={next_url}", {"login": user.email, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("who", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_staff_without_a_second_factor_are_sent_to_set_one_up_before_any_admin_page(client, who):
    staff = UserFactory(second_factor=False, **who)
    client.force_login(staff)

    for url in [reverse("admin:index"), reverse("admin:matching_match_changelist"), "/admin/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_index"), url
    setup = client.get(reverse("mfa_index"), follow=True).content.decode()
    assert "needs a second factor before the admin opens" in setup


@pytest.mark.django_db
def test_the_admin_login_asks_for_the_code_and_a_wrong_one_gets_nobody_in(client):
    staff = UserFactory(is_staff=True, email="coordinator@example.org")

    asked = sign_in(client, staff)
    assert asked["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/")  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert right["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_also_lets_staff_in():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.test import Client

    staff = UserFactory(is_staff=True)
    codes = RecoveryCodes.activate(staff).get_unused_codes()
    client = Client()
    sign_in(client, staff)

    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_staff_session_ends_after_30_minutes_without_activity(client):
    staff = UserFactory(is_staff=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(staff)
        assert client.get(reverse("admin:index")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("admin:index")).status_code == 200  # activity: the 30 minutes start again
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("admin:index")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))

        response = client.get(reverse("admin:matching_match_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_people_who_are_not_staff_keep_their_session_and_may_turn_two_factor_on(client):
    person = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(person)
        clock.shift(datetime.timedelta(hours=5))
        page = client.get(reverse("mfa_index"))

    assert page.status_code == 200
    assert reverse("mfa_activate_totp") in page.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()
    assert reverse("mfa_index") in client.get(reverse("accounts:profile")).content.decode()  # linked from the profile
