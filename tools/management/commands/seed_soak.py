"""Pairs of people for a load run (`make soak`): prints one JSON line with their logins."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from matching.models import Membership, Programme, Role
from matching.services import accept, propose
from messaging.models import Conversation

PASSWORD = "soak-password-not-secret"  # noqa: S105 - a throwaway database for load runs only


class Command(BaseCommand):
    help = "Create N mentoring pairs with active matches, for a load run. Never on a real database."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=10)

    def handle(self, *args, pairs: int, **options):
        from django.conf import settings

        if not settings.DATABASES["default"]["NAME"].endswith("_soak"):
            raise CommandError("seed_soak only runs on a database whose name ends in _soak.")
        people = []
        with transaction.atomic():
            programme, _ = Programme.objects.get_or_create(
                slug="soak", defaults={"name": "Soak", "for_young_people": False}
            )
            for n in range(pairs):
                members = []
                for role in (Role.MENTEE, Role.MENTOR):
                    user = User(email=f"soak-{role}-{n}@example.org", display_name=f"Soak {role} {n}", languages=["en"])
                    user.set_password(PASSWORD)
                    user.save()
                    from allauth.account.models import EmailAddress

                    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
                    members.append(
                        Membership.objects.create(
                            user=user, programme=programme, role=role, status="approved", languages=["en"], capacity=1
                        )
                    )
                match = accept(propose(members[0], members[1], by=None, source="coordinator"), by=None)
                conversation = Conversation.objects.get(match=match)
                people += [{"email": m.user.email, "conversation": conversation.pk} for m in members]
        self.stdout.write(json.dumps({"password": PASSWORD, "people": people}))
