"""Check that PostgreSQL and Redis answer, and create the database if it is missing.

`make run` calls this before migrating, so a newcomer whose services are down reads one line
saying which one, where we looked and how to start it, instead of a traceback.
"""

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from mentoring.health import redis_status

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'


def _server_params(database: dict) -> dict:
    return {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "connect_timeout": 3,
    }


def ensure_database(database: dict) -> bool:
    """Create the database if the server answers and it is missing. True if it was created."""
    where = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **_server_params(database)) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
            return True
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(
            f"PostgreSQL does not answer at {where} (DATABASE_URL): {reason}. Start it with: {START_POSTGRES}"
        ) from None


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer; create the database if it does not exist."
    requires_system_checks = []

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if ensure_database(database):
            self.stdout.write(f"Created database {database['NAME']!r}.")

        status = redis_status()
        if status != "ok":
            raise CommandError(
                f"Redis does not answer at {settings.REDIS_URL} (REDIS_URL): {status}. Start it with: {START_REDIS}"
            )
        self.stdout.write(f"PostgreSQL ({database['NAME']}) and Redis ({settings.REDIS_URL}) answer.")
