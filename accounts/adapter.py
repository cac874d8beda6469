import logging
import smtplib
import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from anymail.exceptions import AnymailError
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _lazy

from .delivery import PermanentFailure, classify_send_error
from .email_kinds import EmailKind
from .emails import queue_email
from .models import User

logger = logging.getLogger(__name__)

# What a mail server or provider that is down, slow or refusing raises.
SENDING_FAILED = (smtplib.SMTPException, OSError, AnymailError)
MAIL_SERVER_SLOW = _lazy(
    "Our mail server is slow just now: your e-mail should arrive within the hour. If it does not, please ask "
    "for it again."
)
ADDRESS_REFUSED = _lazy("That address refused our e-mail. Please check it, or ask your programme coordinator for help.")


def _send_later(email: str, user, message) -> None:
    """Put an e-mail allauth rendered into the outbox, for the person whose own address it is."""
    user = user or User.objects.filter(email=email.lower()).first()
    if user is None or user.email != email.lower():  # no account, or a new address not yet theirs
        return
    queue_email(user, EmailKind.ACCOUNT, "emails/account", {"subject": message.subject, "text": message.body},
                dedupe_key=f"account:{uuid.uuid4().hex}")  # fmt: skip


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's own e-mails (address confirmation, password reset) are sent while the person waits.

        If the mail server cannot take one just now, it goes into the outbox, which keeps trying for
        about an hour and a half (an e-mail to an address with no account, which the outbox cannot
        hold, is not kept). Either way the person is told the same thing, whether or not the address
        has an account, and the page is never a server error.
        """
        request = allauth_context.request  # the request being served, as allauth records it
        mail_context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, mail_context)
        try:
            message.send()
        except SENDING_FAILED as exc:
            logger.warning("The %s e-mail could not be sent now: %s", template_prefix, exc)
            refused = classify_send_error(exc) is PermanentFailure
            if not refused:
                _send_later(email, context.get("user"), message)
            if request is not None:
                if refused:
                    messages.error(request, ADDRESS_REFUSED)
                else:
                    messages.warning(request, MAIL_SERVER_SLOW)

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
