"""Superusers configure organisations in the admin; what they type is checked before anyone relies on it."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from sso.models import Organisation
from sso.providers import organisation_for_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def oidc(**fields):
    data = {"name": "Northfield College", "slug": "northfield", "email_domains": "northfield.ac.uk",
            "protocol": "oidc", "is_active": "on", "issuer": "https://login.northfield.ac.uk",
            "client_id": "mentoring", "client_secret": "first-secret",
            "email_attribute": "", "name_attribute": ""}  # fmt: skip
    return {**data, **fields}


def test_a_superuser_adds_an_organisation_and_sees_what_to_give_its_it_team(superuser_client):
    response = superuser_client.post(
        reverse("admin:sso_organisation_add"),
        oidc(email_domains="@Northfield.ac.uk\nstaff.northfield.ac.uk, northfield.ac.uk"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get()
    assert organisation.domains == ["northfield.ac.uk", "staff.northfield.ac.uk"]
    assert organisation_for_email("Amy@STAFF.northfield.ac.uk") == organisation
    assert organisation_for_email("amy@northfield.ac.uk.evil.example") is None
    assert organisation_for_email("amy@ac.uk") is None

    page = superuser_client.get(reverse("admin:sso_organisation_change", args=[organisation.pk])).content.decode()
    assert "http://testserver/accounts/oidc/northfield/login/callback/" in page
    assert "first-secret" not in page  # the secret is never shown again

    kept = superuser_client.post(
        reverse("admin:sso_organisation_change", args=[organisation.pk]), oidc(client_secret="")
    )
    assert kept.status_code == 302
    organisation.refresh_from_db()
    assert organisation.client_secret == "first-secret"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email_domains": "not a domain!"}, "email_domains", "Enter a domain such as"),
        ({"email_domains": ""}, "email_domains", "This field is required"),
        ({"issuer": ""}, "issuer", "Required for OpenID Connect"),
        (
            {
                "protocol": "saml",
                "idp_entity_id": "https://idp.example/x",
                "idp_sso_url": "https://idp.example/sso",
                "idp_certificate": "MIIC-not-a-certificate",
            },
            "idp_certificate",
            "PEM",
        ),
        ({"protocol": "saml"}, "idp_sso_url", "Required for SAML 2.0"),
        ({"name": "Northfield\u2028College"}, "name", "one line"),
    ],
)
def test_what_would_not_work_is_refused_with_a_message(superuser_client, fields, field, message):
    response = superuser_client.post(reverse("admin:sso_organisation_add"), oidc(**fields))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    assert not Organisation.objects.exists()


def test_a_domain_routes_to_one_organisation_only(superuser_client):
    Organisation.objects.create(name="Old", slug="old", email_domains="northfield.ac.uk", protocol="oidc",
                                issuer="https://old.example", client_id="x", client_secret="y")  # fmt: skip
    response = superuser_client.post(reverse("admin:sso_organisation_add"), oidc())
    assert "Another organisation already signs in northfield.ac.uk" in " ".join(
        response.context["adminform"].form.errors["email_domains"]
    )
