"""Create demo people so that a newcomer can sign in and look around. Safe to run again."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from matching.permissions import COORDINATORS_GROUP
from sso.models import Organisation
from sso.tests.identity_provider import demo as demo_sign_in

from .demo_programmes import seed_programmes

DEMO_PASSWORD = "mentoring-demo"  # noqa: S105 - printed on purpose; refused outside DEBUG

DEMO_PEOPLE = [
    {
        "email": "coordinator@example.org",
        "display_name": "Priya Raman",
        "pronouns": "she/her",
        "timezone": "Europe/London",
        "languages": ["en", "ta"],
        "bio": "Programme coordinator for the widening-access scheme; designated safeguarding lead.",
        "is_staff": True,
        "role": "coordinator",
    },
    {
        "email": "admin@example.org",
        "display_name": "Platform Admin",
        "pronouns": "",
        "timezone": "Europe/London",
        "languages": ["en"],
        "bio": "Runs the platform for all programmes.",
        "is_staff": True,
        "is_superuser": True,
        "role": "superuser",
    },
    {
        "email": "doreen@example.org",
        "display_name": "Doreen Okafor",
        "pronouns": "she/her",
        "timezone": "Africa/Lagos",
        "languages": ["en", "yo"],
        "bio": "Software engineer at a payments company in Lagos. I studied physics first and love helping "
        "people find their way into tech from unusual directions.",
        "role": "mentor",
    },
    {
        "email": "tomas@example.org",
        "display_name": "Tomás Herrera",
        "pronouns": "he/him",
        "timezone": "America/Mexico_City",
        "languages": ["es", "en"],
        "bio": "Product designer. First in my family to go to university; happy to talk portfolios, "
        "interviews and impostor syndrome.",
        "role": "mentor",
    },
    {
        "email": "aiko@example.org",
        "display_name": "Aiko Tanaka",
        "pronouns": "",
        "timezone": "Asia/Tokyo",
        "languages": ["ja", "en"],
        "bio": "Biochemist working on enzyme design. I mentor students considering research careers.",
        "role": "mentor",
    },
    {
        "email": "margaret@example.org",
        "display_name": "Margaret Lindqvist",
        "pronouns": "she/her",
        "timezone": "Europe/Stockholm",
        "languages": ["sv", "en", "de"],
        "bio": "Retired head teacher. Thirty years of helping young people plan their next step.",
        "role": "mentor",
    },
    {
        "email": "sam@example.org",
        "display_name": "Sam Patel",
        "pronouns": "they/them",
        "timezone": "Europe/London",
        "languages": ["en", "gu"],
        "bio": "Year 13, thinking about engineering or computer science at university.",
        "role": "mentee",
    },
    {
        "email": "lucia@example.org",
        "display_name": "Lucía Fernández",
        "pronouns": "she/her",
        "timezone": "America/Bogota",
        "languages": ["es", "en"],
        "bio": "First-year economics student, first in my family at university.",
        "notification_preference": User.NotificationPreference.DAILY_DIGEST,
        "role": "mentee",
    },
    {
        "email": "kwame@example.org",
        "display_name": "Kwame Mensah",
        "pronouns": "he/him",
        "timezone": "Africa/Accra",
        "languages": ["en", "ak"],
        "bio": "Starting a small solar-installation business and looking for advice on growing it.",
        "notification_preference": User.NotificationPreference.WEEKLY_DIGEST,
        "role": "mentee",
    },
    {
        "email": "chen@example.org",
        "display_name": "Chen Wei",
        "pronouns": "he/him",
        "timezone": "Australia/Sydney",
        "languages": ["zh", "en"],
        "bio": "Graduate analyst, keen to move towards data science.",
        "role": "mentee",
    },
    {
        "email": "amira@example.org",
        "display_name": "Amira Haddad",
        "pronouns": "she/her",
        "timezone": "Europe/Berlin",
        "languages": ["ar", "de", "en"],
        "bio": "Medical student in Berlin, interested in global health.",
        "role": "mentee",
    },
]


# The demo staff's authenticator key (demo only, like the password): codes come from any TOTP app.
DEMO_TOTP_SECRET = "MENTORINGDEMOKEYMENTORINGDEMOKEY"  # noqa: S105 - published, for the demo only


class Command(BaseCommand):
    help = "Create demo people (a coordinator, mentors, mentees) with a known password. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a real deployment)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a published password; it runs only with DEBUG on.")
        with transaction.atomic():
            people = {person["email"].split("@")[0]: self._upsert(person) for person in DEMO_PEOPLE}
            seed_programmes(people)
            people["coordinator"].groups.add(Group.objects.get(name=COORDINATORS_GROUP))
            self._organisation()
            for user in people.values():
                if user.is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                    TOTP.activate(user, DEMO_TOTP_SECRET)  # the admin needs a second factor
        self.stdout.write(self.style.SUCCESS(self.login_help()))

    def _upsert(self, person: dict) -> User:
        fields = {key: value for key, value in person.items() if key not in {"email", "role"}}
        user = User.objects.filter(email__iexact=person["email"]).first() or User(email=person["email"])
        for key, value in fields.items():
            setattr(user, key, value)
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=person["email"], defaults={"verified": True, "primary": True}
        )
        return user

    @staticmethod
    def _organisation() -> None:
        """The organisation whose identity provider `make run` starts (the Procfile's idp)."""
        Organisation.objects.update_or_create(
            slug=demo_sign_in.SLUG,
            defaults={
                "name": "Demo College",
                "email_domains": demo_sign_in.DOMAIN,
                "protocol": Organisation.Protocol.OIDC,
                "issuer": demo_sign_in.ISSUER,
                "client_id": demo_sign_in.CLIENT_ID,
                "client_secret": demo_sign_in.CLIENT_SECRET,
                "is_active": True,
            },
        )

    @staticmethod
    def login_help() -> str:
        lines = [
            f"Demo logins at {settings.SITE_URL}/accounts/login/ (password for all: {DEMO_PASSWORD})",
        ]
        for person in DEMO_PEOPLE:
            lines.append(
                f"  {person['role']:<12} {person['email']:<26} {person['display_name']} ({person['timezone']})"
            )
        lines.append(
            f'Single sign-on: "Sign in with your organisation" as {demo_sign_in.PEOPLE[0][0]} (or '
            f"{demo_sign_in.PEOPLE[1][0]}), password {demo_sign_in.PASSWORD} at Demo College's provider."
        )
        lines.append(
            f"Staff also need a code from an authenticator app: add the key {DEMO_TOTP_SECRET} to one, or run "
            "`.venv/bin/python manage.py demo_code` for the current code."
        )
        return "\n".join(lines)
