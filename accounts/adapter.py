from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site


class AccountAdapter(DefaultAccountAdapter):
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
