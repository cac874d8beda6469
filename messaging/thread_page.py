"""What the thread page shows, declared once.

The page is kept whole in a cache (messaging.thread_cache) under a key made of everything it shows,
so a thing it shows but its key does not name goes stale silently. Hence one declaration, `SHOWN`,
from which the rest is derived:

- the stamp query (one prepared statement, run on every opening of a thread) selects exactly the
  declared columns, by name;
- the cache key is made of the stamp's rows (with the viewer's own read state left out: marking the
  thread read changes nothing shown), the viewer's own declared fields, and the inputs that change
  with time;
- the page is rendered from rows loaded with only the declared fields (`only()`), so that reading
  anything else costs a query, and a test (test_thread_page.py) renders the page with such rows and
  fails on any field read that is not declared, and changes every declared column in turn to prove
  the key changes with it.

Messages are declared whole: any insert, update or delete of a conversation's messages counts up its
`messages_version` (a database trigger), which the stamp reads. How quickly people usually reply is
the one thing shown but not in the key: it may lag by up to twice thread_cache.TIMEOUT.
"""

from __future__ import annotations

from dataclasses import dataclass

# table alias -> (table, columns). One row of the stamp per person in the conversation.
_PARTICIPANT = ("id", "user_id", "role", "archived", "muted", "awaiting_reply_since", "promised_reply_by",
                "reply_due_at", "last_read_at", "unread_count", "last_message_at")  # fmt: skip
SHOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "p": ("messaging_participant", _PARTICIPANT),  # each person's place: names, read and reply state
    # every person's name (on their messages and in the header), and whether they are away
    "u": ("accounts_user", ("display_name", "away_until")),
    "c": ("messaging_conversation", ("subject", "is_read_only", "messages_version", "page_secret")),
    "m": ("matching_match", ("id", "status")),  # its link, and whether one can still write
    "g": ("matching_programme", ("name",)),
}
# The viewer's own row: what base.html and the page show of them, and how.
VIEWER_FIELDS = ("id", "display_name", "is_staff", "timezone", "language")
# In the stamp, for marking the thread read, but shown nowhere: nobody's unread count is on the page,
# and what the viewer has read changes only when they open it.
NOT_SHOWN = ("p.unread_count",)
VIEWERS_OWN = ("p.last_read_at",)
# Loaded for rendering with only what is declared (selectors.thread_people).
PARTICIPANT_FIELDS = tuple(SHOWN["p"][1])
PERSON_FIELDS = tuple(SHOWN["u"][1])


def columns() -> list[str]:
    """The stamp's columns, named "alias.column", in a fixed order."""
    return [f"{alias}.{column}" for alias, (_table, names) in SHOWN.items() for column in names]


def related_only(prefix: str, alias: str) -> list[str]:
    """`only()` paths of a declared table reached through `prefix` ("conversation__match__")."""
    return [f"{prefix}{column}" for column in SHOWN[alias][1] if column != "id"]


@dataclass(frozen=True)
class StampRow:
    """One row of the stamp: one person, and the conversation around them; values by "alias.column"."""

    values: dict

    def __getitem__(self, name: str):
        return self.values[name]

    @property
    def participant_id(self) -> int:
        return self.values["p.id"]

    @property
    def user_id(self) -> int:
        return self.values["p.user_id"]

    @property
    def awaiting_reply_since(self):
        return self.values["p.awaiting_reply_since"]

    def shown(self, viewer_participant_id: int) -> tuple:
        """What of this row the page shows to this viewer (their own read state left out)."""
        own = self.participant_id == viewer_participant_id
        return tuple(
            (name, None if own and name in VIEWERS_OWN else value)
            for name, value in self.values.items()
            if name not in NOT_SHOWN
        )
