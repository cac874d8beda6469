"""Read paths for the inbox, the thread and response times: a fixed number of queries each."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils.dateparse import parse_datetime

from .models import Message, Participant, ResponseTime

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
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Participant.objects.select_related("user").order_by("role", "pk"),
                to_attr="everyone",
            )
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )
    page = list(rows[: page_size + 1])
    next_cursor = _cursor_of(page[page_size - 1]) if len(page) > page_size else None
    return InboxPage(page[:page_size], next_cursor)


# What the page needs of every message to decide receipts, links and its cache key; bodies and
# senders are fetched only when the rendered list is not already cached.
_LIGHT_FIELDS = ("id", "conversation_id", "sender_id", "created_at", "edited_at", "status", "reported_at",
                 "rejection_reason")  # fmt: skip


@dataclass
class ThreadPage:
    messages: list[Message]
    older_cursor: int | None

    @cached_property
    def full(self) -> list[Message]:
        """The same messages with bodies and senders (one query), for rendering."""
        by_pk = Message.objects.select_related("sender", "reply_to__sender").in_bulk([m.pk for m in self.messages])
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
