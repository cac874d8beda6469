"""The table of the "database" cache (settings.CACHES): where rate limits are counted while Redis is down.

`migrate` creates it, so that every deployment has it; createcachetable skips a table that exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_account_email_kind")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
