"""Settings refuse to start on bad configuration, with one line that says why."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
GOOD = {
    "DEBUG": "off",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "mentoring.example.org",
    "SITE_URL": "https://mentoring.example.org",
}


def import_settings(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in GOOD}
    env.update(GOOD)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import mentoring.settings"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_production_settings_load():
    result = import_settings()

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "maybe"}, "DEBUG is not valid"),
        ({"DATABASE_POOL": "on", "DATABASE_POOL_MAX_SIZE": "lots"}, "DATABASE_POOL_MAX_SIZE is not valid"),
        ({"DATABASE_POOL": "sometimes"}, "DATABASE_POOL is not valid"),
        ({"TIME_ZONE": "Mars/Olympus_Mons"}, "TIME_ZONE must be an IANA time zone"),
        ({"DATABASE_URL": "mysql://root@localhost/mentoring"}, "DATABASE_URL must point at PostgreSQL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must be a redis://"),
        ({"SITE_URL": "mentoring.example.org"}, "SITE_URL must be an absolute http(s) URL"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"EMAIL_URL": "pigeon://coop"}, "EMAIL_URL is not valid"),
    ],
)
def test_bad_configuration_stops_with_one_line(overrides, named):
    result = import_settings(**overrides)

    assert result.returncode == 1
    assert named in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_without_debug_a_missing_secret_key_stops_manage_py_too():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update({"DEBUG": "off", "SECRET_KEY": ""})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert result.stderr.strip() == "Configuration error: SECRET_KEY must be set when DEBUG is off (see .env.example)."


def test_behind_pgbouncer_nothing_outlives_a_transaction_on_the_server():
    """docs/scaling.md: transaction pooling gives consecutive transactions different server connections."""
    show = (
        "from mentoring import settings as s; d = s.DATABASES['default']; "
        "print(d['OPTIONS'].get('prepare_threshold', 'unset'), d.get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    env = {key: value for key, value in os.environ.items() if key not in GOOD}
    env.update(GOOD)
    for flag, expected in (("on", "None True"), ("off", "unset False")):
        flags = {**env, "DATABASE_BEHIND_PGBOUNCER": flag, "DATABASE_POOL": "on"}
        result = subprocess.run([sys.executable, "-c", show], cwd=PROJECT, env=flags, capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert result.stdout.strip() == expected, result.stderr
