"""Each message indexed in its own language (messaging.text_language): a generated column cannot change its
expression, so the column and its two indexes are made again. Messages written before this were all
indexed as English, and keep that (language "en")."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

SEARCH_VECTOR = models.GeneratedField(
    db_persist=True,
    expression=models.Case(
        models.When(language="en", then=django.contrib.postgres.search.SearchVector("body", config="english")),
        models.When(language="es", then=django.contrib.postgres.search.SearchVector("body", config="spanish")),
        models.When(language="fr", then=django.contrib.postgres.search.SearchVector("body", config="french")),
        models.When(language="ar", then=django.contrib.postgres.search.SearchVector("body", config="arabic")),
        default=django.contrib.postgres.search.SearchVector("body", config="simple"),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    ),
    output_field=django.contrib.postgres.search.SearchVectorField(),
)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0017_policy_accepts_email_replies"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="language",
            field=models.CharField(blank=True, default="en", editable=False, max_length=8),
        ),
        migrations.RemoveIndex(model_name="message", name="message_search"),
        migrations.RemoveIndex(model_name="message", name="message_search_by_participant"),
        migrations.RemoveField(model_name="message", name="search_vector"),
        migrations.AddField(model_name="message", name="search_vector", field=SEARCH_VECTOR),
        migrations.AddIndex(
            model_name="message",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="message_search"),
        ),
        migrations.AddIndex(
            model_name="message",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["participant_ids", "search_vector"], name="message_search_by_participant"
            ),
        ),
    ]
