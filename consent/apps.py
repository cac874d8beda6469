from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """A parent's or guardian's consent for a young person to take part, asked by e-mail and given,
    declined or withdrawn by signed links. Knows people, never programmes: the floor above says what
    the consent is for and what to explain."""

    name = "consent"
    verbose_name = _("Guardian consent")
