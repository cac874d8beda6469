from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on for organisations: a school, university or company signs its people in through
    its own identity provider (OpenID Connect or SAML 2.0), carried by allauth's providers. Knows
    people and their addresses, never programmes."""

    name = "sso"
    verbose_name = _("Single sign-on")
