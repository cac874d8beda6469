"""Replies, reminders, inactivity, e-mail text and retention are messaging's policy now."""

from django.db import migrations


class Migration(migrations.Migration):

    # After messaging has copied these settings into its own MessagingPolicy (messaging 0011).
    dependencies = [
        ('matching', '0007_at_risk_choices'),
        ('messaging', '0011_messaging_policy'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='programme',
            name='programme_reminders_in_order',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='emails_include_message_text',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='escalation_after_hours',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='inactivity_days',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='response_expectation_hours',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='retention_days',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='second_reminder_after_hours',
        ),
    ]
