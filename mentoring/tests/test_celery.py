"""Celery's configuration, and a real worker running a real task against Redis and PostgreSQL."""

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from mentoring.celery import app


def test_worker_settings_keep_delivery_safe():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    visibility_timeout = conf.broker_transport_options["visibility_timeout"]
    # A task still running when the visibility timeout passes would be delivered twice.
    assert conf.task_soft_time_limit < conf.task_time_limit < visibility_timeout
    assert conf.broker_url == settings.REDIS_URL


def test_beat_schedule_names_only_registered_tasks():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_published_to_redis():
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    live = SessionStore()
    live.create()
    # A queue of its own, so that a development worker on the same Redis cannot take the task.
    queue = f"test-{uuid.uuid4().hex}"

    with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        clear_expired_sessions.apply_async(queue=queue)
        deadline = time.monotonic() + 20
        while Session.objects.filter(session_key=expired.session_key).exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()
