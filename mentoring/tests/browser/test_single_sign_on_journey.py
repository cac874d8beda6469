"""Single sign-on in real Chromium: a pupil types their school address, signs in at their school's
identity provider (a real one on loopback: OpenID Connect from django-oauth-toolkit, SAML 2.0 from
pysaml2), confirms the name it gave and lands signed in. The browser holds what tests with Django's
client do not: the page's Content-Security-Policy, SameSite cookies across the provider's redirects
and its cross-site POST, and the time zone the page reads from the browser."""

import httpx
import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from sso.models import Organisation
from sso.tests.idp import PASSWORD

SECRET = "a-client-secret-for-the-browser-journey"


def sign_in_through_the_organisation(page, email, *, name_offered):
    page.goto("/accounts/login/")
    page.click("text=Sign in with your organisation")
    page.fill("input[name=email]", email)
    page.click("button:has-text('Continue')")
    page.wait_for_selector("text=Test identity provider")  # the provider's own page, on its own origin
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/accounts/3rdparty/signup/")
    assert page.input_value("input[name=display_name]") == name_offered
    assert page.input_value("input[name=email]") == email
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


@pytest.mark.django_db(transaction=True)
def test_a_pupil_signs_up_through_their_schools_openid_connect_provider(new_page, live_server, identity_provider):
    Organisation.objects.create(
        name="Northfield College", slug="northfield", email_domains="northfield.ac.uk", protocol="oidc",
        issuer=identity_provider.issuer, client_id="browser-northfield", client_secret=SECRET,
    )  # fmt: skip
    identity_provider.register_client(
        "browser-northfield", SECRET, [f"{live_server.url}/accounts/oidc/northfield/login/callback/"]
    )
    identity_provider.register_person("amy@northfield.ac.uk", "Amy Ng")
    page = new_page(timezone_id="America/Toronto")

    sign_in_through_the_organisation(page, "amy@northfield.ac.uk", name_offered="Amy Ng")

    assert "Amy Ng" in page.content()
    amy = User.objects.get(email="amy@northfield.ac.uk")
    assert amy.timezone == "America/Toronto" and EmailAddress.objects.get(user=amy).verified


@pytest.mark.django_db(transaction=True)
def test_a_pupil_signs_up_through_their_schools_saml_provider(new_page, live_server, identity_provider):
    idp = identity_provider.saml_settings()
    Organisation.objects.create(
        name="Riverside School", slug="riverside", email_domains="riverside.sch.uk", protocol="saml",
        idp_entity_id=idp["entity_id"], idp_sso_url=idp["sso_url"], idp_certificate=idp["certificate"],
    )  # fmt: skip
    identity_provider.register_service_provider(
        httpx.get(f"{live_server.url}/accounts/saml/riverside/metadata/").content
    )
    identity_provider.register_person("ben@riverside.sch.uk", "Ben Okafor")
    page = new_page()

    sign_in_through_the_organisation(page, "ben@riverside.sch.uk", name_offered="Ben Okafor")

    assert "Ben Okafor" in page.content()
    assert EmailAddress.objects.get(user__email="ben@riverside.sch.uk").verified
