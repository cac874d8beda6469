"""Read paths for the inbox, the thread and response times: a fixed number of queries each."""

from __future__ import annotations

import datetime
import statistics
import weakref
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import thread_page
from .models import Draft, Message, Participant, ResponseTime

INBOX_PAGE = 25
THREAD_PAGE = 30
RECENT_REPLIES = 20

FILTERS = ("all", "unread", "owe", "waiting", "archived")


@dataclass
class InboxPage:
    rows: list[Participant]
    next_cursor: str | None


def _cursor_of(participant: Participant) -> str:
    stamp = participant.last_message_at.isoformat() if participant.last_message_at else "none"
    return f"{stamp}_{participant.pk}"


def _after_cursor(cursor: str) -> Q | None:
    stamp, _sep, pk = cursor.rpartition("_")
    if not pk.isdigit():
        return None
    if stamp == "none":
        return Q(last_message_at__isnull=True, pk__lt=int(pk))
    try:
        moment = parse_datetime(stamp)
    except ValueError:  # well-formed but impossible, such as month 13
        return None
    if moment is None:
        return None
    return Q(last_message_at__lt=moment) | Q(last_message_at=moment, pk__lt=int(pk)) | Q(last_message_at__isnull=True)


# What the inbox shows of each row, and nothing more: the last message's stored one-line preview rather than
# its body (up to 20,000 characters), a name rather than a whole person (messaging/inbox.html reads these).
_INBOX_FIELDS = ("unread_count", "awaiting_reply_since", "last_message_at", "conversation__subject",
                 "conversation__last_message_at", "conversation__last_message__sender_id",
                 "conversation__last_message__preview", "conversation__last_message__sender__display_name",
                 "conversation__match__programme__name")  # fmt: skip
_INBOX_PEOPLE_FIELDS = ("conversation_id", "user_id", "role", "awaiting_reply_since", "promised_reply_by",
                        "user__display_name")  # fmt: skip


def inbox(user, filter_name: str = "all", cursor: str | None = None, page_size: int = INBOX_PAGE) -> InboxPage:
    """A person's conversations, newest activity first, keyset-paginated: three queries whatever
    the history (the page, and everyone in its conversations)."""
    rows = Participant.objects.filter(user=user, archived=filter_name == "archived")
    if filter_name == "unread":
        rows = rows.filter(unread_count__gt=0)
    elif filter_name == "owe":
        rows = rows.filter(awaiting_reply_since__isnull=False)
    elif filter_name == "waiting":
        someone_else_owes = Participant.objects.filter(
            conversation=OuterRef("conversation"), awaiting_reply_since__isnull=False
        ).exclude(user=user)
        rows = rows.filter(Exists(someone_else_owes))
    if cursor:
        after = _after_cursor(cursor)
        if after is not None:
            rows = rows.filter(after)
    rows = (
        rows.select_related("conversation__last_message__sender", "conversation__match__programme")
        .only(*_INBOX_FIELDS)
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Participant.objects.select_related("user").only(*_INBOX_PEOPLE_FIELDS).order_by("role", "pk"),
                to_attr="everyone",
            )
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )
    page = list(rows[: page_size + 1])
    next_cursor = _cursor_of(page[page_size - 1]) if len(page) > page_size else None
    return InboxPage(page[:page_size], next_cursor)


# What the page needs of every message to decide receipts and edit links; bodies and senders are
# fetched only when the page is rendered (it usually comes from messaging.thread_cache).
_LIGHT_FIELDS = ("id", "conversation_id", "sender_id", "created_at", "edited_at", "status", "reported_at",
                 "moderated_at", "rejection_reason")  # fmt: skip


@dataclass
class ThreadPage:
    messages: list[Message]
    older_cursor: int | None

    @cached_property
    def full(self) -> list[Message]:
        """The same messages with bodies and senders (one query), for rendering. Of the people, only what
        the page declares it shows (thread_page.SHOWN: their names); messages are shown whole."""
        people = [f"{path}__{field}" for path in ("sender", "reply_to__sender") for field in thread_page.PERSON_FIELDS]
        whole = [field.name for field in Message._meta.concrete_fields if field.name != "search_vector"]
        by_pk = (
            Message.objects.select_related("sender", "reply_to__sender")
            .only(*whole, *people, "reply_to__sender")
            .in_bulk([m.pk for m in self.messages])
        )
        return [by_pk[m.pk] for m in self.messages if m.pk in by_pk]


def thread(user, conversation, before_id: int | None = None, page_size: int = THREAD_PAGE) -> ThreadPage:
    """Messages oldest to newest; `before_id` pages back through a long history (one query)."""
    messages = Message.objects.filter(conversation=conversation).visible_to(user)
    if before_id:
        anchor = Message.objects.filter(conversation=conversation, pk=before_id).values("created_at").first()
        if anchor:
            messages = messages.filter(
                Q(created_at__lt=anchor["created_at"]) | Q(created_at=anchor["created_at"], pk__lt=before_id)
            )
    page = list(messages.only(*_LIGHT_FIELDS).order_by("-created_at", "-pk")[: page_size + 1])
    older = page[page_size - 1].pk if len(page) > page_size else None
    return ThreadPage(list(reversed(page[:page_size])), older)


# What the thread page is made from, in brief, in one statement: the columns thread_page.SHOWN declares,
# named "alias.column". Hand-written SQL (generated from the declaration), PREPAREd once per database
# session, because this runs on every opening of a thread (the page itself usually comes from the
# cache): compiling the five-table join through the ORM took several times what PostgreSQL takes to
# answer it, and PostgreSQL's own planning took six times its execution.
# Besides the declared columns: when the viewer's draft was saved, and the time of the viewer's oldest
# message that can still be edited (its edit link lapses EDIT_WINDOW after it was sent).
# (Prepared statements belong to a database session: a pooler in transaction mode, such as
# PgBouncer's, would need its prepared-statement support turned on.)
_SELECTED = ",\n       ".join(f'{name} AS "{name}"' for name in thread_page.columns())
_PREPARE_THREAD_STAMP = f"""
PREPARE messaging_thread_stamp(bigint, bigint, timestamptz) AS
-- Materialised on its own, so that PostgreSQL walks the thread's index from the cutoff: left to
-- merge this with "sent by the viewer", its generic plan read a busy sender's 76,000 messages.
WITH in_edit_window AS MATERIALIZED (
  SELECT x.created_at, x.sender_id FROM messaging_message x WHERE x.conversation_id = $1 AND x.created_at > $3
)
SELECT {_SELECTED},
       (SELECT d.updated_at FROM messaging_draft d WHERE d.conversation_id = $1 AND d.user_id = $2) AS "draft.saved_at",
       (SELECT min(w.created_at) FROM in_edit_window w WHERE w.sender_id = $2) AS "edit_window.oldest"
FROM messaging_participant p
JOIN accounts_user u ON u.id = p.user_id
JOIN messaging_conversation c ON c.id = p.conversation_id
JOIN matching_match m ON m.id = c.match_id
JOIN matching_programme g ON g.id = m.programme_id
WHERE p.conversation_id = $1
ORDER BY p.id
"""  # noqa: S608 - the columns are the declaration's own names, never anyone's input
_BIGINT_MAX = 2**63 - 1
_SESSIONS_PREPARED = weakref.WeakSet()  # the database connections that have messaging_thread_stamp


@dataclass(frozen=True)
class ThreadStamp:
    """Everything the thread page shows, in brief (`shown`, for its cache key), and the viewer's read state."""

    me: Participant  # only what mark_read needs: pk, unread_count, last_read_at, last_message_at
    people: list[thread_page.StampRow]

    @property
    def shown(self) -> tuple:
        return tuple(row.shown(self.me.pk) for row in self.people)


def thread_stamp(user, conversation_id: int, edit_window: datetime.timedelta) -> ThreadStamp | None:
    """One query; None when the viewer is not in the conversation (or no conversation has that id)."""
    if not 0 < conversation_id <= _BIGINT_MAX:  # PostgreSQL would refuse it outright (the ORM says "none")
        return None
    cutoff = timezone.now() - edit_window
    with connection.cursor() as cursor:
        if connection.connection not in _SESSIONS_PREPARED:
            cursor.execute(_PREPARE_THREAD_STAMP)
            # Planned once, used always: left to choose, PostgreSQL re-planned it on every execution
            # (the generic plan's estimate for "created_at > $3" looks worse than it is). The setting
            # concerns only server-side prepared statements and PL/pgSQL; Django prepares none.
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            _SESSIONS_PREPARED.add(connection.connection)
        cursor.execute("EXECUTE messaging_thread_stamp(%s, %s, %s)", [conversation_id, user.pk, cutoff])
        names = [column.name for column in cursor.description]
        people = [thread_page.StampRow(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    mine = next((row for row in people if row.user_id == user.pk), None)
    if mine is None:
        return None
    me = Participant(id=mine.participant_id, unread_count=mine["p.unread_count"], last_read_at=mine["p.last_read_at"],
                     last_message_at=mine["p.last_message_at"])  # fmt: skip
    return ThreadStamp(me=me, people=people)


def thread_people(user, conversation_id: int, shown_only: bool = False) -> tuple[Participant, list[Participant]] | None:
    """The viewer's place in a conversation and everyone in it (role order), with their accounts, the
    conversation, its match and programme, and the viewer's draft as `draft_body`/`draft_reply_to` on
    every row: one query. None when the viewer is not in it. `shown_only`: with only the fields the
    thread page declares it shows (thread_page.SHOWN), for rendering the page that is cached."""
    draft = Draft.objects.filter(conversation_id=conversation_id, user=user)
    participants = Participant.objects.filter(conversation_id=conversation_id).select_related(
        "conversation__match__programme", "user"
    )
    if shown_only:
        participants = participants.only(
            *thread_page.PARTICIPANT_FIELDS, "conversation", "user",
            *thread_page.related_only("user__", "u"),
            *thread_page.related_only("conversation__", "c"), "conversation__match",
            *thread_page.related_only("conversation__match__", "m"), "conversation__match__programme",
            *thread_page.related_only("conversation__match__programme__", "g"),
        )  # fmt: skip
    everyone = list(
        participants.annotate(
            draft_body=Subquery(draft.values("body")[:1]),
            draft_reply_to=Subquery(draft.values("reply_to_id")[:1]),
        ).order_by("role", "pk")
    )
    me = next((p for p in everyone if p.user_id == user.pk), None)
    return (me, everyone) if me else None


def typical_response_seconds(user_ids) -> dict[int, int]:
    """Median of each person's recent reply times (one query for any number of people)."""
    ranked = (
        ResponseTime.objects.filter(responder_id__in=list(user_ids))
        .annotate(recent=Window(RowNumber(), partition_by=F("responder_id"), order_by=F("created_at").desc()))
        .filter(recent__lte=RECENT_REPLIES)
        .values_list("responder_id", "seconds")
    )
    by_person: dict[int, list[int]] = {}
    for responder, seconds in ranked:
        by_person.setdefault(responder, []).append(seconds)
    return {responder: int(statistics.median(values)) for responder, values in by_person.items()}


@dataclass(frozen=True)
class NeedsMe:
    unread_conversations: int
    replies_owed: int


def needs_me(user) -> NeedsMe:
    """The navigation's badges: conversations with unread messages, and replies this person owes (one query)."""
    counts = Participant.objects.filter(user=user, archived=False).aggregate(
        unread=Count("pk", filter=Q(unread_count__gt=0)),
        owed=Count("pk", filter=Q(awaiting_reply_since__isnull=False)),
    )
    return NeedsMe(counts["unread"], counts["owed"])


OWED_SHOWN = 5


def replies_owed(user, limit: int = OWED_SHOWN) -> list[Participant]:
    """The conversations where this person owes a reply, the most overdue first, with everyone in them
    (the dashboard's "You owe Sam a reply · due Thursday"): two queries."""
    return list(
        Participant.objects.filter(user=user, archived=False, awaiting_reply_since__isnull=False)
        .select_related("conversation")
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Participant.objects.select_related("user").order_by("role", "pk"),
                to_attr="everyone",
            )
        )
        .order_by(F("reply_due_at").asc(nulls_last=True), "awaiting_reply_since", "pk")[:limit]
    )
