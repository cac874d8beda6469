"""Settings for the e-mentoring platform, driven by environment variables.

One file for every environment. Values come from the process environment, then from a
`.env` file beside manage.py (see `.env.example`). Bad values stop the process with one
line that says what is wrong, never a traceback.
"""

import sys
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from ui.theme import csp_hash as theme_script_hash

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def refuse_to_start(message: str) -> None:
    """Stop with a single line on stderr: configuration errors are for people, not stack traces."""
    sys.exit(f"Configuration error: {message}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    """A boolean that refuses typos: django-environ would read DEBUG=ture as False."""
    raw = env.str(name, default="on" if default else "off").strip().lower()
    if raw not in _TRUE | _FALSE:
        refuse_to_start(f"{name} is not valid: use on/off, true/false, yes/no or 1/0, not {raw!r}.")
    return raw in _TRUE


def env_int(name: str, default: int) -> int:
    try:
        return env.int(name, default=default)
    except ValueError:
        refuse_to_start(f"{name} is not valid: a whole number is needed.")


DEBUG = env_flag("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        refuse_to_start("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    refuse_to_start("ALLOWED_HOSTS must name this site's host names when DEBUG is off.")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc:
    refuse_to_start(f"SITE_URL must be an absolute http(s) URL, not {SITE_URL!r}.")
# The platform's name in pages, e-mails and the authenticator app; a deployment may call it its own.
PLATFORM_NAME = env.str("PLATFORM_NAME", default="Waymark")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.contrib.humanize",  # allauth.mfa's pages use it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Single sign-on for organisations (sso): OpenID Connect and SAML 2.0, configured per organisation.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "pgtrigger",
    # Ours, floor by floor from the bottom (docs/architecture.md); mentoring wires them together.
    "ui",  # the look every floor shares: name, icons, avatars
    "accounts",
    "screening",  # person-level records: checks, training, a guardian's consent
    "training",
    "consent",
    "notices",
    "sso",
    "matching",
    "agreements",
    "checkins",
    "guides",
    "meetings",
    "messaging",
    "inbound_mail",
    "coordination",  # last of ours: the top floor
    "mentoring",
    *(["tools"] if env_flag("TOOLS", default=True) else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecurityMiddleware",
    "accounts.middleware.ViewerTimezoneMiddleware",
    "accounts.middleware.ViewerLanguageMiddleware",
    "mentoring.middleware.PrivatePagesNotCachedMiddleware",
    "mentoring.middleware.StyledMethodNotAllowedMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: PostgreSQL only, through psycopg 3 with its connection pool ---------------
DATABASE_URL = env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mentoring")
try:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
except (environ.ImproperlyConfigured, ValueError) as exc:
    refuse_to_start(f"DATABASE_URL is not valid ({exc}).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    refuse_to_start("DATABASE_URL must point at PostgreSQL (postgres://...).")
if env_flag("DATABASE_POOL", default=True):
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", default=8),
            "timeout": 10,
        },
    }
else:
    # Tests: threads and the live server open connections of their own, which a pool would keep
    # open past the test run (and the test database could not be dropped).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Behind PgBouncer in transaction mode (docs/scaling.md), consecutive transactions of one connection may reach
# different server connections: nothing may outlive a transaction there, neither a prepared statement (psycopg
# prepares after 5 runs of a query when server-side binding is on) nor a server-side cursor (QuerySet.iterator()).
if env_flag("DATABASE_BEHIND_PGBOUNCER", default=False):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and Django's shared cache (allauth's rate limits need one) ------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
if urlsplit(REDIS_URL).scheme not in {"redis", "rediss"}:
    refuse_to_start(f"REDIS_URL must be a redis:// or rediss:// URL, not {REDIS_URL!r}.")
CACHES = {
    # Rate limits (sign-in, messages) are counted here: Redis, or the database while Redis is down
    # (mentoring.cache), so that sign-in keeps working and stays limited.
    "default": {
        "BACKEND": "mentoring.cache.FailoverCache",
        "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database"},
    },
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "mentoring",
        # A dead Redis must not hang a request: it fails fast and the database takes over.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_when_redis_is_down",
        "KEY_PREFIX": "mentoring",
    },
    # Each process's own copy of recently served thread pages, in front of Redis. Their keys name
    # everything they show (messaging.thread_cache), so a copy is never out of date: only evicted.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "thread-pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", default=500)},
    },
}

# The thread page is kept whole, under a key of everything it shows (messaging.thread_cache).
THREAD_PAGE_CACHE = env_flag("THREAD_PAGE_CACHE", default=True)

# --- Authentication: custom user, e-mail login through allauth ---------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_DISPLAY = "accounts.models.display_name_of"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# The platform's name, which reads the same in every language (an English word here would not).
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme
# Single sign-on (sso): allauth's social accounts, with apps built from sso.Organisation rows. The
# sign-up form always shows once (the name the provider gave, screened, and the browser's time zone);
# an existing account is signed into only by an address verified on both sides (sso.adapter).
SOCIALACCOUNT_ADAPTER = "sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SOCIALACCOUNT_REQUESTS_TIMEOUT", default=10)
SOCIALACCOUNT_EMAIL_REQUIRED = True
# Two-factor sign-in (allauth.mfa): required of everyone who can read other people's conversations
# (staff: coordinators, safeguarding leads, superusers) before any admin page opens
# (accounts.middleware.StaffSecurityMiddleware); mentors and mentees may turn it on. An authenticator
# app (TOTP), a security key or passkey (WebAuthn), and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # plain http://127.0.0.1 in development only
# A staff session ends after this long without a request.
STAFF_IDLE_SECONDS = env_int("STAFF_IDLE_SECONDS", default=30 * 60)

ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute per address, and 5 per five minutes for one account from one
    # address (the adapter keys failures by account *and* address, so an attacker elsewhere
    # cannot lock the real person out). Everything else keeps allauth's defaults.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}

# --- Internationalisation and time -------------------------------------------------------
LANGUAGE_CODE = "en"
# Each name in the language's own words in the switcher (accounts.languages.site_language_choices).
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The footer's language switch remembers a visitor's choice for a year (a signed-in person's is on their profile).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
if TIME_ZONE not in zoneinfo.available_timezones():
    refuse_to_start(f"TIME_ZONE must be an IANA time zone name such as Europe/London, not {TIME_ZONE!r}.")

# --- Static files: whitenoise, vendored front-end libraries, no CDN ----------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served as they are by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}  # served at /manifest.webmanifest
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {10: "secondary", 20: "info", 25: "success", 30: "warning", 40: "danger"}

# The framework-floor views of `make bench`; never on in a deployment.
BENCH_VIEWS = env_flag("BENCH_VIEWS", default=False)
# django-postman beside us in the benchmark only (the bench target installs it; requirements do not).
BENCH_POSTMAN = env_flag("BENCH_POSTMAN", default=False)
if BENCH_POSTMAN:
    INSTALLED_APPS.append("postman")
    POSTMAN_AUTO_MODERATE_AS = True
    POSTMAN_DISALLOW_ANONYMOUS = True

# --- Messaging ------------------------------------------------------------------------------
MESSAGES_PER_HOUR = env_int("MESSAGES_PER_HOUR", default=30)
# New-message e-mails wait this long (reading the message meanwhile cancels them), and then come at
# most once per window per conversation.
NEW_MESSAGE_EMAIL_WINDOW_MINUTES = env_int("NEW_MESSAGE_EMAIL_WINDOW_MINUTES", default=5)

# --- Replies by e-mail (messaging/email_replies.py; README, "Replying by e-mail") --------------
# The domain reply addresses are on (reply+<key>@REPLY_EMAIL_DOMAIN): its MX record points at the
# receiver below, or at a provider that posts to our webhook. Empty: new-message e-mails offer no reply address.
REPLY_EMAIL_DOMAIN = env.str("REPLY_EMAIL_DOMAIN", default="").strip().lower()
# A reply address stops working this many days after the last e-mail that carried it.
REPLY_ADDRESS_DAYS = env_int("REPLY_ADDRESS_DAYS", default=60)
# The receiver (`manage.py receive_email`, the Procfile's "mail" process): SMTP, or LMTP behind a mail server.
INBOUND_EMAIL_HOST = env.str("INBOUND_EMAIL_HOST", default="127.0.0.1")
INBOUND_EMAIL_PORT = env_int("INBOUND_EMAIL_PORT", default=8025)
INBOUND_EMAIL_LMTP = env_flag("INBOUND_EMAIL_LMTP", default=False)
# Larger e-mails are refused (552 by the receiver; an explanation by e-mail when a provider posted one).
INBOUND_EMAIL_MAX_BYTES = env_int("INBOUND_EMAIL_MAX_BYTES", default=5 * 1024 * 1024)
# The authserv-id whose Authentication-Results header the receiver trusts (RFC 8601): your own mail
# server's, which removes any such header a sender wrote. Empty: the receiver reads none.
INBOUND_EMAIL_AUTHSERV_ID = env.str("INBOUND_EMAIL_AUTHSERV_ID", default="")
# Providers whose inbound webhook is open at /email/inbound/<provider>/ (django-anymail), for example
# "mailgun,postmark". Each needs its secret below; a listed provider without one stops the start.
INBOUND_EMAIL_PROVIDERS = env.list("INBOUND_EMAIL_PROVIDERS", default=[])
ANYMAIL = {
    # HTTP basic auth credentials ("user:password") in the webhook URL, checked for every provider.
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None,
    # Mailgun signs its posts as well.
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="") or None,
}
ANYMAIL = {name: value for name, value in ANYMAIL.items() if value is not None}
# Left out: SendGrid (anymail 15 dropped it) and Amazon SES (anymail does not yet verify SNS signatures).
INBOUND_EMAIL_SUPPORTED_PROVIDERS = ("brevo", "mailgun", "mailjet", "postmark", "sparkpost")
for _provider in INBOUND_EMAIL_PROVIDERS:
    if _provider not in INBOUND_EMAIL_SUPPORTED_PROVIDERS:
        refuse_to_start(
            f"INBOUND_EMAIL_PROVIDERS: {_provider!r} is not one of {', '.join(INBOUND_EMAIL_SUPPORTED_PROVIDERS)}."
        )
    if ":" not in ANYMAIL.get("WEBHOOK_SECRET", ""):
        refuse_to_start(
            "INBOUND_EMAIL_PROVIDERS needs ANYMAIL_WEBHOOK_SECRET (user:password): anyone could post replies."
        )
    if _provider == "mailgun" and "MAILGUN_WEBHOOK_SIGNING_KEY" not in ANYMAIL:
        refuse_to_start("INBOUND_EMAIL_PROVIDERS names mailgun: set MAILGUN_WEBHOOK_SIGNING_KEY.")

# --- E-mail -------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25")
try:
    globals().update(env.email_url_config(EMAIL_URL))
except (environ.ImproperlyConfigured, ValueError, KeyError) as exc:
    refuse_to_start(f"EMAIL_URL is not valid ({exc}).")
EMAIL_TIMEOUT = 10
# A row left in "sending" this long was abandoned by a dead worker and is sent again. Keep it above
# CELERY_TASK_TIME_LIMIT (300 s); the soak run lowers it to see recovery within its short run.
EMAIL_STALE_CLAIM_SECONDS = env_int("EMAIL_STALE_CLAIM_SECONDS", default=600)
if EMAIL_STALE_CLAIM_SECONDS <= 0:
    refuse_to_start("EMAIL_STALE_CLAIM_SECONDS must be a positive number of seconds.")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentoring <noreply@mentoring.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The organizer of every meeting invitation (.ics): the platform's own address, so that nobody's is revealed.
MEETINGS_FROM_EMAIL = env.str("MEETINGS_FROM_EMAIL", default="meetings@mentoring.localhost")

# --- Security: what `check --deploy` asks for, and a strict Content-Security-Policy -------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Off only for plain-HTTP runs on loopback (the soak run); `check --deploy` warns if it is off.
COOKIES_SECURE = env_flag("COOKIES_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = COOKIES_SECURE
CSRF_COOKIE_SECURE = COOKIES_SECURE
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The colour-scheme script inlined in <head> (ui/theme.py), by its hash: no other inline script runs.
        "script-src": [SELF, theme_script_hash()],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    # Bound every connection attempt so that publishing with Redis down cannot hang a request.
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Both limits stay far below the visibility timeout, so a slow task is killed before Redis
# would hand it to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "deliver-due-emails": {
        "task": "accounts.tasks.deliver_due_emails",
        "schedule": 60,
        # A sweep that waited a minute in the queue is superseded by the next one.
        "options": {"expires": 55},
    },
    "send-scheduled-messages": {
        "task": "messaging.tasks.send_scheduled_messages",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "send-due-digests": {
        "task": "messaging.tasks.send_due_digests",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    "send-due-reminders": {
        "task": "messaging.tasks.send_due_reminders",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    "send-inactivity-nudges": {
        "task": "messaging.tasks.send_inactivity_nudges",
        "schedule": 60 * 60,
        "options": {"expires": 50 * 60},
    },
    "purge-expired-messages": {
        "task": "messaging.tasks.purge_expired_messages",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # Meeting reminders a day and an hour before: every five minutes, so an hour's reminder is on time.
    "send-meeting-reminders": {
        "task": "meetings.tasks.send_meeting_reminders",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    "send-due-check-ins": {
        "task": "checkins.tasks.send_due_check_ins",
        "schedule": 60 * 60,
        "options": {"expires": 30 * 60},
    },
    "sweep-screening-checks": {
        "task": "matching.tasks.sweep_screening_checks",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 60 * 60},
    },
    "send-invitation-reminders": {
        "task": "matching.tasks.send_invitation_reminders",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 60 * 60},
    },
    "resume-invitation-lists": {
        "task": "matching.tasks.resume_invitation_lists",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    "remind-and-expire-match-requests": {
        "task": "matching.tasks.remind_and_expire_match_requests",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
