"""How allauth's social sign-in treats an organisation's identity provider.

- Its apps come from `Organisation` rows (`providers.active_apps`), never from allauth's own table.
- An address counts as verified only at the organisation's own domains, whatever the provider claims:
  a provider that says an address at someone else's domain is verified cannot reach that person. At
  its own domains the organisation is the authority (SAML assertions carry no "verified" at all),
  unless its provider says outright that the address is not verified (OpenID Connect's claim).
- An existing account is signed into by address only when its own address is verified as well, so an
  unconfirmed sign-up cannot wait for the real owner to arrive by single sign-on.
- The name the provider gives is screened like any other name before the sign-up form offers it.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError

from accounts.text_screening import DEFAULT_POLICY, refuse_contact_details, validate_single_line

from .providers import DOMAINS, active_apps

DISPLAY_NAME_LENGTH = 80


def _claimed(sociallogin):
    """What the provider said of the address: True, False, or None when it said nothing."""
    data = sociallogin.account.extra_data or {}
    data = data.get("userinfo") or data.get("id_token") or data  # OpenID Connect keeps both
    claim = data.get("email_verified") if isinstance(data, dict) else None
    if isinstance(claim, str):
        return claim.strip().lower() in ("true", "1", "yes")
    return claim if isinstance(claim, bool) else None


def vouched(sociallogin, email: str) -> bool:
    domains = sociallogin.provider.app.settings.get(DOMAINS) or []
    return email.rpartition("@")[2].lower() in domains and _claimed(sociallogin) is not False


def offered_name(data: dict) -> str:
    """The provider's name for the person, if it would pass as a display name; otherwise ""."""
    name = (data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))).strip()
    name = name[:DISPLAY_NAME_LENGTH]
    try:
        validate_single_line(name)
        refuse_contact_details(name, [DEFAULT_POLICY])
    except ValidationError:
        return ""
    return name


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        return active_apps(provider=provider, client_id=client_id)

    def pre_social_login(self, request, sociallogin):
        # Runs after allauth's lookup (authenticate_by_email below), before a sign-up saves the addresses.
        for address in sociallogin.email_addresses:
            address.verified = vouched(sociallogin, address.email)

    def authenticate_by_email(self, sociallogin):
        for address in sociallogin.email_addresses:
            if not vouched(sociallogin, address.email):
                continue
            own = EmailAddress.objects.filter(email__iexact=address.email, verified=True).select_related("user")
            for found in own:
                if found.user.is_active:
                    return found.user, address.email
        return None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.display_name = offered_name(data)
        return user

    def get_signup_form_initial_data(self, sociallogin):
        initial = super().get_signup_form_initial_data(sociallogin)
        initial["display_name"] = sociallogin.user.display_name
        return initial
