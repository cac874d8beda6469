import pytest
from django.core.management import CommandError, call_command

from mentoring.management.commands.preflight import ensure_database


@pytest.mark.django_db
def test_preflight_names_the_service_that_does_not_answer(settings):
    call_command("preflight")  # both up: no error

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match=r"Redis does not answer at redis://127.0.0.1:1/0 \(REDIS_URL\)"):
        call_command("preflight")


def test_preflight_names_postgresql_when_it_does_not_answer(settings):
    unreachable = {**settings.DATABASES["default"], "PORT": "1"}

    with pytest.raises(CommandError, match=r"PostgreSQL does not answer at .*:1 \(DATABASE_URL\)"):
        ensure_database(unreachable)
