"""The demo people and programmes that `make run` seeds, and their logins."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from tools.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PEOPLE


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_its_people_can_sign_in(client, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.count() == len(DEMO_PEOPLE)
    assert User.objects.get(email="coordinator@example.org").groups.filter(name="Coordinators").exists()
    assert "coordinator@example.org" in capsys.readouterr().out
    zones = set(User.objects.values_list("timezone", flat=True))
    assert len(zones) >= 5
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.is_staff
    from matching.models import Match, Programme

    assert Programme.objects.count() == 2
    assert sorted(Match.objects.values_list("status", flat=True)) == ["active", "proposed", "support"]
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_the_demo_coordinator_opens_the_admin_with_the_printed_code(client, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()

    client.post(f"{reverse('account_login')}?next=/admin/", {"login": "coordinator@example.org",
                                                               "password": DEMO_PASSWORD})  # fmt: skip
    call_command("demo_code")
    code = capsys.readouterr().out.strip()
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert len(code) == 6 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()
