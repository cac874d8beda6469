"""Single sign-on end to end: the platform (Django's test client) and a real identity provider on
loopback (sso/tests/identity_provider: django-oauth-toolkit for OpenID Connect, pysaml2 for SAML),
which the platform's allauth talks to over HTTP for discovery, tokens, keys and user info."""

import base64
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from accounts.tests.factories import UserFactory, totp_code
from sso.tests.conftest import HOST
from sso.tests.idp import PostForm

pytestmark = pytest.mark.django_db


def _local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == HOST, url
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sign_in_at_organisation(client, identity_provider, email):
    """From the platform's "sign in with your organisation" to the first page back on the platform."""
    answer = identity_provider.browser().go(onward(client, identity_provider, email), email)
    if isinstance(answer, PostForm):  # SAML: the browser posts the signed response to our ACS
        return client.post(_local(answer.action), answer.fields)
    return client.get(_local(answer))


def onward(client, identity_provider, email):
    """The provider's address the "taking you to your organisation" page moves on to."""
    started = client.post(reverse("sso:start"), {"email": email})
    assert started.status_code == 200, started.content[:500]
    url = started.context["url"]
    assert url.startswith(identity_provider.base) and f'content="0;url={escape(url)}"' in started.content.decode()
    return url


def follow(client, response):
    while response.status_code == 302 and response["Location"].startswith("/"):
        response = client.get(response["Location"])
    return response


def finish_sign_up(client, response, **fields):
    page = follow(client, response)
    assert page.request["PATH_INFO"] == reverse("socialaccount_signup"), page.request["PATH_INFO"]
    form = page.context["form"]
    data = {"email": form.initial.get("email"), "display_name": form.initial.get("display_name"),
            "timezone": "America/Toronto", **fields}  # fmt: skip
    return page, client.post(reverse("socialaccount_signup"), data)


@pytest.mark.parametrize("organisation", ["oidc_organisation", "saml_organisation"])
def test_a_new_person_signs_up_through_their_organisation_with_the_address_verified(
    request, client, identity_provider, organisation
):
    organisation = request.getfixturevalue(organisation)
    email = f"amy.ng@{organisation.domains[0]}"
    identity_provider.register_person(email, "Amy Ng")

    back = sign_in_at_organisation(client, identity_provider, email)
    page, done = finish_sign_up(client, back)

    assert page.context["form"].initial["display_name"] == "Amy Ng"  # offered from the provider, screened
    assert done.status_code == 302 and done["Location"] == reverse("home"), done.content[:800]
    person = User.objects.get(email=email)
    assert person.display_name == "Amy Ng" and person.timezone == "America/Toronto"
    assert EmailAddress.objects.get(user=person).verified  # the organisation vouches for its own domain
    assert SocialAccount.objects.get(user=person).provider == organisation.slug
    assert client.get(reverse("home")).context["user"] == person


@pytest.mark.parametrize("organisation", ["oidc_organisation", "saml_organisation"])
def test_an_existing_account_with_a_verified_address_is_signed_into_and_linked(
    request, client, identity_provider, organisation
):
    organisation = request.getfixturevalue(organisation)
    person = UserFactory(email=f"ben.okafor@{organisation.domains[0]}")
    identity_provider.register_person(person.email, "Ben Okafor")

    back = follow(client, sign_in_at_organisation(client, identity_provider, person.email))

    assert back.request["PATH_INFO"] == reverse("home")
    assert back.context["user"] == person
    assert SocialAccount.objects.get(user=person).provider == organisation.slug
    person.refresh_from_db()
    assert person.has_usable_password()  # verified: nothing to fear from whoever set the password

    client.logout()  # the second time, by the link
    again = follow(client, sign_in_at_organisation(client, identity_provider, person.email))
    assert again.context["user"] == person and SocialAccount.objects.filter(user=person).count() == 1


def test_an_account_whose_address_was_never_confirmed_is_not_taken_over(client, identity_provider, oidc_organisation):
    squatter = UserFactory(email="chloe@northfield.ac.uk", verified_email=False)
    EmailAddress.objects.create(user=squatter, email=squatter.email, primary=True, verified=False)
    identity_provider.register_person("chloe@northfield.ac.uk", "Chloe Adams")

    back = follow(client, sign_in_at_organisation(client, identity_provider, "chloe@northfield.ac.uk"))

    assert back.request["PATH_INFO"] == reverse("socialaccount_signup")  # not signed into the squatter's account
    assert not back.context["user"].is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_provider_cannot_vouch_for_an_address_outside_its_domains(client, identity_provider, oidc_organisation):
    """The nOAuth attack: a provider says another domain's address is verified. The victim's
    account, verified and unlinked, must not open."""
    victim = UserFactory(email="dana@example.org")
    identity_provider.register_person("dana@example.org", "Dana Evans", email_verified=True)

    url = onward(client, identity_provider, "dana@northfield.ac.uk")  # routed by a true domain
    answer = identity_provider.browser().go(url, "dana@example.org")
    back = follow(client, client.get(_local(answer)))

    assert not back.context["user"].is_authenticated
    assert not SocialAccount.objects.filter(user=victim).exists()


def test_an_unverified_address_from_the_provider_is_confirmed_by_e_mail(client, identity_provider, oidc_organisation):
    """Here the provider itself says the address is unverified (the domain alone does not override it)."""
    identity_provider.register_person("eli@northfield.ac.uk", "Eli Park", email_verified=False)

    back = sign_in_at_organisation(client, identity_provider, "eli@northfield.ac.uk")
    _, done = finish_sign_up(client, back)

    person = User.objects.get(email="eli@northfield.ac.uk")
    assert not EmailAddress.objects.get(user=person).verified
    assert done["Location"] == reverse("account_email_verification_sent")


def test_a_name_from_the_provider_with_contact_details_is_not_offered(client, identity_provider, oidc_organisation):
    identity_provider.register_person("fay@northfield.ac.uk", "Fay 07700 900123")

    page = follow(client, sign_in_at_organisation(client, identity_provider, "fay@northfield.ac.uk"))

    assert page.context["form"].initial["display_name"] == ""
    refused = client.post(reverse("socialaccount_signup"), {"email": "fay@northfield.ac.uk",
                                                            "display_name": "Fay 07700 900123"})  # fmt: skip
    assert refused.status_code == 200 and refused.context["form"].errors["display_name"]
    assert not User.objects.filter(email="fay@northfield.ac.uk").exists()


def test_staff_signing_in_through_their_organisation_still_give_their_second_factor(
    client, identity_provider, oidc_organisation
):
    coordinator = UserFactory(email="gus@northfield.ac.uk", is_staff=True)
    identity_provider.register_person(coordinator.email, "Gus Hale")

    back = sign_in_at_organisation(client, identity_provider, coordinator.email)

    assert back.status_code == 302 and back["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).context["user"].is_authenticated
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert done.status_code == 302
    assert client.get(reverse("home")).context["user"] == coordinator


def test_a_saml_response_altered_after_signing_is_refused(client, identity_provider, saml_organisation, caplog):
    victim = UserFactory(email="hana@riverside.sch.uk")
    identity_provider.register_person("ivan@riverside.sch.uk", "Ivan Toth")
    url = onward(client, identity_provider, "ivan@riverside.sch.uk")
    form = identity_provider.browser().go(url, "ivan@riverside.sch.uk")
    signed = base64.b64decode(form.fields["SAMLResponse"])
    assert b"ivan@riverside.sch.uk" in signed
    form.fields["SAMLResponse"] = base64.b64encode(
        signed.replace(b"ivan@riverside.sch.uk", victim.email.encode())
    ).decode()

    refused = follow(client, client.post(_local(form.action), form.fields))

    assert refused.status_code == 401
    assert "Signing in through your organisation did not work" in refused.content.decode()
    assert "Signature validation failed" in caplog.text
    assert not refused.context["user"].is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_saml_response_signed_with_sha1_is_refused(client, identity_provider, saml_organisation, caplog):
    identity_provider.register_person("jan@riverside.sch.uk", "Jan Novak")
    identity_provider.sign_saml_with("sha1")
    try:
        refused = follow(client, sign_in_at_organisation(client, identity_provider, "jan@riverside.sch.uk"))
    finally:
        identity_provider.sign_saml_with("sha256")
    assert refused.status_code == 401 and "Deprecated signature algorithm" in caplog.text
    assert not SocialAccount.objects.exists()


def test_a_saml_response_carried_into_another_browser_is_refused(identity_provider, saml_organisation):
    """The response answered one browser's request; posted from another, it opens nothing."""
    from django.test import Client

    identity_provider.register_person("kai@riverside.sch.uk", "Kai Berg")
    asked = Client(HTTP_HOST=HOST)
    form = identity_provider.browser().go(
        onward(asked, identity_provider, "kai@riverside.sch.uk"), "kai@riverside.sch.uk"
    )

    other = Client(HTTP_HOST=HOST)
    refused = follow(other, other.post(_local(form.action), form.fields))

    assert refused.status_code == 403 and not refused.context["user"].is_authenticated
    assert not User.objects.filter(email="kai@riverside.sch.uk").exists()


def test_a_saml_response_nobody_asked_for_is_refused(client, identity_provider, saml_organisation, caplog):
    """Identity-provider-initiated sign-in (a response to no request) is refused: nothing ties it to this browser."""
    identity_provider.register_person("lou@riverside.sch.uk", "Lou Marsh")
    sp = f"http://{HOST}/accounts/saml/riverside/"
    form = identity_provider.browser().go(
        f"{identity_provider.base}/saml/unsolicited/?acs={sp}acs/&sp={sp}metadata/", "lou@riverside.sch.uk"
    )

    refused = follow(client, client.post(_local(form.action), form.fields))

    assert refused.status_code == 401 and not refused.context["user"].is_authenticated
    assert "IdP initiated SSO rejected" in caplog.text
    assert not User.objects.filter(email="lou@riverside.sch.uk").exists()


def test_an_address_no_organisation_signs_in_is_told_so(client, oidc_organisation):
    response = client.post(reverse("sso:start"), {"email": "jo@elsewhere.example"})
    assert response.status_code == 400
    assert "No organisation signs in at @elsewhere.example here" in response.context["form"].errors["email"][0]
    inactive = client.post(reverse("sso:start"), {"email": "not-an-address"})
    assert inactive.status_code == 400 and inactive.context["form"].errors["email"]


def test_an_organisation_switched_off_signs_nobody_in(client, oidc_organisation):
    oidc_organisation.is_active = False
    oidc_organisation.save()
    assert client.post(reverse("sso:start"), {"email": "kim@northfield.ac.uk"}).status_code == 400
    assert client.get(f"/accounts/oidc/{oidc_organisation.slug}/login/").status_code == 404


def test_a_provider_that_does_not_answer_gets_a_message_not_a_server_error(client, oidc_organisation):
    from sso.tests.idp import _free_port

    oidc_organisation.issuer = f"http://127.0.0.1:{_free_port()}/o"  # nothing listens there
    oidc_organisation.save()

    response = client.post(reverse("sso:start"), {"email": "lee@northfield.ac.uk"}, follow=True)

    assert response.status_code == 200
    assert "Northfield College&#x27;s sign-in is not answering just now" in response.content.decode()


def test_the_sign_in_page_offers_sign_in_with_your_organisation(client):
    page = client.get(reverse("account_login") + "?next=/profile/")
    assert f'href="{reverse("sso:start")}?next=/profile/"' in page.content.decode()


def test_the_provider_is_told_who_is_signing_in(client, identity_provider, oidc_organisation):
    url = onward(client, identity_provider, "Amy.Ng@northfield.ac.uk")
    assert "login_hint=Amy.Ng%40northfield.ac.uk" in url and "code_challenge=" in url  # PKCE too


def test_a_signed_in_person_links_their_organisation_and_can_unlink_it(client, identity_provider, oidc_organisation):
    person = UserFactory(email="mo@example.org")  # a personal address; the school knows another
    client.force_login(person)
    identity_provider.register_person("mo.farah@northfield.ac.uk", "Mo Farah")

    linked = follow(client, sign_in_at_organisation(client, identity_provider, "mo.farah@northfield.ac.uk"))

    assert linked.request["PATH_INFO"] == reverse("socialaccount_connections")
    account = SocialAccount.objects.get(user=person)
    page = linked.content.decode()
    assert "Northfield College" in page and "Unlink" in page
    client.logout()
    again = follow(client, sign_in_at_organisation(client, identity_provider, "mo.farah@northfield.ac.uk"))
    assert again.context["user"] == person  # now the school's sign-in opens this account

    client.force_login(person)
    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.filter(user=person).exists()


def test_the_connections_page_lists_no_one_elses_organisations(client, oidc_organisation, saml_organisation):
    client.force_login(UserFactory())
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Northfield College" not in page and "Riverside School" not in page
    assert reverse("sso:start") in page


def test_a_copy_of_my_data_shows_the_link_and_erasure_removes_it(client, identity_provider, oidc_organisation):
    from coordination.data_rights import erase_account, personal_data

    identity_provider.register_person("nia@northfield.ac.uk", "Nia Cole")
    finish_sign_up(client, sign_in_at_organisation(client, identity_provider, "nia@northfield.ac.uk"))
    nia = User.objects.get(email="nia@northfield.ac.uk")

    [link] = personal_data(nia)["organisation_sign_ins"]
    assert link["organisation"] == "Northfield College"
    assert link["what_the_organisation_said"]["userinfo"]["name"] == "Nia Cole"

    erase_account(nia)
    assert not SocialAccount.objects.filter(user=nia).exists()
    client.logout()
    back = follow(client, sign_in_at_organisation(client, identity_provider, "nia@northfield.ac.uk"))
    assert back.request["PATH_INFO"] == reverse("socialaccount_signup")  # a new start, not the erased account
