from django.db import migrations, models


def sent_lists_are_wholly_processed(apps, schema_editor):
    """A list sent before batches existed was sent whole, at once."""
    InvitationList = apps.get_model("matching", "InvitationList")
    for sent in InvitationList.objects.exclude(sent_at=None).only("rows", "sent_at"):
        sent.processed, sent.sending_since = len(sent.rows), sent.sent_at
        sent.save(update_fields=["processed", "sending_since"])


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0020_programme_questions_and_weights"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitationlist",
            name="processed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="invitationlist",
            name="sending_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sent_lists_are_wholly_processed, migrations.RunPython.noop),
    ]
