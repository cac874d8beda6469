"""Single sign-on routed by e-mail domain: a person types their address and is sent to their
organisation's identity provider, with the address as a hint so that it need not be typed twice.
And a person's links to their organisations' sign-in, for their copy of their data and their erasure."""

from __future__ import annotations

import logging

import requests
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpResponse
from django.urls import reverse
from onelogin.saml2.errors import OneLogin_Saml2_Error

from .models import Organisation
from .providers import OIDC

logger = logging.getLogger(__name__)

# What an identity provider that is down, slow or misconfigured raises while we ask it the way in
# (its discovery document for OpenID Connect; python3-saml's check of the settings for SAML).
PROVIDER_UNREACHABLE = (requests.RequestException, OAuth2Error, OneLogin_Saml2_Error)


class ProviderUnreachable(Exception):
    pass


def redirect_to_provider(request, organisation: Organisation, email: str) -> HttpResponse:
    provider = get_adapter().get_provider(request, organisation.slug)
    kwargs = {}
    if provider.app.provider == OIDC:
        kwargs["auth_params"] = {**provider.get_auth_params(), "login_hint": email}
    # Signed in already, the person is linking their organisation's sign-in to this account.
    process = AuthProcess.CONNECT if request.user.is_authenticated else AuthProcess.LOGIN
    next_url = get_next_redirect_url(request) or (
        reverse("socialaccount_connections") if process == AuthProcess.CONNECT else None
    )
    try:
        return provider.redirect(request, process, next_url=next_url, **kwargs)
    except PROVIDER_UNREACHABLE as exc:
        logger.warning("The identity provider of %s did not answer: %r", organisation.slug, exc)
        raise ProviderUnreachable from exc


def of_person(user_id: int) -> list[dict]:
    """The person's links to organisations' sign-in, with what the provider last said about them."""
    names = dict(Organisation.objects.values_list("slug", "name"))
    return [
        {
            "organisation": names.get(account.provider, account.provider),
            "identifier_at_the_organisation": account.uid,
            "linked_at": account.date_joined.isoformat(),
            "last_signed_in_at": account.last_login.isoformat(),
            "what_the_organisation_said": account.extra_data,
        }
        for account in SocialAccount.objects.filter(user_id=user_id).order_by("date_joined")
    ]


def forget(user_id: int) -> None:
    """Erasure: the links go, and with them the name and address the provider gave."""
    SocialAccount.objects.filter(user_id=user_id).delete()
