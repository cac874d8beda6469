"""Where an app above matching adds to what matching shows or says.

matching never imports the apps above it: they register here at start-up (in their AppConfig.ready).
- A match page panel is a template and a function that gives it its context; the page renders each
  registered panel in the order registered, with its context under `panel`.
- A consent fact provider adds to what a guardian is told when asked for consent (messaging: how long
  messages are kept, that coordinators can read them): provider(programme) -> {"kept": [...],
  "safeguarding": [...], "retention_days": n}; lists are joined, other keys overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MatchPanel:
    template: str
    context: Callable  # (request, match, members) -> dict


_MATCH_PANELS: list[MatchPanel] = []


def register_match_panel(template: str, context: Callable) -> None:
    if all(panel.template != template for panel in _MATCH_PANELS):
        _MATCH_PANELS.append(MatchPanel(template, context))


def match_panels(request, match, members) -> list[dict]:
    """What the match page shows of the apps above matching: [{"template": ..., "context": {...}}]."""
    return [{"template": panel.template, "context": panel.context(request, match, members)} for panel in _MATCH_PANELS]


_CONSENT_FACTS: list[Callable] = []


def register_consent_facts(provider: Callable) -> None:
    if provider not in _CONSENT_FACTS:
        _CONSENT_FACTS.append(provider)


def consent_facts(programme) -> dict:
    facts: dict = {"kept": [], "safeguarding": []}
    for provider in _CONSENT_FACTS:
        for key, value in provider(programme).items():
            if isinstance(value, list):
                facts.setdefault(key, []).extend(value)
            else:
                facts[key] = value
    return facts
