"""Fixtures every app's tests share. Tests run against the real PostgreSQL and Redis."""

import copy
import os
import time
import uuid

import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session", autouse=True)
def clock_really_ahead():
    """`make test` runs the suite a second time under libfaketime with CLOCK_AHEAD_DAYS set. That run
    proves nothing if the clock did not move (libfaketime missing, or not preloaded), so it checks first
    against PostgreSQL's clock, which libfaketime never touches."""
    days = os.environ.get("CLOCK_AHEAD_DAYS")
    if not days:
        return
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    ) as conn:
        server_now = conn.execute("SELECT extract(epoch FROM clock_timestamp())").fetchone()[0]
    ahead_days = (time.time() - float(server_now)) / 86400
    if abs(ahead_days - float(days)) > 0.1:
        pytest.exit(f"CLOCK_AHEAD_DAYS={days}, but this process's clock is {ahead_days:.2f} days ahead", returncode=3)


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages render with the production static storage (a manifest), so collect once per run."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own key space in the real Redis cache (and in the in-process page cache).

    Rate-limit counters live in the cache; sharing them would make tests depend on order.
    A fresh prefix isolates without flushing anything another process (a dev server) uses.
    """
    caches = copy.deepcopy(settings.CACHES)
    for alias in caches:  # Redis, and each process's own memory of thread pages
        caches[alias]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def redis_unreachable(settings):
    """The shared cache's Redis is gone (nothing listens where it was): what a Redis outage looks like to Django."""
    caches = copy.deepcopy(settings.CACHES)
    caches["redis"]["LOCATION"] = "redis://127.0.0.1:1/0"
    caches["redis"]["OPTIONS"] = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    settings.CACHES = caches


@pytest.fixture
def smtp_sink(settings):
    """Send this test's e-mail over real SMTP to a local server; yields the server's record."""
    from tools.smtp_sink import start_sink

    controller, sink = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def worker(smtp_sink, tmp_path):
    """A real Celery worker in a process of its own, on the test database and Redis, mailing the SMTP sink."""
    from accounts.tests.worker_process import WorkerProcess
    from mentoring.celery import app

    app.control.purge()  # tasks left by earlier tests in the test Redis database
    process = WorkerProcess(tmp_path / "worker.log", email_port=smtp_sink.port)
    try:
        process.wait_until_ready()
        yield process
    finally:
        process.stop()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language. A request in another one leaves it active in the thread
    (Django's LocaleMiddleware never puts it back), and the next test would read that language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's million iterations cost ~0.2 s per user created; tests need the checks, not the cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def close_stray_connections(django_db_setup, django_db_blocker):
    """Threads of the live server (kept alive by the browser's keep-alive sockets) may still hold a
    connection when the run ends; end them so that the test database can be dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    """A real OpenID Connect and SAML 2.0 identity provider on loopback (sso/tests/identity_provider)."""
    from sso.tests.idp import IdentityProvider

    provider = IdentityProvider(tmp_path_factory.mktemp("identity-provider"))
    yield provider
    provider.stop()
