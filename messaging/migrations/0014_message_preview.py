from django.db import migrations, models

from richtext import plain_text


def fill_previews(apps, schema_editor):
    """Messages written before the preview existed get theirs, in batches (a large table stays usable)."""
    Message = apps.get_model("messaging", "Message")
    last = 0
    while batch := list(Message.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:2000]):
        for message in batch:
            message.preview = plain_text(message.body, 160)
        Message.objects.bulk_update(batch, ["preview"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0013_support_conversation"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="preview",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=160),
        ),
        migrations.RunPython(fill_previews, migrations.RunPython.noop, elidable=True),
    ]
