"""The move of the reply and retention policy from matching's Programme to messaging keeps every value."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("matching", "0007_at_risk_choices"), ("messaging", "0010_single_line_texts")]


@pytest.mark.django_db(transaction=True)
def test_each_programmes_reply_and_retention_settings_move_to_its_messaging_policy():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Programme = old.get_model("matching", "Programme")
    strict = Programme.objects.create(
        name="School", slug="school", response_expectation_hours=24, second_reminder_after_hours=48,
        escalation_after_hours=72, inactivity_days=7, emails_include_message_text=True, retention_days=30,
    )  # fmt: skip
    usual = Programme.objects.create(name="University", slug="university")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    new = executor.loader.project_state(latest).apps
    MessagingPolicy = new.get_model("messaging", "MessagingPolicy")
    moved = {p.programme_id: p for p in MessagingPolicy.objects.all()}
    fields = ("response_expectation_hours", "second_reminder_after_hours", "escalation_after_hours",
              "inactivity_days", "emails_include_message_text", "retention_days")  # fmt: skip
    assert [getattr(moved[strict.pk], name) for name in fields] == [24, 48, 72, 7, True, 30]
    assert (moved[usual.pk].response_expectation_hours, moved[usual.pk].retention_days) == (72, 365)
    assert "retention_days" not in {f.name for f in new.get_model("matching", "Programme")._meta.fields}
