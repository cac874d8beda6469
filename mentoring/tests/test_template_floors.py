"""A template loads only its own floor's tags and those of the floors below (docs/architecture.md):
matching's match page loading messaging's tags made matching depend on messaging, unseen by the
import graph. E-mail templates belong to the app whose code sends them."""

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT / "templates"
FLOORS = [
    "ui",
    "accounts",
    "screening",
    "training",
    "consent",
    "notices",
    "sso",
    "matching",
    "agreements",
    "meetings",
    "messaging",
    "inbound_mail",
    "coordination",
]  # lowest first
# Tag libraries of ours, by the floor they belong to (the app whose templatetags define them).
LIBRARIES = {
    path.stem: app
    for app in FLOORS
    for path in (PROJECT / app / "templatetags").glob("*.py")
    if path.stem != "__init__"
}
_LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def floor_of_email(name: str) -> str:
    """The app whose code queues `emails/<name>`: the lowest one that names it is its owner."""
    users = [app for app in FLOORS if any(f"emails/{name}" in p.read_text() for p in (PROJECT / app).rglob("*.py"))]
    return users[0] if users else "accounts"


def floor_of(template: Path) -> str:
    relative = template.relative_to(TEMPLATES).parts
    if relative[0] in FLOORS:
        return relative[0]
    if relative[0] == "admin":
        return "coordination"
    if relative[0] == "emails" and len(relative) > 2:
        return floor_of_email(relative[1])
    # base.html and the other pages at the top are extended or rendered by every floor: the lowest.
    return "accounts"


def test_every_template_loads_only_its_own_and_lower_floors_tags():
    offenders = []
    for template in TEMPLATES.rglob("*.*"):
        floor = FLOORS.index(floor_of(template))
        for load in _LOAD.findall(template.read_text(encoding="utf-8")):
            for library in load.split():
                if library in LIBRARIES and FLOORS.index(LIBRARIES[library]) > floor:
                    offenders.append(f"{template.relative_to(PROJECT)} loads {library} ({LIBRARIES[library]})")
    assert LIBRARIES, "found no tag libraries of ours"
    assert offenders == []
