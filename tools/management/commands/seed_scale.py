"""Seed a benchmark database at scale with PostgreSQL COPY: people, matches, conversations, messages.

Shapes: most people in one match with a few conversations; a light user with 60 conversations; heavy
mentors with ~3,000 conversations each; a few very long threads; several programmes; many time zones.
Only runs on a database whose name ends in `_bench`.
"""

import datetime
import random
import sys
from functools import partial

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.db.models import NOT_PROVIDED
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from psycopg import sql

ZONES = ["Europe/London", "Africa/Lagos", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata",
         "America/Mexico_City", "Europe/Berlin", "America/Sao_Paulo", "Africa/Nairobi"]  # fmt: skip
WORDS = (
    "statement", "university", "interview", "application", "course", "mentor", "goal", "practice", "confidence",
    "law", "medicine", "engineering", "placement", "deadline", "feedback", "draft", "paragraph", "reference",
    "scholarship", "volunteering", "week", "thanks", "question", "plan", "next", "meeting", "idea", "reading",
    "chapter", "essay", "exam", "revision",
)  # fmt: skip
PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway benchmark database
HEAVY_MATCHES, HEAVY_TOPICS = 300, 10  # 3,000 conversations for each heavy mentor
LIGHT_MATCHES, LIGHT_TOPICS = 6, 10  # 60 conversations for the light user


STOPWORDS = (
    "the", "and", "to", "of", "a", "i", "you", "in", "it", "is", "that", "for", "my", "with", "be", "on",
    "have", "this", "your", "so", "but", "we", "about", "would", "can", "if", "at", "do", "what", "me",
)  # fmt: skip


def vocabulary(rng, size: int = 6000) -> tuple[list[str], list[float]]:
    """Words with a Zipf-like frequency, as in real writing: stop words most common (search ignores
    them), the mentoring words in the middle ranks, and a long tail of rare words."""
    syllables = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "in", "ma", "pra", "que", "ti", "nu", "ber", "gos"]
    made_up = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)})
    rng.shuffle(made_up)
    middle = made_up[:100] + list(WORDS) + made_up[100:200]
    words = list(STOPWORDS) + middle + made_up[200 : size - len(STOPWORDS) - len(middle) + 200]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return words, weights


class Command(BaseCommand):
    help = "Seed the benchmark database (name ending in _bench) at scale with COPY."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument("--heavy", type=int, default=3, help="Heavy mentors with ~3,000 conversations each.")
        parser.add_argument("--small", action="store_true", help="2,000 people and 100,000 messages.")
        parser.add_argument("--postman", action="store_true", help="Copy the messages into django-postman's table too.")

    def handle(self, *args, users, messages, heavy, small, postman, **options):
        name = connection.settings_dict["NAME"]
        # Django's test databases are throwaway too: the seeding's own test runs it on one.
        if not (name.endswith("_bench") or name.startswith(TEST_DATABASE_PREFIX)):
            raise CommandError("seed_scale only runs on a database whose name ends in _bench.")
        if small:
            users, messages, heavy = 2_000, 100_000, 1
        needed = heavy * HEAVY_MATCHES + LIGHT_MATCHES + 2 * heavy + 10
        if users < needed:
            raise CommandError(f"--users must be at least {needed} for {heavy} heavy mentors.")
        rng = random.Random(42)  # noqa: S311 - data shapes, not secrets
        with transaction.atomic():
            plan = _plan(users, messages, heavy, rng)
            _copy_everything(plan, rng, self.stdout)
            if postman:
                _copy_into_postman()
        # Settle the tables as autovacuum keeps a live database (visibility map, statistics), so that it
        # does not do this in the middle of the measurements instead. VACUUM cannot run in a transaction.
        self.stdout.write(" vacuum…\n")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        conversations, total = len(plan["conversations"]), plan["message_count"]
        self.stdout.write(f"Seeded {users:,} people, {conversations:,} conversations, {total:,} messages.")


def _copy_into_postman() -> None:
    """The same people and messages as django-postman stores them, for the side-by-side benchmark:
    each conversation is a postman thread, each message addressed to the other person, all read."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO postman_message (id, subject, body, email, sent_at, read_at, sender_archived,"
            " recipient_archived, moderation_status, moderation_date, moderation_reason, parent_id, recipient_id,"
            " sender_id, thread_id)"
            " SELECT m.id, left(c.subject, 120), m.body, '', m.created_at, m.created_at, false, false, 'a',"
            " m.created_at, '', lag(m.id) OVER w,"
            " (SELECT p.user_id FROM messaging_participant p WHERE p.conversation_id = m.conversation_id"
            "  AND p.user_id <> m.sender_id LIMIT 1),"
            " m.sender_id, first_value(m.id) OVER w"
            " FROM messaging_message m JOIN messaging_conversation c ON c.id = m.conversation_id"
            " WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id)"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('postman_message', 'id'), (SELECT max(id) FROM postman_message))"
        )


def _plan(users: int, messages: int, heavy: int, rng) -> dict:
    """Who is matched with whom, and how many messages each conversation gets."""
    people = list(range(1, users + 1))
    heavy_mentors = people[:heavy]
    light_user = people[heavy]
    rest = people[heavy + 1 :]
    matches = []  # (match id, programme id, mentor, mentee)
    conversations = []  # (conversation id, match id, mentor, mentee)
    cursor = 0

    def add_match(mentor, mentee, topics):
        match_id = len(matches) + 1
        matches.append((match_id, 1 + match_id % 5, mentor, mentee))
        for _ in range(topics):
            conversations.append((len(conversations) + 1, match_id, mentor, mentee))

    for mentor in heavy_mentors:
        for _ in range(HEAVY_MATCHES):
            add_match(mentor, rest[cursor], HEAVY_TOPICS)
            cursor += 1
    for _ in range(LIGHT_MATCHES):
        add_match(light_user, rest[cursor], LIGHT_TOPICS)
        cursor += 1
    remaining = rest[cursor:]
    for i in range(0, len(remaining) - 1, 2):
        add_match(remaining[i], remaining[i + 1], rng.choice([1, 2, 2, 3, 4]))
    # Long threads: 1 % of conversations share 30 % of the messages; the rest spread evenly.
    long = set(rng.sample(range(len(conversations)), max(1, len(conversations) // 100)))
    long_share = int(messages * 0.3)
    per_long = long_share // len(long)
    per_other = max(1, (messages - per_long * len(long)) // max(1, len(conversations) - len(long)))
    counts = [per_long if i in long else per_other for i in range(len(conversations))]
    return {
        "users": users,
        "heavy_mentors": heavy_mentors,
        "light_user": light_user,
        "matches": matches,
        "conversations": conversations,
        "counts": counts,
        "message_count": sum(counts),
    }


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    """COPY the rows into the table; every NOT NULL column the caller leaves out gets the model's default,
    so that a field added to a model later does not break the seeding (as `safeguarding_hold_reason` did)."""
    fill = _defaults_for_missing(table, columns)
    names = [*columns, *fill]
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *(value() for value in fill.values())))


def _defaults_for_missing(table: str, columns: list[str]) -> dict:
    """For each NOT NULL column of the table's model that `columns` leaves out and the database does not
    fill itself: a function giving the value to store (the model's default, or "" for a blank text)."""
    model = next((m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table), None)
    if model is None:
        return {}
    listed = {column.strip('"') for column in columns}
    fill = {}
    for field in model._meta.concrete_fields:
        if field.column in listed or field.null or field.db_default is not NOT_PROVIDED:
            continue
        if isinstance(field, AutoFieldMixin | models.GeneratedField):  # the database fills these
            continue
        if field.has_default():
            fill[field.column] = partial(_prepared_default, field)
        elif field.blank and field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
            fill[field.column] = str
        else:
            raise CommandError(f"seed_scale does not fill {table}.{field.column}: add it to the seeding.")
    return fill


def _prepared_default(field):
    return field.get_db_prep_save(field.get_default(), connection)


def _copy_everything(plan: dict, rng, out) -> None:
    now = timezone.now()
    start = now - datetime.timedelta(days=365)
    password = make_password(PASSWORD)
    mentors = {mentor for _m, _p, mentor, _e in plan["matches"]}
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        out.write("people…")
        _copy(
            cursor,
            "accounts_user",
            ["id", "password", "is_superuser", "email", "display_name", "pronouns", "bio", "timezone", "languages",
             "notification_preference", "digest_hour", "quiet_hours_start", "quiet_hours_end", "digest_weekday",
             "language", "email_opt_outs", "is_staff", "is_active", "date_joined", "next_digest_at"],
            (
                (n, password, False, f"bench{n}@example.org", f"Person {n}", "", "", ZONES[n % len(ZONES)], ["en"],
                 "daily_digest" if n % 3 == 0 else "each_message", 8, datetime.time(21), datetime.time(8), 0, "en", [],
                 False, True, start, now if n % 3 == 0 else None)
                for n in range(1, plan["users"] + 1)
            ),
        )  # fmt: skip
        _copy(
            cursor,
            "account_emailaddress",
            ["user_id", "email", "verified", '"primary"'],
            ((n, f"bench{n}@example.org", True, True) for n in range(1, plan["users"] + 1)),
        )
        _copy(
            cursor,
            "matching_programme",
            ["id", "name", "slug", "format", "mentee_requests_enabled", "coordinator_matching_enabled",
             "automatic_matching_enabled", "enrolment_open", "enrolment_requires_approval", "default_mentor_capacity",
             "request_expiry_days", "match_rate_target", "is_active", "created_at", "for_young_people"],
            # Adults' programmes: no date of birth or guardian's consent to seed.
            ((g, f"Programme {g}", f"bench-{g}", "one_to_one", True, True, True, True, False, 1, 14, 70, True, now,
              False)
             for g in range(1, 6)),
        )  # fmt: skip
        _copy(
            cursor,
            "messaging_messagingpolicy",
            ["programme_id", "response_expectation_hours", "second_reminder_after_hours", "escalation_after_hours",
             "inactivity_days", "emails_include_message_text", "retention_days"],
            ((g, 72, 120, 168, 21, False, 365) for g in range(1, 6)),
        )  # fmt: skip
        out.write(" memberships…")
        membership_of = {}
        rows = []
        for _match, programme, mentor, mentee in plan["matches"]:
            for person, role in ((mentor, "mentor"), (mentee, "mentee")):
                if (person, programme) not in membership_of:
                    membership_of[(person, programme)] = len(rows) + 1
                    capacity = 400 if person in mentors else 1
                    rows.append((len(rows) + 1, person, programme, role, "approved", "", ["en"], capacity, "", "",
                                 now, now, now))  # fmt: skip
        _copy(
            cursor,
            "matching_membership",
            ["id", "user_id", "programme_id", "role", "status", "goals", "languages", "capacity", "gender",
             "preferred_mentor_gender", "agreement_accepted_at", "created_at", "approved_at"],
            rows,
        )  # fmt: skip
        out.write(" matches…")
        _copy(
            cursor,
            "matching_match",
            ["id", "programme_id", "status", "source", "proposed_at", "request_note", "reminders_sent", "reasons",
             "activated_at", "close_reason", "closing_reflection", "at_risk_reason", "safeguarding_hold"],
            ((m, p, "active", "coordinator", start, "", 0, "[]", start, "", "", "", False)
             for m, p, _mentor, _mentee in plan["matches"]),
        )  # fmt: skip
        _copy(
            cursor,
            "matching_matchmember",
            ["match_id", "membership_id", "user_id", "role", "match_status"],
            (
                row
                for m, p, mentor, mentee in plan["matches"]
                for row in ((m, membership_of[(mentor, p)], mentor, "mentor", "active"),
                            (m, membership_of[(mentee, p)], mentee, "mentee", "active"))
            ),
        )  # fmt: skip
        out.write(" conversations…")
        _copy(
            cursor,
            "messaging_conversation",
            ["id", "match_id", "subject", "created_at", "is_read_only"],
            ((c, m, f"Topic {c}: {rng.choice(WORDS)}", start, False) for c, m, _a, _b in plan["conversations"]),
        )
        out.write(f" {plan['message_count']:,} messages…")
        span = (now - start).total_seconds()

        words, weights = vocabulary(rng)

        def messages():
            message_id = 0
            for (conversation, _match, mentor, mentee), count in zip(
                plan["conversations"], plan["counts"], strict=True
            ):
                for i in range(count):
                    message_id += 1
                    body = " ".join(rng.choices(words, weights, k=rng.randint(8, 60)))
                    at = start + datetime.timedelta(seconds=span * (i + 1) / (count + 1))
                    yield (message_id, conversation, mentee if i % 2 == 0 else mentor, body, f"<p>{body}</p>",
                           body[:160], at, "visible", "[]", "", sorted((mentor, mentee)))  # fmt: skip

        from tqdm import tqdm  # a dev tool: seed_scale is for `make bench` only

        _copy(
            cursor,
            "messaging_message",
            ["id", "conversation_id", "sender_id", "body", "body_html", "preview", "created_at", "status", "findings",
             "rejection_reason", "participant_ids"],
            # A bar for a person at a terminal; in a log (not a terminal) its redraws would be thousands of lines.
            tqdm(
                messages(),
                total=plan["message_count"],
                unit=" messages",
                unit_scale=True,
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            ),
        )  # fmt: skip
        out.write(" read state…")
        owed = (now - datetime.timedelta(days=4), now - datetime.timedelta(hours=24))
        _copy(
            cursor,
            "messaging_participant",
            ["conversation_id", "user_id", "role", "last_read_at", "unread_count", "archived", "muted",
             "awaiting_reply_since", "reply_due_at", "reminder_level"],
            (
                row
                for c, _m, mentor, mentee in plan["conversations"]
                for row in (
                    (c, mentor, "mentor", start, rng.choice([0, 0, 0, 1, 2]), False, False,
                     *(owed if c % 10 == 0 else (None, None)), 0),
                    (c, mentee, "mentee", now, 0, False, False, None, None, 0),
                )
            ),
        )  # fmt: skip
        cursor.execute(
            "UPDATE messaging_conversation c SET last_message_id = m.id, last_message_at = m.created_at FROM ("
            " SELECT DISTINCT ON (conversation_id) conversation_id, id, created_at FROM messaging_message"
            " ORDER BY conversation_id, created_at DESC, id DESC) m WHERE m.conversation_id = c.id"
        )
        cursor.execute(
            "UPDATE messaging_participant p SET last_message_at = c.last_message_at FROM messaging_conversation c"
            " WHERE c.id = p.conversation_id"
        )
        for table in ["accounts_user", "matching_programme", "matching_membership", "matching_match",
                      "messaging_conversation", "messaging_message"]:  # fmt: skip
            cursor.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({name}, 'id'), (SELECT max(id) FROM {table}))").format(
                    name=sql.Literal(table), table=sql.Identifier(table)
                )
            )
        out.write(" done.\n")
