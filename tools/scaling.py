"""docs/scaling.md, written by `make bench` from the run's own figures: what one active person costs a day, and
what 100,000 and 1,000,000 participants would need. The figures are measured; the day's shape and the peak
are assumptions, named in the text and in ASSUMPTIONS below, so that the arithmetic can be checked and redone."""

from __future__ import annotations

import math

# An active person's day, in the pages and actions they take (our assumption, from the journeys: people open the
# platform about twice a day, read what is new, answer, and now and then search or look at their match).
DAY = [
    ("open the dashboard", 2, "dashboard_rps", "dashboard_queries"),
    ("open the inbox", 4, "inbox_rps", "inbox_light_queries"),
    ("read a conversation", 6, "thread_rps", "thread_cached_queries"),
    ("send a reply", 2, None, "send_message_queries"),
    ("search", 1, "search_rps", "search_queries"),
    ("look at their match", 1, "match_page_rps", "match_page_queries"),
    ("open their profile", 0.2, "profile_rps", "profile_queries"),
    ("browse programmes", 0.2, "programmes_rps", "programmes_queries"),
]
ASSUMPTIONS = {
    "active_share": 0.3,  # of participants active on a given day
    "peak_hour_share": 0.2,  # of a day's requests in its busiest hour (one region's evening)
    "target_utilisation": 0.6,  # of each core at that peak, leaving room for bursts and deploys
    "emails_per_active_day": 3,  # notifications, reminders and digests, after the batching windows
    "provider_send_ms": 200,  # an e-mail provider's HTTP API answering one message
    "pool_per_web_process": 8,  # DATABASE_POOL_MAX_SIZE
}


def _cpu_ms(results: dict, rps_key: str | None) -> float:
    """CPU-milliseconds of one request: the web server's two processes kept both cores busy under wrk, so a
    request costs at most 2,000 ms / requests per second (an overestimate: wrk ran on the same cores)."""
    if rps_key is None:  # a reply, measured in process (send_message itself) plus the page that follows it
        return results["send_message_inprocess_p95_ms"] + _cpu_ms(results, "thread_rps")
    return 1000 * results["cores"] / results[rps_key]


def person_day(results: dict) -> tuple[list[tuple[str, float, float, float]], float, float]:
    rows = [(what, times, _cpu_ms(results, rps), results[queries]) for what, times, rps, queries in DAY]
    digest_ms = 1000 / results["digest_people_per_s"]
    rows.append(("a digest built and written", 1, digest_ms, 6 / 100))  # six queries per batch of 100 people
    cpu = sum(times * ms for _what, times, ms, _q in rows)
    queries = sum(times * q for _what, times, _ms, q in rows)
    return rows, cpu, queries


def needs(results: dict, participants: int) -> dict:
    _rows, cpu_day, queries_day = person_day(results)
    active = participants * ASSUMPTIONS["active_share"]
    peak_cpu_ms_per_s = active * cpu_day * ASSUMPTIONS["peak_hour_share"] / 3600
    web_cores = math.ceil(peak_cpu_ms_per_s / 1000 / ASSUMPTIONS["target_utilisation"])
    peak_queries_per_s = active * queries_day * ASSUMPTIONS["peak_hour_share"] / 3600
    emails_per_s = active * ASSUMPTIONS["emails_per_active_day"] * ASSUMPTIONS["peak_hour_share"] / 3600
    render_ms = 1000 / results["digest_people_per_s"]
    workers = math.ceil(emails_per_s * (render_ms + ASSUMPTIONS["provider_send_ms"]) / 1000 / 0.5)
    return {
        "active": int(active),
        "peak_requests_cpu_s": round(peak_cpu_ms_per_s / 1000, 2),
        "web_processes": max(2, web_cores),
        "peak_queries_per_s": round(peak_queries_per_s),
        "emails_per_s": round(emails_per_s, 1),
        "celery_workers": max(2, workers),
        "connections_without_pgbouncer": max(2, web_cores) * ASSUMPTIONS["pool_per_web_process"],
    }


def markdown(results: dict) -> str:
    rows, cpu_day, queries_day = person_day(results)
    growth = results.get("growth") or {}
    sizes = sorted(growth, key=int)
    per_message = (
        (growth[sizes[-1]]["database_mb"] - growth[sizes[0]]["database_mb"]) * 2**20 / (int(sizes[-1]) - int(sizes[0]))
        if len(sizes) > 1
        else None
    )
    figures = ("thread_p95_ms", "inbox_p95_ms", "search_p95_ms", "send_p95_ms")
    ratios = [growth[sizes[-1]][f] / growth[sizes[0]][f] for f in figures] if len(sizes) > 1 else []
    ratio_line = (
        f"From the smallest size to the largest, the four p95s moved by {min(ratios):.2f}x to {max(ratios):.2f}x."
        if ratios
        else ""
    )
    day_table = "\n".join(f"| {what} | {times:g} | {ms:.1f} | {queries} |" for what, times, ms, queries in rows)
    plan = {n: needs(results, n) for n in (100_000, 1_000_000)}
    plan_rows = "\n".join(
        f"| {label} | " + " | ".join(f"{plan[n][key]:,}" for n in plan) + " |"
        for label, key in (
            ("active people a day", "active"),
            ("CPU-seconds of requests per second, at the peak hour", "peak_requests_cpu_s"),
            ("web processes (one per core, at 60 % of each)", "web_processes"),
            ("database queries per second, at the peak hour", "peak_queries_per_s"),
            ("e-mails per second, at the peak hour", "emails_per_s"),
            ("Celery workers sending them (each busy half the time)", "celery_workers"),
            ("database connections, one pool of 8 per process, without PgBouncer", "connections_without_pgbouncer"),
        )
    )
    growth_lines = (
        "\n".join(
            f"- {int(size):,} messages: database {growth[size]['database_mb']:,} MB, thread p95 "
            f"{growth[size]['thread_p95_ms']} ms, inbox {growth[size]['inbox_p95_ms']} ms, search "
            f"{growth[size]['search_p95_ms']} ms, send {growth[size]['send_p95_ms']} ms"
            for size in sizes
        )
        if sizes
        else "- (no growth series in this run: `make bench` without --quick measures one)"
    )
    bytes_line = (
        f"Each message costs about {per_message / 1024:.1f} KB of database (table, search vector and indexes), from "
        f"the difference between the smallest and the largest size, so half of a 24 GB database server's memory holds "
        f"about {12 * 2**30 / per_message / 1e6:,.0f} million messages."
        if per_message
        else ""
    )
    return f"""# Scaling

Written by `make bench` from its own run ({results["date"]}, {results["cores"]} cores; bench/results/latest.json).
The costs are measured; the shape of a day and of its peak are assumptions, named here and in `tools/scaling.py`,
so the arithmetic can be redone with better ones.

## One active person's day

CPU-milliseconds of a page are the web server's whole capacity divided by the pages per second it served under wrk
(two gunicorn processes on {results["cores"]} cores, wrk on the same cores: an overestimate). A reply is
`send_message` in process (its p95) plus the thread page that follows it. Queries are counted per page for a
typical person (thread pages mostly come from the page cache: {results["thread_cached_queries"]} queries, or
{results["thread_queries"]} when rendered).

| what | times a day | CPU-ms each | queries each |
|---|---|---|---|
{day_table}

**Per active person per day: {cpu_day:.0f} CPU-ms and {queries_day:.0f} queries.** Not counted: the navigation's
badges (`/messages/needs-me/`, fetched once a minute while a page is open) and e-mail
delivery (below).

## 100,000 and 1,000,000 participants

Assumed: {ASSUMPTIONS["active_share"]:.0%} of participants active on a day, {ASSUMPTIONS["peak_hour_share"]:.0%}
of a day's requests in its busiest hour, cores run at {ASSUMPTIONS["target_utilisation"]:.0%} at that peak,
{ASSUMPTIONS["emails_per_active_day"]} e-mails per active person a day, and {ASSUMPTIONS["provider_send_ms"]} ms for
a provider's API to take one e-mail (writing one costs {1000 / results["digest_people_per_s"]:.2f} ms here).

| | 100,000 | 1,000,000 |
|---|---|---|
{plan_rows}

**PostgreSQL.** Put PgBouncer in transaction mode between the web and Celery processes and PostgreSQL, so that
hundreds of pooled client connections share a few dozen server ones (two to four per database core), and set
`DATABASE_BEHIND_PGBOUNCER=on`. With transaction pooling, consecutive transactions of one Django connection may run
on different server connections, so nothing may outlive a transaction on the server. Prepared statements: Django's
default client-side binding (psycopg's `ClientCursor`) never prepares one, and the setting also turns psycopg's
automatic preparing off (`prepare_threshold = None`), in case `server_side_binding` is ever turned on without
PgBouncer 1.21's `max_prepared_statements`. Server-side cursors (what `QuerySet.iterator()` would open;
no code of ours does today) are turned off too (`DISABLE_SERVER_SIDE_CURSORS`). Keep each process's own pool
small (2-4) behind it (`DATABASE_POOL_MAX_SIZE`).

**As it grows.** The same 10,000 people with more messages, each size in its own database:

{growth_lines}

{bytes_line} Every page reads by indexed keys (a conversation's newest messages, a person's conversations, a
person's search vectors through their conversations). {ratio_line} The messages table
would be partitioned by month of `created_at` when it no longer fits in that memory: recent partitions stay hot,
and the retention sweep detaches whole months instead of deleting rows. Read replicas would take search, exports
and coordinators' reports once the primary's CPU passes half at the peak hour; the pages people write from stay
on the primary (a reply must be read back at once).

**Workers.** The outbox is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and each e-mail has a unique key, so
workers are interchangeable: the soak (docs/reliability.md) killed one of two workers mid-send and lost and
duplicated nothing. It does not measure one worker's ceiling: its load, not its workers, set the rate. The
workers needed above come from the cost of writing an e-mail and the provider's answer time, with each worker busy
half the time; add workers (or threads, since they mostly wait on the network) when the outbox's oldest unsent row
grows older than a minute.
"""  # noqa: S608 - prose about SQL, not a query
