"""`make bench`: seed a benchmark database at scale, load pages over loopback, write the figures.

Every number is measured in the same run on the same machine, and the targets are ratios between
them (or fixed SQL times), so they hold on a noisy machine. Benchmarks never fail `make test`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone

from . import scaling
from .soak import PROJECT, Services, p95

RESULTS = PROJECT / "bench" / "results"

TARGETS = [
    ("inbox_rps >= 2 x postman_inbox_rps", lambda r: r["inbox_rps"] >= 2 * r["postman_inbox_rps"]),
    ("thread_rps >= 0.9 x floor_session_rps", lambda r: r["thread_rps"] >= 0.9 * r["floor_session_rps"]),
    ("inbox_heavy_p95_ms <= 1.5 x inbox_light_p95_ms",
     lambda r: r["inbox_heavy_p95_ms"] <= 1.5 * r["inbox_light_p95_ms"]),
    ("search_sql_p95_ms <= 5", lambda r: r["search_sql_p95_ms"] <= 5),
    ("reminder_scan_ms <= 5", lambda r: r["reminder_scan_ms"] <= 5),
    ("automatch_2000x500_s <= 0.25", lambda r: r["automatch_2000x500_s"] <= 0.25),
    ("automatch_2000x500_s <= automatch_dense_2000x500_s (SciPy's exact dense assignment, same pool)",
     lambda r: r["automatch_2000x500_s"] <= r["automatch_dense_2000x500_s"]),
    ("automatch_certified_gap == 0 == automatch_dense_total_difference",
     lambda r: r["automatch_certified_gap"] == 0 == r["automatch_dense_total_difference"]),
    ("automatch_exact_10000x2500_s <= 2", lambda r: r["automatch_exact_10000x2500_s"] <= 2),
    ("contact_filter_worst_100kb_ms <= 50", lambda r: r["contact_filter_worst_100kb_ms"] <= 50),
    ("invitation_file_total_s <= 30 (5,000 rows read and sent)",
     lambda r: r["invitation_file_total_s"] <= 30 and r["invitation_file_rows"] == 5000),
    ("inbound_reply_p95_ms <= 50 (every reply posted)",
     lambda r: r["inbound_reply_p95_ms"] <= 50 and r["inbound_reply_posted"] == r["inbound_reply_runs"] > 0),
    ("inbox_queries == inbox_light_queries (constant in history)",
     lambda r: r["inbox_queries"] == r["inbox_light_queries"]),
    *((f"{page} >= 0.5 x floor_session_rps", lambda r, page=page: r[page] >= 0.5 * r["floor_session_rps"])
      for page in ("inbox_rps", "search_rps", "match_page_rps", "dashboard_rps", "profile_rps", "programmes_rps")),
    ("send_message_inprocess_p95_ms <= 15", lambda r: r["send_message_inprocess_p95_ms"] <= 15),
    ("digest_people_per_s >= 4000 and >= 10 x digest_naive_people_per_s",
     lambda r: r["digest_people_per_s"] >= 4000 and r["digest_people_per_s"] >= 10 * r["digest_naive_people_per_s"]),
    *((f"growth: {figure} at the largest size <= 1.3 x at the smallest",
       lambda r, figure=figure: _growth_ratio(r["growth"], figure) <= 1.3)
      for figure in ("thread_p95_ms", "inbox_p95_ms", "search_p95_ms", "send_p95_ms")),
]  # fmt: skip
# The growth series (make bench, not --quick): the same measurements at each of these message counts.
GROWTH_SIZES = [200_000, 1_000_000, 5_000_000]


def _growth_ratio(growth: dict, figure: str) -> float:
    sizes = sorted(growth, key=int)
    return growth[sizes[-1]][figure] / growth[sizes[0]][figure]


def _wrk(url: str, seconds: int, browser: httpx.Client | None) -> float:
    """Requests per second from wrk (Debian's package), 2 threads, 8 connections, from loopback.

    A signed-in `browser`'s cookies go with every request, as a browser sends them: the session and
    the CSRF cookie (without it, every page with a form would mint a new CSRF secret). wrk's own
    timeout is 2 s: a slower page, such as django-postman's 1,700-message thread, would count as
    no requests at all.
    """
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "60s", url]
    if browser:
        cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        command[1:1] = ["-H", f"Cookie: {cookies}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout  # noqa: S603
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{url} answered errors under load:\n{output}")
    _wait_until_idle(url)
    return round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1)


def _wait_until_idle(url: str, workers: int = 2, timeout: float = 120) -> None:
    """When wrk stops, requests it sent may still be queued at the server (eight of django-postman's
    four-second inbox pages): the next run would wait behind them and count nothing. Wait until every
    worker answers the bare view at once."""
    hello = httpx.URL(url).copy_with(path="/bench/hello", query=None)
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=timeout) as client, ThreadPoolExecutor(workers) as pool:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            list(pool.map(lambda _n: client.get(hello), range(workers)))
            if time.perf_counter() - started < 0.1:
                return


def _timed_p95(client: httpx.Client, method: str, url: str, runs: int, data_for=None) -> float:
    timings = []
    for n in range(runs):
        started = time.perf_counter()
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**data_for(n), "csrfmiddlewaretoken": client.cookies.get("csrftoken")})
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {url} answered {response.status_code}")
    return p95(timings, digits=2)


def _login(base: str, email: str, password: str) -> httpx.Client:
    """A browser signed in as `email`. It follows the redirect after signing in, as a browser does, so
    the one-off "Successfully signed in" notice is shown there and not carried into every request."""
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/accounts/login/")
    client.post("/accounts/login/", data={"login": email, "password": password,
                                          "csrfmiddlewaretoken": client.cookies.get("csrftoken")},
                follow_redirects=True)  # fmt: skip
    if "sessionid" not in client.cookies:
        raise RuntimeError(f"could not sign in as {email}")
    return client


def run_bench(quick: bool = False, users: int = 10_000, messages: int = 1_000_000, progress=print) -> dict:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: apt-get install -y wrk (the Makefile's bench target does this)")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    services = Services(
        f"{settings.DATABASES['default']['NAME']}_bench",
        "dummymail://",
        workdir,
        BENCH_VIEWS="on",
        BENCH_POSTMAN="on",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_POOL_MAX_SIZE="8",
    )
    seconds = 3 if quick else 10
    results: dict = {"date": timezone.now().isoformat(timespec="seconds"), "cores": os.cpu_count(), "quick": quick}
    try:
        progress("Starting Redis and creating the benchmark database…")
        services.start_redis()
        services.create_database()
        progress("Seeding (COPY)…")
        seed_args = ["--postman", *(["--small"] if quick else ["--users", str(users), "--messages", str(messages)])]
        seeding = time.perf_counter()
        progress(services.manage("seed_scale", *seed_args, show_progress=True).strip().splitlines()[-1])
        seed_s = round(time.perf_counter() - seeding, 1)
        progress("Benchmarks in one process (SQL, digests, reminders, auto-match)…")
        results.update(json.loads(services.manage("bench_inprocess", *(["--quick"] if quick else [])).strip()))
        # (Django's shell may print a line of its own first: the JSON is the last line.)
        ids = json.loads(services.manage("shell", "-c", _PICK_PEOPLE).strip().splitlines()[-1])
        services.start_web(workers=2, threads=1)
        base = f"http://127.0.0.1:{services.web_port}"
        from .management.commands.seed_scale import PASSWORD

        heavy = _login(base, f"bench{ids['heavy']}@example.org", PASSWORD)
        light = _login(base, f"bench{ids['light']}@example.org", PASSWORD)
        reader = _login(base, f"bench{ids['thread_user']}@example.org", PASSWORD)
        thread_url = f"/messages/{ids['thread']}/"
        progress("Loading pages with wrk…")
        results["floor_hello_rps"] = _wrk(f"{base}/bench/hello", seconds, None)
        # The ratio that matters most is thread to floor: they take turns, twice, and each keeps its best
        # run, so that a burst of background work (autovacuum, the seeding's last writes) hits both alike.
        for _turn in range(2):
            for key, url in (("floor_session_rps", f"{base}/bench/session"), ("thread_rps", base + thread_url)):
                results[key] = max(results.get(key, 0), _wrk(url, seconds, reader))
        results["inbox_rps"] = _wrk(f"{base}/messages/", seconds, heavy)
        # The other pages a person opens, under the same load as the floor (the light user has a match).
        for key, url, who in (("search_rps", "/messages/search/?q=statement", light),
                              ("match_page_rps", f"/matches/{ids['match']}/", light),
                              ("dashboard_rps", "/", light), ("profile_rps", "/profile/", light),
                              ("programmes_rps", "/programmes/", light)):  # fmt: skip
            results[key] = _wrk(base + url, seconds, who)
        # django-postman, same people, same messages, same gunicorn: its inbox and the same long thread.
        results["postman_inbox_rps"] = _wrk(f"{base}/postman/inbox/", seconds, heavy)
        postman_thread = f"{base}/postman/view/t/{ids['postman_thread']}/"
        results["postman_thread_rps"] = _wrk(postman_thread, seconds, reader)
        progress("Measuring p95 latencies…")
        runs = 40 if quick else 200
        results["inbox_heavy_p95_ms"] = _timed_p95(heavy, "GET", "/messages/", runs)
        latencies = _latencies(reader, light, ids, runs)
        results.update(
            thread_p95_ms=latencies["thread_p95_ms"],
            inbox_light_p95_ms=latencies["inbox_p95_ms"],
            search_page_p95_ms=latencies["search_p95_ms"],
            send_message_p95_ms=latencies["send_p95_ms"],
        )
        growth = {str(messages): {**latencies, "seed_s": seed_s, "database_mb": _database_mb(services)}}
    finally:
        services.stop()
    if not quick:
        for size in (size for size in GROWTH_SIZES if size != messages):
            progress(f"Growth: seeding and measuring {size:,} messages…")
            try:
                growth[str(size)] = _growth_point(users, size, workdir)
            except (RuntimeError, subprocess.TimeoutExpired, httpx.HTTPError) as error:
                # One size that could not be measured must not lose the run's other figures: it is named instead.
                progress(f"Growth at {size:,} messages failed: {str(error)[:300]}")
                results.setdefault("growth_failed", []).append(size)
        results["growth"] = dict(sorted(growth.items(), key=lambda item: int(item[0])))
    results["targets"] = targets(results)
    return results


def targets(results: dict) -> dict[str, bool]:
    """Each target met or missed; a target whose figures this run did not measure (--quick measures no growth
    series and no 10,000 x 2,500 pool) is left out rather than called met."""
    found = {}
    for name, check in TARGETS:
        try:
            found[name] = bool(check(results))
        except KeyError:
            continue
    return found


def _latencies(reader: httpx.Client, light: httpx.Client, ids: dict, runs: int) -> dict:
    """The p95 of what people do most, each by sequential requests: read the longest thread, open the
    inbox (the light user's), search, and send a reply."""
    found = {
        "thread_p95_ms": _timed_p95(reader, "GET", f"/messages/{ids['thread']}/", runs),
        "inbox_p95_ms": _timed_p95(light, "GET", "/messages/", runs),
        "search_p95_ms": _timed_p95(light, "GET", "/messages/search/?q=statement", runs),
    }
    reader.get(f"/messages/{ids['reply_conversation']}/")
    reply_url = f"/messages/{ids['reply_conversation']}/reply/"
    found["send_p95_ms"] = _timed_p95(reader, "POST", reply_url, runs, lambda n: {"body": f"Bench reply {n}"})
    return found


def _database_mb(services: Services) -> float:
    return round(services.query("SELECT pg_database_size(current_database())")[0][0] / 2**20, 1)


def _growth_point(users: int, messages: int, workdir: Path) -> dict:
    """One size of the growth series: its own database, seeded, served and measured like the main run."""
    services = Services(f"{settings.DATABASES['default']['NAME']}_growth_bench", "dummymail://", workdir,
                        ALLOWED_HOSTS="127.0.0.1,localhost,testserver", DATABASE_POOL_MAX_SIZE="8")  # fmt: skip
    try:
        services.start_redis()
        services.create_database()
        seeding = time.perf_counter()
        services.manage("seed_scale", "--users", str(users), "--messages", str(messages))
        seed_s = round(time.perf_counter() - seeding, 1)
        ids = json.loads(services.manage("shell", "-c", _PICK_PEOPLE).strip().splitlines()[-1])
        services.start_web(workers=2, threads=1)
        base = f"http://127.0.0.1:{services.web_port}"
        from .management.commands.seed_scale import PASSWORD

        reader = _login(base, f"bench{ids['thread_user']}@example.org", PASSWORD)
        light = _login(base, f"bench{ids['light']}@example.org", PASSWORD)
        return {**_latencies(reader, light, ids, 200), "seed_s": seed_s, "database_mb": _database_mb(services)}
    finally:
        services.stop()
        services.drop_database()


_PICK_PEOPLE = """
import json
from django.db.models import Count
from messaging.models import Conversation, Participant
counts = Participant.objects.values("user_id").annotate(n=Count("pk")).order_by("-n")
heavy = counts.first()["user_id"]
light = next(row["user_id"] for row in counts if row["n"] == 60)
longest = Conversation.objects.annotate(n=Count("messages")).order_by("-n").first()
thread_user = longest.participants.order_by("pk").first().user_id
reply = Conversation.objects.filter(participants__user_id=thread_user).exclude(pk=longest.pk).first() or longest
first = longest.messages.order_by("created_at", "pk").first().pk
match = Conversation.objects.filter(participants__user_id=light).values_list("match_id", flat=True).first()
print(json.dumps({"heavy": heavy, "light": light, "thread": longest.pk, "thread_user": thread_user,
                  "reply_conversation": reply.pk, "postman_thread": first, "match": match}))
"""


def write(results: dict) -> str:
    """bench/results/latest.json and docs/benchmarks.md; a --quick run writes bench/results/quick.json only
    (its small data would misreport the full-size figures the docs give)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / ("quick.json" if results["quick"] else "latest.json")).write_text(json.dumps(results, indent=2) + "\n")
    rows = "\n".join(f"| `{key}` | {value} |" for key, value in results.items() if key not in ("targets", "growth"))
    growth = results.get("growth") or {}
    figures = ("thread_p95_ms", "inbox_p95_ms", "search_p95_ms", "send_p95_ms", "seed_s", "database_mb")
    growth_table = (
        (
            "## As it grows\n\nThe same people (10,000), more messages: each size seeded into its own database,\n"
            "then the same sequential requests (200 each).\n\n| messages | "
            + " | ".join(f"`{f}`" for f in figures)
            + " |\n|---|"
            + "---|" * len(figures)
            + "\n"
            + "\n".join(
                f"| {int(size):,} | " + " | ".join(str(point[f]) for f in figures) + " |"
                for size, point in growth.items()
            )
            + "\n\n"
        )
        if growth
        else ""
    )
    targets = "\n".join(f"| {name} | {'met' if met else '**missed**'} |" for name, met in results["targets"].items())
    text = (
        "# Benchmarks\n\n"
        f"Run {results['date']} on this machine ({results['cores']} cores)"
        f"{' in --quick mode' if results['quick'] else ''} by `make bench`.\n"
        "Pages are served by gunicorn (2 processes) against the seeded benchmark database and\n"
        "loaded from loopback with wrk (2 threads, 8 connections); p95 latencies come from sequential requests.\n\n"
        f"| figure | value |\n|---|---|\n{rows}\n\n{growth_table}## Targets\n\n| target | |\n|---|---|\n{targets}\n\n"
        "django-postman 4.6 is installed by the bench target only and serves the same people and messages.\n"
    )
    if not results["quick"]:
        (PROJECT / "docs").mkdir(exist_ok=True)
        (PROJECT / "docs" / "benchmarks.md").write_text(text)
        (PROJECT / "docs" / "scaling.md").write_text(scaling.markdown(results))
    return text
