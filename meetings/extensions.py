"""Where messaging, above meetings, lets a meeting's agenda be picked from the pair's conversation.

meetings never imports messaging: messaging registers one agenda source in its AppConfig.ready.
- recent(match, user, limit) -> [{"id", "author", "sent_at", "text"}]: the latest messages of the match the
  person can read, newest first, each with the opening words an agenda point would take.
- by_id(match, user, ids) -> {id: text}: the same opening words for those of the ids that are such messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaSource:
    recent: Callable
    by_id: Callable


_SOURCE: list[AgendaSource] = []


def register_agenda_source(recent: Callable, by_id: Callable) -> None:
    _SOURCE[:] = [AgendaSource(recent, by_id)]


def recent_messages(match, user, limit: int = 8) -> list[dict]:
    return _SOURCE[0].recent(match, user, limit) if _SOURCE else []


def messages_by_id(match, user, ids) -> dict[int, str]:
    return _SOURCE[0].by_id(match, user, ids) if _SOURCE else {}
