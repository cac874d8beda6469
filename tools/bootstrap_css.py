"""Bootstrap's stylesheet trimmed to the rules our pages can use (PurgeCSS, from npm): `make css`.

On a thread, 93 % of Bootstrap's 31 KB (compressed) was unused, and all of it blocks the first paint and is
matched against every element on every style recalculation (Lighthouse: 350 ms of render-blocking on a
throttled phone). PurgeCSS keeps each rule whose class names appear as words in the files that can put
classes on a page: our templates, crispy-forms' Bootstrap 5 templates and allauth's, our scripts and
Tom Select's, and our Python (form widgets set classes). Classes that are only ever made by joining
strings, or added by scripts at run time, are kept by SAFELIST.

The full stylesheet stays in static/vendor/bootstrap (the source); pages link the trimmed one.
tools/tests/test_bootstrap_css.py fails when a template uses a Bootstrap class the trimmed file lacks:
run `make css` after adding one.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FULL = PROJECT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
TRIMMED = PROJECT / "static" / "vendor" / "bootstrap" / "bootstrap.used.min.css"
# Right to left (Arabic pages): Bootstrap's own mirrored build, trimmed the same way.
FULL_RTL = PROJECT / "static" / "vendor" / "bootstrap" / "bootstrap.rtl.min.css"
TRIMMED_RTL = PROJECT / "static" / "vendor" / "bootstrap" / "bootstrap.rtl.used.min.css"
PAIRS = [(FULL, TRIMMED), (FULL_RTL, TRIMMED_RTL)]
OUR_APPS = ("contactfilter", "richtext", "ui", "accounts", "screening", "training", "consent", "notices", "sso",
            "matching", "agreements", "checkins", "guides", "meetings", "messaging", "inbound_mail", "coordination",
            "mentoring")  # fmt: skip
# Made at run time or by joining strings: `alert-{{ message.tags }}` (MESSAGE_TAGS), Bootstrap's state classes
# that site.js and Tom Select set.
SAFELIST = {
    "standard": [
        *("show", "collapsed", "collapsing", "fade", "active", "disabled", "focus"),
        *("is-invalid", "is-valid", "was-validated"),
    ],
    "patterns": [r"^alert-(primary|secondary|success|info|warning|danger|light|dark)$"],
}


def _package_folder(name: str) -> Path:
    return Path(importlib.util.find_spec(name).origin).parent


def content_files() -> list[Path]:
    """Every file that can put a class on a page the trimmed stylesheet serves."""
    folders = [
        PROJECT / "templates",
        *(PROJECT / app for app in OUR_APPS),
        _package_folder("crispy_bootstrap5") / "templates",
        _package_folder("allauth") / "templates",
    ]
    files = [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in {".html", ".py", ".txt"} and "tests" not in path.parts and "migrations" not in path.parts
    ]
    files += sorted((PROJECT / "static" / "js").glob("*.js"))
    files += sorted((PROJECT / "static" / "vendor" / "tom-select").glob("*.js"))
    return sorted(files)


def purgecss_config(full: Path = FULL) -> str:
    """A PurgeCSS configuration (CommonJS) for a trimmed stylesheet."""
    patterns = ", ".join(f"/{pattern}/" for pattern in SAFELIST["patterns"])
    return (
        "module.exports = {\n"
        f"  css: [{json.dumps(str(full))}],\n"
        f"  content: {json.dumps([str(path) for path in content_files()])},\n"
        f"  safelist: {{standard: {json.dumps(SAFELIST['standard'])}, greedy: [{patterns}]}},\n"
        "  keyframes: false,\n"
        "  fontFace: false,\n"
        "  variables: false,\n"
        "};\n"
    )
