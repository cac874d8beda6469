import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from anymail.exceptions import AnymailError
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What a mail server or provider that is down, slow or refusing raises.
SENDING_FAILED = (smtplib.SMTPException, OSError, AnymailError)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's own e-mails (address confirmation, password reset) are sent while the person waits.

        If the mail server cannot take one, they are told so and can ask again (signing in resends the
        confirmation; the reset form can be sent again): their account is kept, and the page is never
        a server error. The same words whether or not the address has an account.
        """
        try:
            super().send_mail(template_prefix, email, context)
        except SENDING_FAILED:
            logger.exception("Could not send the %s e-mail", template_prefix)
            request = allauth_context.request  # the request being served, as allauth records it
            if request is not None:
                messages.error(
                    request,
                    _(
                        "We could not send the e-mail just now. Please try again in a few minutes; if it keeps "
                        "happening, tell your programme coordinator."
                    ),
                )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed logins per account *and* client address.

        allauth counts them per account alone, so five wrong guesses from anywhere lock the
        real person out too. Keyed with the address, an attacker is stopped after five
        guesses while the owner, elsewhere, can still sign in; the per-address limit
        (`login_failed` "10/m/ip") still bounds guessing across many accounts.
        """
        site = get_current_site(request)
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{site.domain}:{login}:{self.get_client_ip(request)}"

    def populate_username(self, request, user):
        # There is no username: people are known by e-mail and shown by display name.
        return None
