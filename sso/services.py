"""Single sign-on routed by e-mail domain: a person types their address and is sent to their
organisation's identity provider, with the address as a hint so that it need not be typed twice."""

from __future__ import annotations

import logging

import requests
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpResponse
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
    try:
        return provider.redirect(request, AuthProcess.LOGIN, next_url=get_next_redirect_url(request), **kwargs)
    except PROVIDER_UNREACHABLE as exc:
        logger.warning("The identity provider of %s did not answer: %r", organisation.slug, exc)
        raise ProviderUnreachable from exc
