"""Search in one's own conversations: web-search syntax, ranked, with highlighted snippets.

The query runs against the stored `search_vector` column (GIN index), never `to_tsvector` at
query time. Each message is indexed in its own language; the words are read in each of the site's
languages (and without stems), any of which may match. `websearch_to_tsquery` accepts any input
("exact phrase", -word, or) without raising, so a malformed query finds nothing rather than failing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, CharField, F, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from matching.models import Match, MatchMember

from .models import Message
from .text_language import CONFIGS, SIMPLE

MAX_QUERY_LENGTH = 200
RESULTS = 30
# Markers that cannot appear in a message body once NULs and control characters are stripped.
_START, _STOP = "\x1e", "\x1f"


@dataclass
class Criteria:
    q: str
    match_id: int | None = None
    sender_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @classmethod
    def from_form(cls, data: dict) -> Criteria:
        return cls(q=data["q"], match_id=data.get("match"), sender_id=data.get("sender"),
                   date_from=data.get("date_from"), date_to=data.get("date_to"))  # fmt: skip


def filter_choices(user) -> tuple:
    """What the search page offers to narrow by: the person's matches, and the people in them."""
    # Support conversations are searched too, but are not a match to narrow by.
    matches = (
        Match.objects.filter(members__user=user)
        .exclude(status=Match.Status.SUPPORT)
        .select_related("programme")
        .distinct()
    )
    people = (
        MatchMember.objects.filter(match__in=matches).select_related("user").order_by("user__display_name")
        .distinct("user__display_name", "user_id")
    )  # fmt: skip
    return matches, people


def _clean(q: str) -> str:
    return "".join(c for c in q if c.isprintable() or c == " ")[:MAX_QUERY_LENGTH].strip()


def highlighted(headline: str) -> SafeString:
    """ts_headline returns the raw body with markers around hits: escape it, then mark the hits."""
    return mark_safe(escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def _in_every_language(q: str) -> SearchQuery:
    """The words as each language's configuration reads them, any of which may match: a message is indexed
    in its own language (messaging.text_language), and the searcher's words may be in any of them."""
    query = SearchQuery(q, search_type="websearch", config=SIMPLE)
    for config in CONFIGS.values():
        query |= SearchQuery(q, search_type="websearch", config=config)
    return query


# The configuration each message's text is read with, for its highlighted snippet.
_HEADLINE_CONFIG = Case(
    *(When(language=code, then=Value(config)) for code, config in CONFIGS.items()),
    default=Value(SIMPLE),
    output_field=CharField(),
)


def ranked_messages(user, criteria: Criteria):
    """The query behind search: this person's readable messages matching the criteria, best first.

    Returns (queryset, tsquery), or (None, None) when nothing is left to search for.
    """
    q = _clean(criteria.q)
    if not q:
        return None, None
    query = _in_every_language(q)
    # One GIN index answers both "mine" and "matches": no join over every conversation of mine.
    messages = Message.objects.filter(participant_ids__contains=[user.pk], search_vector=query).visible_to(user)
    if criteria.match_id:
        messages = messages.filter(conversation__match_id=criteria.match_id)
    if criteria.sender_id:
        messages = messages.filter(sender_id=criteria.sender_id)
    if criteria.date_from:
        messages = messages.filter(created_at__date__gte=criteria.date_from)
    if criteria.date_to:
        messages = messages.filter(created_at__date__lte=criteria.date_to)
    return messages.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-created_at"), query


def search_messages(user, criteria: Criteria, limit: int = RESULTS):
    messages, query = ranked_messages(user, criteria)
    if messages is None:
        return []
    found = list(messages.select_related("sender", "conversation__match__programme")[:limit])
    if not found:
        return []
    # Headlines are computed for the page of results only, never for every match.
    results = list(
        Message.objects.filter(pk__in=[m.pk for m in found]).annotate(
            headline=SearchHeadline(
                "body", query, config=_HEADLINE_CONFIG, start_sel=_START, stop_sel=_STOP, max_words=35, min_words=12,
                max_fragments=2,
            )
        ).values_list("pk", "headline")
    )  # fmt: skip
    headlines = dict(results)
    for message in found:
        message.snippet = highlighted(headlines.get(message.pk, ""))
    return found
