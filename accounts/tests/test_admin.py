import pytest
from django.urls import reverse

from .factories import UserFactory


@pytest.mark.django_db
def test_coordinator_edits_a_person_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    person = UserFactory(display_name="Sam", timezone="Europe/London")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"timezone": "Asia/Kolkata", "languages": ["en", "hi"], "is_active": "on"})
    data.pop("password", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.timezone == "Asia/Kolkata"
    assert person.languages == ["en", "hi"]


@pytest.mark.django_db
def test_admin_refuses_an_unknown_time_zone(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    person = UserFactory(timezone="Europe/London")
    url = reverse("admin:accounts_user_change", args=[person.pk])

    response = client.post(url, {"email": person.email, "display_name": "Sam", "timezone": "Nowhere/Else"})

    assert response.status_code == 200
    assert "timezone" in response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.timezone == "Europe/London"


@pytest.mark.django_db
def test_admin_list_and_search_work(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    UserFactory(display_name="Findable Person")

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "Findable"})

    assert response.status_code == 200
    assert "Findable Person" in response.content.decode()
