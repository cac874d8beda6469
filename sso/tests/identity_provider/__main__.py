"""A real identity provider on loopback, for the single sign-on tests: OpenID Connect from
django-oauth-toolkit and SAML 2.0 from pysaml2, in a Django of its own (its own settings and
SQLite database, nothing of the platform's).

    python -m sso.tests.identity_provider PORT WORKDIR [--demo]

It generates its RSA key and its SAML certificate at start, and prints "ready" once it serves. The
tests register clients, people and service providers through its /test/ endpoints (app.py). With
--demo (`make run` starts it so) it registers the demo organisation's client and two people at
demo-college.test, whom seed_demo's organisation signs in.
"""

import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import keys


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # the tests read its answers, not its access log
        pass


def configure(port: int, workdir: Path) -> None:
    from django.conf import settings

    base = f"http://127.0.0.1:{port}"
    private_pem, certificate_pem = keys.ensure(workdir)
    settings.configure(
        DEBUG=False,
        SECRET_KEY="identity-provider-for-tests-only-0123456789",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="sso.tests.identity_provider.app",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(workdir / "idp.sqlite3")}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        USE_TZ=True,
        LOGIN_URL="/login/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # a test server: fast, not safe
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_ISS_ENDPOINT": f"{base}/o",
            "OIDC_RSA_PRIVATE_KEY": private_pem,
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID Connect", "profile": "Your name", "email": "Your e-mail address"},
            "OAUTH2_VALIDATOR_CLASS": "sso.tests.identity_provider.app.ClaimsValidator",
        },
        IDP_BASE_URL=base,
        IDP_KEY_FILE=str(workdir / "saml.key"),
        IDP_CERT_FILE=str(workdir / "saml.crt"),
        IDP_CERTIFICATE_PEM=certificate_pem,
    )


def main() -> None:
    port, workdir, demo = int(sys.argv[1]), Path(sys.argv[2]), "--demo" in sys.argv[3:]
    workdir.mkdir(parents=True, exist_ok=True)
    configure(port, workdir)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if demo:
        from .app import register_demo

        register_demo()
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", port, get_wsgi_application(), _ThreadingServer, _QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
