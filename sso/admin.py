from allauth.socialaccount.models import SocialApp, SocialToken
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Organisation

# allauth's own tables of apps and tokens are not used: apps are built from organisations
# (sso.providers) and tokens are not kept (SOCIALACCOUNT_STORE_TOKENS), so their pages would only mislead.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


def _https_by_default(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # an identity provider's address without a scheme is https
    return field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the one saved."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "slug", "email_domains", "protocol", "is_active", "issuer", "client_id", "client_secret",
                  "idp_entity_id", "idp_sso_url", "idp_certificate", "email_attribute", "name_attribute"]  # fmt: skip
        formfield_callback = _https_by_default

    def clean_client_secret(self):
        return self.cleaned_data["client_secret"] or (self.instance.client_secret if self.instance.pk else "")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Only superusers hold these permissions: an identity provider can sign in anyone at its domains."""

    form = OrganisationForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # the admin's own callback wins over the form's
    list_display = ["name", "protocol", "domains_shown", "is_active"]
    list_filter = ["protocol", "is_active"]
    search_fields = ["name", "email_domains"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["addresses_for_the_provider"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "email_domains", "protocol", "is_active"]}),
        (_("OpenID Connect"), {"fields": ["issuer", "client_id", "client_secret"]}),
        (
            _("SAML 2.0"),
            {"fields": ["idp_entity_id", "idp_sso_url", "idp_certificate", "email_attribute", "name_attribute"]},
        ),
        (_("What to give the organisation's IT team"), {"fields": ["addresses_for_the_provider"]}),
    ]

    @admin.display(description=_("e-mail domains"))
    def domains_shown(self, organisation):
        return ", ".join(organisation.domains)

    @admin.display(description=_("addresses"))
    def addresses_for_the_provider(self, organisation):
        if not organisation.pk:
            return _("Saved organisations show them here.")
        site = settings.SITE_URL.rstrip("/")
        if organisation.protocol == Organisation.Protocol.OIDC:
            rows = [(_("Redirect URI"), site + reverse("openid_connect_callback", args=[organisation.slug]))]
        else:
            metadata = site + reverse("saml_metadata", args=[organisation.slug])
            rows = [
                (_("Service provider metadata"), metadata),
                (_("Entity ID"), metadata),
                (_("Assertion consumer service (HTTP-POST)"), site + reverse("saml_acs", args=[organisation.slug])),
            ]
        return format_html_join("", "<div><strong>{}</strong>: <code>{}</code></div>", rows)
