"""The allauth "app" of each active organisation, built from its row rather than stored twice.

An OpenID Connect organisation is an `openid_connect` app whose provider ID is the organisation's slug
(its addresses are /accounts/oidc/<slug>/...); a SAML one is a `saml` app whose client ID is the slug
(/accounts/saml/<slug>/...). Either way the organisation's identity provider vouches only for
addresses at its own domains (`DOMAINS`, read by `sso.adapter`), and a verified address there signs
its owner into their existing account (`email_authentication`; `sso.adapter` adds that the account's
own address must be verified too).
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from .models import Organisation

OIDC = "openid_connect"
SAML = "saml"
# Where an app keeps its organisation's domains, the only ones its provider may vouch for (sso.adapter).
DOMAINS = "sso_domains"
# The subject identifier SAML 2.0 defines for this; the assertion's name ID when it is absent.
SAML_SUBJECT_ID = "urn:oasis:names:tc:SAML:attribute:subject-id"


def app_for(organisation: Organisation) -> SocialApp:
    trust = {DOMAINS: organisation.domains, "email_authentication": True}
    if organisation.protocol == Organisation.Protocol.OIDC:
        return SocialApp(
            provider=OIDC,
            provider_id=organisation.slug,
            name=organisation.name,
            client_id=organisation.client_id,
            secret=organisation.client_secret,
            settings={"server_url": organisation.issuer, "oauth_pkce_enabled": True, **trust},
        )
    return SocialApp(
        provider=SAML,
        provider_id=organisation.slug,
        name=organisation.name,
        client_id=organisation.slug,
        settings={
            "attribute_mapping": {
                "uid": [SAML_SUBJECT_ID],
                "email": [organisation.email_attribute] if organisation.email_attribute else [],
                "name": [organisation.name_attribute] if organisation.name_attribute else [],
            },
            "idp": {
                "entity_id": organisation.idp_entity_id,
                "sso_url": organisation.idp_sso_url,
                "x509cert": organisation.idp_certificate,
            },
            # Every assertion signed by the certificate above; responses nobody asked for are refused.
            "advanced": {"strict": True, "want_assertion_signed": True, "reject_idp_initiated_sso": True},
            "use_nameid_for_email": not organisation.email_attribute,
            **trust,
        },
    )


def active_apps(provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """The apps allauth asks for: by provider ("openid_connect", "saml") or by an organisation's slug."""
    organisations = Organisation.objects.filter(is_active=True)
    if provider in (OIDC, SAML):
        organisations = organisations.filter(protocol="oidc" if provider == OIDC else "saml")
    elif provider:
        organisations = organisations.filter(slug=provider)
    apps = [app_for(organisation) for organisation in organisations]
    if client_id:
        apps = [app for app in apps if app.client_id == client_id]
    return apps


def organisation_for_email(email: str) -> Organisation | None:
    """The active organisation that signs in addresses at this e-mail's domain, if any."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for organisation in Organisation.objects.filter(is_active=True, email_domains__icontains=domain):
        if domain in organisation.domains:
            return organisation
    return None
