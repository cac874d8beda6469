"""Django's system check warns about a field whose default is a fixed time within ten seconds of the clock
(fields.W161): with quiet hours' defaults written as times, `check --deploy --fail-level WARNING` (which
`make test` runs) failed at 08:00:00 and at 21:00:00."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import checks


@pytest.mark.parametrize("hour", [8, 21])
def test_the_checks_pass_at_the_hour_a_default_names(hour):
    moment = datetime.datetime(2026, 12, 2, hour, 0, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        found = [message.id for message in checks.run_checks() if message.level >= checks.WARNING]
    assert "fields.W161" not in found
