"""`make run` as a newcomer runs it: real environment variables beat a conflicting `.env`, for the
commands run before honcho (preflight, migrate, seed) and for every process the Procfile starts."""

import html
import os
import re
import shutil
import signal
import smtplib
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import psycopg
import pytest
from celery import Celery
from django.conf import settings
from psycopg import sql

from sso.tests.identity_provider import demo
from sso.tests.idp import PersonAtProvider
from tools.smtp_sink import free_port, start_sink

PROJECT = Path(__file__).resolve().parents[2]
# What pytest.ini puts into this process's environment: a newcomer's shell has none of it.
TEST_ONLY = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "EMAIL_URL", "SITE_URL", "REDIS_URL"}
TEST_ONLY |= {"DATABASE_POOL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORT", "REPLY_EMAIL_DOMAIN"}
TEST_ONLY |= {"INBOUND_EMAIL_PROVIDERS", "ANYMAIL_WEBHOOK_SECRET", "MAILGUN_WEBHOOK_SIGNING_KEY"}
REAL_DATABASE, DECOY_DATABASE = "test_mentoring_make_run", "test_mentoring_dotenv_decoy"


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "user": db.get("USER")}


def _database_url(name: str) -> str:
    server = _server()
    return f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"


def _redis_url(db: int) -> str:
    return re.sub(r"/\d+$", f"/{db}", settings.REDIS_URL)


def _drop(name: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _database_exists(name: str) -> bool:
    with psycopg.connect(dbname="postgres", **_server()) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _descendants(root_pid: int) -> list[tuple[str, dict[str, str]]]:
    """(command line, environment) of each process below `root_pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or not _descends_from(int(entry.name), root_pid):
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        found.append((command, dict(item.decode().split("=", 1) for item in environ if b"=" in item)))
    return found


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        try:
            pid = int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid == ancestor:
            return True
    return False


@pytest.fixture
def project_with_a_conflicting_env_file(tmp_path):
    """A copy of the project whose `.env` names another database, Redis database and mail server."""
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".env", ".celery", "staticfiles", "test-artifacts", "__pycache__"
        ),
    )
    (copy / ".venv").symlink_to(PROJECT / ".venv")
    (copy / ".env").write_text(
        f"DEBUG=on\nDATABASE_URL={_database_url(DECOY_DATABASE)}\nREDIS_URL={_redis_url(8)}\nEMAIL_URL=consolemail://\n"
    )
    return copy


def test_make_run_uses_the_real_environment_over_a_conflicting_env_file(project_with_a_conflicting_env_file):
    project = project_with_a_conflicting_env_file
    controller, sink = start_sink()
    port = free_port()
    real = {
        "DATABASE_URL": _database_url(REAL_DATABASE),
        "REDIS_URL": _redis_url(9),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "INBOUND_EMAIL_PORT": str(free_port()),
        "DEMO_IDP_PORT": str(free_port()),
    }
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY} | real | {"PORT": str(port)}
    _drop(REAL_DATABASE)
    _drop(DECOY_DATABASE)
    broker = Celery(broker=real["REDIS_URL"])
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # one process group: make, honcho and what honcho starts
    )
    try:
        health = _wait_until_served(port, make)
        assert health == {"database": "ok", "redis": "ok"}

        # Web: its database is the real one (the decoy does not even exist), and so is its mail server.
        assert _database_exists(REAL_DATABASE)
        assert not _database_exists(DECOY_DATABASE)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
            browser.get("/accounts/password/reset/")
            browser.post(
                "/accounts/password/reset/",
                data={"email": "sam@example.org", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            )
        # (The worker may be sending the demo data's own e-mails there too.)
        assert ["sam@example.org"] in [m.rcpt_tos for m in sink.received]

        # Worker: it consumes from Redis database 9, and answers there.
        replies = _ping_until_answered(broker)
        assert replies, "no worker answered on Redis database 9"

        # The reply receiver listens where the real environment says, and takes only reply addresses.
        with _connect_when_listening(int(real["INBOUND_EMAIL_PORT"])) as receiver:
            receiver.ehlo()
            receiver.mail("sam@example.org")
            assert receiver.rcpt("someone@example.net")[0] == 550

        # The demo identity provider signs Demo College's pupil in, and the sign-up form offers her name.
        assert 'value="Priya Shah"' in _sign_in_at_demo_college(port, int(real["DEMO_IDP_PORT"]))

        # Every process honcho started sees the real variables, not the file's.
        processes = _descendants(make.pid)
        names = ("manage.py runserver", "mentoring worker", "mentoring beat", "manage.py receive_email",
                 "sso.tests.identity_provider")  # fmt: skip
        for name in names:
            started = [environment for command, environment in processes if name in command]
            assert started, f"no {name!r} process under make run"
            for environment in started:
                assert {key: environment.get(key) for key in real} == real, name
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
        controller.stop()
        broker.close()
        _drop(REAL_DATABASE)


def _sign_in_at_demo_college(port: int, provider_port: int) -> str:
    """The sign-up page a pupil reaches through "Sign in with your organisation"."""
    provider = SimpleNamespace(base=f"http://127.0.0.1:{provider_port}")
    deadline = time.monotonic() + 60
    while True:  # it migrates its own small database first
        try:
            httpx.get(f"{provider.base}/test/ready/", timeout=5).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as browser:
        browser.get("/sign-in/organisation/")
        taking_you = browser.post("/sign-in/organisation/", data={"email": demo.PEOPLE[0][0],
                                  "csrfmiddlewaretoken": browser.cookies["csrftoken"]})  # fmt: skip
        onward = html.unescape(re.search(r'content="0;url=([^"]+)"', taking_you.text).group(1))
        back = PersonAtProvider(provider).go(onward, demo.PEOPLE[0][0], demo.PASSWORD)
        return browser.get(back, follow_redirects=True).text


def _wait_until_served(port: int, make: subprocess.Popen, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if make.poll() is not None:
            pytest.fail(f"make run stopped with {make.returncode}:\n{make.stdout.read()}")
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return response.json()
        except httpx.HTTPError:
            time.sleep(0.5)
    pytest.fail(f"make run did not serve on port {port} within {timeout} s")


def _connect_when_listening(port: int, timeout: float = 60) -> smtplib.SMTP:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return smtplib.SMTP("127.0.0.1", port, timeout=30)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _ping_until_answered(broker: Celery, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = broker.control.ping(timeout=1)
        if replies:
            return replies
    return []
