"""Demo programmes, enrolments and matches for seed_demo, so every page has something to show."""

import datetime
import secrets

from django.utils import timezone

from agreements import services as agreements
from consent.models import GuardianConsent
from guides.models import Guide
from matching.guardians import explanation
from matching.models import (
    Goal,
    Match,
    MatchMember,
    Membership,
    Milestone,
    Programme,
    ProgrammeCoordinator,
    RequiredCheck,
    RequiredTraining,
    Topic,
)
from matching.readiness import CONSENT_PURPOSE
from matching.services import accept, propose, request_mentor
from screening.models import Check, CheckType
from training.models import Attempt, Module

TOPICS = ["CVs", "Interviews", "University applications", "Law", "Medicine", "Engineering", "Computer science",
          "Starting a business", "Public speaking", "Confidence", "Research careers", "Data science"]  # fmt: skip

AGREEMENT = """1. Keep every conversation on this platform; do not share phone numbers, addresses or social media.
2. Reply within three days, or say when you will.
3. Be kind, patient and honest. Tell your coordinator about anything that worries you."""

# (email prefix, role, topics, capacity)
ENROLMENTS = {
    "widening-access": [
        ("doreen", "mentor", ["Computer science", "Engineering", "University applications"], 2),
        ("tomas", "mentor", ["CVs", "Interviews", "Confidence"], 2),
        ("aiko", "mentor", ["Research careers", "Medicine", "University applications"], 1),
        ("margaret", "mentor", ["University applications", "Interviews", "Confidence", "Public speaking"], 3),
        ("sam", "mentee", ["Computer science", "Engineering", "University applications"], 1),
        ("lucia", "mentee", ["CVs", "Interviews", "Confidence"], 1),
        ("chen", "mentee", ["Data science", "Interviews"], 1),
        ("amira", "mentee", ["Medicine", "Research careers"], 1),
    ],
    "women-founders": [
        ("doreen", "mentor", ["Starting a business", "Public speaking"], 2),
        ("kwame", "mentee", ["Starting a business", "Confidence"], 1),
    ],
}

# Ages on the day of seeding: Sam is 17 (no guardian's consent needed at the programme's consent age of
# 16), Lucia 15 (her guardian has consented), Chen and Amira adults.
AGES = {"sam": 17, "lucia": 15, "chen": 24, "amira": 22, "kwame": 31}

# Widening Access screens its mentors. Aiko's references are still to come, so the approval screen
# and the candidates list have someone who is not ready yet.
CHECKS = {
    "Enhanced DBS with barred list": (36, ["doreen", "tomas", "margaret", "aiko"]),
    "Two references": (None, ["doreen", "tomas", "margaret"]),
}


def years_ago(years: int, today: datetime.date) -> datetime.date:
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(days=30)


def seed_safeguarding(programme: Programme, people: dict, memberships: dict) -> None:
    """Checks, training and a guardian's consent, so the demo's matches pass every gate."""
    today = timezone.localdate()
    for key, years in AGES.items():
        people[key].date_of_birth = years_ago(years, today)
        people[key].save(update_fields=["date_of_birth"])
    for name, (months, cleared) in CHECKS.items():
        check_type, _ = CheckType.objects.get_or_create(name=name, defaults={"valid_for_months": months})
        RequiredCheck.objects.get_or_create(programme=programme, role="mentor", check_type=check_type)
        for key in cleared:
            verified_on = today - datetime.timedelta(days=120)
            Check.objects.get_or_create(
                person=people[key],
                check_type=check_type,
                defaults={
                    "outcome": Check.Outcome.CLEARED,
                    "verified_by": people["coordinator"],
                    "verified_on": verified_on,
                    "expires_on": check_type.expiry_for(verified_on),
                    "evidence_reference": f"DEMO-{key.upper()}-{check_type.pk}",
                },
            )
    for module in Module.objects.filter(audience__in=["mentor", "mentee"]):
        RequiredTraining.objects.get_or_create(programme=programme, role=module.audience, module=module)
        untrained = {"aiko", "amira"}
        trained = [key for (slug, key), m in memberships.items()
                   if slug == "widening-access" and m.role == module.audience and key not in untrained]  # fmt: skip
        for key in trained:
            if not Attempt.objects.filter(person=people[key], module=module).exists():
                Attempt.objects.create(person=people[key], module=module, version=module.version, passed=True,
                                       score=None if module.kind == "acknowledgement" else 100)  # fmt: skip
    lucia = memberships[("widening-access", "lucia")]
    GuardianConsent.objects.get_or_create(
        purpose=CONSENT_PURPOSE,
        purpose_id=lucia.pk,
        defaults={
            "person": lucia.user,
            "guardian_name": "Rosa García",
            "guardian_email": "rosa.garcia@example.org",
            "status": GuardianConsent.Status.GIVEN,
            "explained": explanation(lucia),
            "answered_at": timezone.now(),
            "nonce": secrets.token_hex(16),
        },
    )


def seed_programmes(people: dict) -> None:
    topics = {name: Topic.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})[0]
              for name in TOPICS}  # fmt: skip
    widening, _ = Programme.objects.update_or_create(
        slug="widening-access",
        defaults={
            "name": "Widening Access 2026",
            "description": "Sixth-formers and first-year students from under-represented backgrounds, mentored "
            "by graduates and professionals through applications and their first year.",
            "agreement": AGREEMENT,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 7, 31),
            "for_young_people": True,
            "enrolment_requires_approval": True,
        },
    )
    founders, _ = Programme.objects.update_or_create(
        slug="women-founders",
        defaults={
            "name": "Founders Across Borders",
            "description": "Entrepreneurs paired with experienced founders in other countries.",
            "agreement": AGREEMENT,
            "format": Programme.Format.ONE_TO_ONE,
            "mentee_requests_enabled": False,
            "for_young_people": False,
        },
    )
    for programme in (widening, founders):
        programme.topics.set(topics.values())
        ProgrammeCoordinator.objects.update_or_create(
            programme=programme, user=people["coordinator"], defaults={"is_safeguarding_lead": True}
        )
    memberships = {}
    for slug, rows in ENROLMENTS.items():
        programme = widening if slug == "widening-access" else founders
        for key, role, topic_names, capacity in rows:
            person = people[key]
            membership, _ = Membership.objects.update_or_create(
                user=person,
                programme=programme,
                defaults={
                    "role": role,
                    "status": Membership.Status.APPROVED,
                    "languages": person.languages,
                    "capacity": capacity,
                    "agreement_accepted_at": timezone.now(),
                    "approved_at": timezone.now(),
                    "goals": "Find my way into a good course and make a strong application."
                    if role == "mentee"
                    else "",
                },
            )
            membership.topics.set([topics[name] for name in topic_names])
            memberships[(slug, key)] = membership
    seed_safeguarding(widening, people, memberships)

    if not MatchMember.objects.filter(membership=memberships[("widening-access", "sam")]).exists():
        match = accept(
            propose(memberships[("widening-access", "sam")], memberships[("widening-access", "doreen")],
                    by=people["coordinator"], source=Match.Source.COORDINATOR),
            by=people["coordinator"],
        )  # fmt: skip
        agreement = agreements.propose(match, people["doreen"], {
            "goals": "A personal statement Sam is proud of, and applications to three universities by January.",
            "writing_frequency": "weekly", "reply_within_days": 3,
            "meetings": "One video call a month, arranged by the programme.",
            "ground_rules": AGREEMENT,
        })  # fmt: skip
        agreements.sign(agreement, people["sam"])
        goal = Goal.objects.create(
            match=match,
            title="Send my UCAS application",
            description="Computer science at three universities, with a personal statement I am proud of.",
            target_date=timezone.localdate() + datetime.timedelta(days=45),
            created_by=people["sam"],
        )
        for position, step in enumerate(
            ["Shortlist five courses", "First draft of the statement", "Ask for a reference"]
        ):
            Milestone.objects.create(goal=goal, title=step, position=position, done=position == 0)
        seed_conversation(match, people)
        seed_support(memberships, people)
    for programme, name in ((widening, "University access"), (founders, "Career mentoring")):
        guide = Guide.objects.filter(name=name).first()  # a default guide (guides migration 0002)
        if guide is not None:
            guide.programmes.add(programme)
    lucia = memberships[("widening-access", "lucia")]
    if not MatchMember.objects.filter(membership=lucia).exclude(match_status=Match.Status.SUPPORT).exists():
        request_mentor(
            memberships[("widening-access", "lucia")],
            memberships[("widening-access", "tomas")],
            "Hola Tomás! I would love help preparing for my first internship interviews.",
        )


def seed_support(memberships, people) -> None:
    """A coordinator's announcement to the mentees, and a private support conversation with Lucia."""
    from messaging import support
    from messaging.announcements import send
    from messaging.models import Announcement

    widening = memberships[("widening-access", "sam")].programme
    workshop = "Bring your personal statement draft: **Thursday at 17:00**, online. Mentors welcome too."
    send(Announcement(programme=widening, author=people["coordinator"], segment=Announcement.Segment.MENTEES,
                      subject="Application workshop on Thursday", body=workshop))  # fmt: skip
    welcome = "Hello Lucia, I'm your coordinator. Write to me here any time if something is unclear or worries you."
    support.write(memberships[("widening-access", "lucia")], people["coordinator"], "Welcome, Lucia", welcome)


def seed_conversation(match, people) -> None:
    """A few real messages, so the inbox, thread, search and reply clock have something to show."""
    from messaging.models import Conversation
    from messaging.services import send_message, start_conversation

    hello = Conversation.objects.filter(match=match).first()
    send_message(
        people["sam"],
        hello,
        "Hi Doreen! I'm Sam, in Year 13. I'm applying for **computer science** and I'd love help with my "
        "personal statement. I usually have time to write in the evenings.",
    )
    send_message(
        people["doreen"],
        hello,
        "Hello Sam, lovely to meet you. I studied physics before moving into software, so I know the "
        "feeling of choosing a path.\n\n> I'd love help with my personal statement\n\nLet's do it. Could you "
        "send me your current draft, or even just three things you are proud of?",
    )
    start_conversation(
        match,
        people["sam"],
        "Personal statement, first draft",
        "Here is my opening paragraph. Does it sound too much like everyone else's?\n\n"
        "_Ever since I built my first website at twelve..._",
    )
