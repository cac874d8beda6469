"""An organisation whose people sign in through its own identity provider.

allauth reads its providers' "apps" from the database or from settings; ours are built from these rows
instead (`sso.adapter.SocialAccountAdapter.list_apps`), so that a superuser configures an organisation
in one admin form with its domains, and the platform decides what the provider may vouch for.
"""

from cryptography import x509
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line

# A domain name as people type it after the @: labels of letters, digits and hyphens, at least one dot.
_DOMAIN = r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}"
domain_validator = RegexValidator(rf"^{_DOMAIN}$", _("Enter a domain such as school.org.uk, without the @."))


def parse_domains(text: str) -> list[str]:
    """The domains in a text, one per line or separated by commas or spaces, lower-cased, once each."""
    seen: dict[str, None] = {}
    for part in text.replace(",", " ").split():
        seen[part.strip().lstrip("@").lower()] = None
    return list(seen)


class Organisation(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    name = models.CharField(
        _("name"), max_length=120, validators=[validate_single_line], help_text=_("Shown on its sign-in button.")
    )
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=50,
        unique=True,
        help_text=_("Part of the addresses its identity provider is given (letters, digits and hyphens)."),
    )
    email_domains = models.TextField(
        _("e-mail domains"),
        help_text=_(
            "One per line. People whose address is at one of these sign in here, and this organisation's "
            "identity provider is trusted to vouch only for addresses at these domains."
        ),
    )
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    is_active = models.BooleanField(_("active"), default=True)

    # OpenID Connect
    issuer = models.URLField(
        _("issuer"), blank=True, help_text=_("The provider's issuer address; its discovery document is read from it.")
    )
    client_id = models.CharField(_("client ID"), max_length=255, blank=True, validators=[validate_single_line])
    client_secret = models.CharField(_("client secret"), max_length=255, blank=True, validators=[validate_single_line])

    # SAML 2.0
    idp_entity_id = models.CharField(
        _("identity provider's entity ID"), max_length=255, blank=True, validators=[validate_single_line]
    )
    idp_sso_url = models.URLField(_("identity provider's sign-in address"), blank=True)
    idp_certificate = models.TextField(
        _("identity provider's signing certificate"), blank=True, help_text=_("PEM, as in its metadata.")
    )
    email_attribute = models.CharField(
        _("e-mail attribute"),
        max_length=255,
        blank=True,
        default="urn:oid:0.9.2342.19200300.100.1.3",
        validators=[validate_single_line],
        help_text=_("The SAML attribute that carries the address (the name ID is used if the assertion has none)."),
    )
    name_attribute = models.CharField(
        _("display name attribute"),
        max_length=255,
        blank=True,
        default="urn:oid:2.16.840.1.113730.3.1.241",
        validators=[validate_single_line],
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation with single sign-on")
        verbose_name_plural = _("organisations with single sign-on")

    def __str__(self):
        return self.name

    @property
    def domains(self) -> list[str]:
        return parse_domains(self.email_domains)

    def clean(self):
        domains = self.domains
        if not domains:
            raise ValidationError({"email_domains": _("Enter at least one domain.")})
        for domain in domains:
            try:
                domain_validator(domain)
            except ValidationError as error:
                raise ValidationError({"email_domains": error}) from None
        self.email_domains = "\n".join(domains)
        taken = [
            domain
            for other in Organisation.objects.exclude(pk=self.pk).only("name", "email_domains")
            for domain in other.domains
            if domain in domains
        ]
        if taken:
            raise ValidationError({"email_domains": _("Another organisation already signs in %(domains)s.")
                                   % {"domains": ", ".join(sorted(set(taken)))}})  # fmt: skip
        required = {
            self.Protocol.OIDC: ["issuer", "client_id", "client_secret"],
            self.Protocol.SAML: ["idp_entity_id", "idp_sso_url", "idp_certificate"],
        }.get(self.protocol, [])
        missing = {name: _("Required for %(protocol)s.") % {"protocol": self.get_protocol_display()}
                   for name in required if not getattr(self, name).strip()}  # fmt: skip
        if missing:
            raise ValidationError(missing)
        if self.protocol == self.Protocol.SAML:
            try:
                x509.load_pem_x509_certificate(self.idp_certificate.strip().encode())
            except ValueError:
                raise ValidationError(
                    {"idp_certificate": _("Paste the certificate in PEM form (-----BEGIN CERTIFICATE----- …).")}
                ) from None
