"""Where an app above matching shows something on matching's own pages.

matching never imports the apps above it: they register here at start-up (in their AppConfig.ready).
A match page panel is a template and a function that gives it its context; the page renders each
registered panel in the order registered, with its context under `panel`.
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
