"""Demo programmes, enrolments and matches for seed_demo, so every page has something to show."""

import datetime

from django.utils import timezone

from matching.models import Goal, Match, MatchMember, Membership, Milestone, Programme, ProgrammeCoordinator, Topic
from matching.services import accept, propose, request_mentor

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

    if not MatchMember.objects.filter(membership=memberships[("widening-access", "sam")]).exists():
        match = accept(
            propose(memberships[("widening-access", "sam")], memberships[("widening-access", "doreen")],
                    by=people["coordinator"], source=Match.Source.COORDINATOR),
            by=people["coordinator"],
        )  # fmt: skip
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
    if not MatchMember.objects.filter(membership=memberships[("widening-access", "lucia")]).exists():
        request_mentor(
            memberships[("widening-access", "lucia")],
            memberships[("widening-access", "tomas")],
            "Hola Tomás! I would love help preparing for my first internship interviews.",
        )


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
