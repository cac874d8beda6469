"""Fixtures every app's tests share. Tests run against the real PostgreSQL and Redis."""

import copy
import uuid

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages render with the production static storage (a manifest), so collect once per run."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own key space in the real Redis cache.

    Rate-limit counters live in the cache; sharing them would make tests depend on order.
    A fresh prefix isolates without flushing anything another process (a dev server) uses.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
