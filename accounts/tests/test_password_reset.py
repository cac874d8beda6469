import re

import pytest
from django.core import mail
from django.urls import reverse

from .factories import UserFactory

NEW_PASSWORD = "a completely new passphrase"


@pytest.mark.django_db
def test_reset_request_looks_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="known@example.org")

    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")


@pytest.mark.django_db
def test_password_reset_by_e_mail_link(client):
    person = UserFactory(email="known@example.org")

    client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client):
    person = UserFactory()
    client.force_login(person)

    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert wrong.status_code == 200
    assert wrong.context["form"].errors["oldpassword"]
    person.refresh_from_db()
    assert not person.check_password(NEW_PASSWORD)
