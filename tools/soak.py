"""Load and fault run: real gunicorn, Celery workers and beat, a private Redis, a real SMTP server.

People log in and exchange messages over loopback for a bounded time. Midway, Redis is stopped
for a while and a worker is killed with SIGKILL. Afterwards the outbox is drained and checked:
no server errors, every accepted message stored, every e-mail sent exactly once.

Everything runs against a database of its own (`<name>_soak`) and a Redis of its own, so the
machine's services and data are untouched. Used by `make soak` and, shortened, by `make test`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psycopg
from django.conf import settings
from psycopg import sql

from .smtp_sink import free_port, start_sink

PROJECT = Path(__file__).resolve().parent.parent


@dataclass
class Report:
    people: int
    duration_s: float
    requests: int = 0
    messages_accepted: int = 0
    sign_ins: int = 0
    messages_stored: int = 0
    server_errors: int = 0
    failed_requests: int = 0
    p95_ms: float = 0.0
    p95_during_outage_ms: float = 0.0
    slowest_ms: float = 0.0
    redis_outage_s: float = 0.0
    workers_killed: int = 0
    emails_rows: int = 0
    emails_sent: int = 0
    emails_received: int = 0
    emails_lost: int = 0
    emails_duplicated: int = 0
    latencies: list[float] = field(default_factory=list, repr=False)

    def ok(self) -> bool:
        return (
            self.server_errors == 0
            and self.failed_requests == 0
            and self.messages_stored == self.messages_accepted
            and self.emails_lost == 0
            and self.emails_duplicated == 0
        )


class Services:
    """The processes of one run, each started with the run's own environment."""

    def __init__(self, database: str, email_url: str, workdir: Path, **extra_env: str):
        self.redis_port, self.web_port = free_port(), free_port()
        db = settings.DATABASES["default"]
        self.database = database
        self.server = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "user": db.get("USER")}
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentoring.settings",
            "DEBUG": "off",
            "SECRET_KEY": "soak-run-only-" + "x1y2z3" * 10,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "SECURE_SSL_REDIRECT": "off",
            "COOKIES_SECURE": "off",  # plain HTTP on loopback
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{self.server['host']}:{self.server['port']}/{database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": email_url,
            "MESSAGES_PER_HOUR": "100000",
            "NEW_MESSAGE_EMAIL_WINDOW_MINUTES": "0",
            "EMAIL_STALE_CLAIM_SECONDS": "10",
            "DATABASE_POOL_MAX_SIZE": "4",
            **extra_env,
        }
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - the process owns it until stop()
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, cwd=PROJECT, env=env or self.env, stdout=log, stderr=log
        )

    def manage(self, *args: str, show_progress: bool = False) -> str:
        """Run a management command in this run's environment; its output is returned (and its progress
        bar, on stderr, shown to the person running it when `show_progress`)."""
        result = subprocess.run(  # noqa: S603 - our own manage.py, our own arguments
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=None if show_progress else subprocess.PIPE,
            text=True,
            timeout=1800,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def create_database(self) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        self.manage("migrate", "--noinput", "-v", "0")
        # DEBUG is off in these runs, so pages name static files through the manifest: a fresh clone has none.
        self.manage("collectstatic", "--noinput", "-v", "0")

    def drop_database(self) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))

    def start_redis(self) -> None:
        # A service keeps its own, real clock, like the machine's PostgreSQL: when `make test` moves our
        # processes' clocks with libfaketime, Redis must not inherit it (it cannot even start under it).
        real_clock = {k: v for k, v in self.env.items() if k not in {"LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED"}}
        self._start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            env=real_clock,
        )
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        self.processes.pop("redis").kill()

    def start_web(self, workers: int = 2, threads: int = 4) -> None:
        self._start(
            "web",
            [sys.executable, "-m", "gunicorn", "mentoring.wsgi", "--bind", f"127.0.0.1:{self.web_port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "30"],
        )  # fmt: skip
        wait_for_port(self.web_port)
        # The port listens as soon as gunicorn's master binds it, before a worker has imported Django; on a
        # slow machine (2 cores, the Celery processes importing at the same time) the first sign-ins then
        # outlived their 10 s timeout. Wait until the sign-in page itself answers.
        wait_for_page(f"http://127.0.0.1:{self.web_port}/accounts/login/")

    def start_worker(self, name: str) -> None:
        self._start(
            name,
            [sys.executable, "-m", "celery", "-A", "mentoring", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--hostname", f"{name}-{os.getpid()}@%h"],
        )  # fmt: skip

    def start_beat(self) -> None:
        self._start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "mentoring", "beat", "--loglevel", "INFO",
             "--schedule", str(self.workdir / "beat-schedule")],
        )  # fmt: skip

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def query(self, statement: str):
        with psycopg.connect(dbname=self.database, **self.server) as conn:
            return conn.execute(statement).fetchall()


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def wait_for_page(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=30).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> bool:
    await client.get("/accounts/login/")
    response = await client.post(
        "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": client.cookies.get("csrftoken")},
    )
    return response.status_code == 302 and "/accounts/" not in response.headers.get("location", "")


async def _person(index, client, login, conversation, deadline, report, outage, rng):
    sent = rounds = 0
    thread = f"/messages/{conversation}/"
    while time.monotonic() < deadline:
        rounds += 1
        if rounds % 10 == 0:  # people sign in again now and then, during the Redis outage too (R11)
            started = time.monotonic()
            client.cookies.clear()  # a new visit: signed out, as after closing the browser
            try:
                signed_in = await _sign_in(client, *login)
            except httpx.HTTPError:
                signed_in = False
            report.requests += 2
            report.latencies.append((time.monotonic() - started) * 1000)
            report.sign_ins += 1
            if not signed_in:
                report.failed_requests += 1
        for method, url, data in [
            ("GET", thread, None),
            # No e-mail address in the text: moderation would (rightly) hold it.
            ("POST", f"{thread}reply/", {"body": f"Soak message from person {index} #{sent}"}),
        ]:
            started = time.monotonic()
            try:
                if data is None:
                    response = await client.get(url)
                else:
                    data["csrfmiddlewaretoken"] = client.cookies.get("csrftoken")
                    response = await client.request(method, url, data=data)
            except httpx.HTTPError:
                report.failed_requests += 1
                continue
            elapsed = (time.monotonic() - started) * 1000
            report.requests += 1
            report.latencies.append(elapsed)
            if outage[0] <= started <= outage[1]:
                outage[2].append(elapsed)
            if response.status_code >= 500:
                report.server_errors += 1
            elif data is not None:
                # Accepted means sent back to the thread: a redirect to the login page is not.
                if response.status_code == 302 and response.headers.get("location", "").startswith(thread):
                    report.messages_accepted += 1
                    sent += 1
                else:
                    report.failed_requests += 1
        await asyncio.sleep(rng.uniform(0.1, 0.4))


def run_soak(pairs: int = 10, duration: float = 60, redis_outage: float = 20, kill_worker: bool = True) -> Report:
    """One run; returns its figures. The services are stopped and the database left for inspection."""
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    controller, sink = start_sink()
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    services = Services(f"{settings.DATABASES['default']['NAME']}_soak", f"smtp://127.0.0.1:{sink.port}", workdir)
    report = Report(people=pairs * 2, duration_s=duration, redis_outage_s=redis_outage)
    try:
        services.start_redis()
        services.create_database()
        seeded = json.loads(services.manage("seed_soak", "--pairs", str(pairs)))
        services.start_web()
        services.start_worker("worker-1")
        services.start_worker("worker-2")
        services.start_beat()

        rng = random.Random(1)  # noqa: S311 - pacing of simulated people, not security
        outage = [0.0, 0.0, []]

        async def load():
            people = seeded["people"]
            base_url = f"http://127.0.0.1:{services.web_port}"
            clients = [httpx.AsyncClient(base_url=base_url, timeout=10, follow_redirects=False) for _ in people]
            try:
                # Everyone signs in before the clock starts, so that the faults never meet a sign-in.
                signed_in = await asyncio.gather(
                    *(
                        _sign_in(client, p["email"], seeded["password"])
                        for client, p in zip(clients, people, strict=True)
                    )
                )
                if not all(signed_in):
                    raise RuntimeError(f"{signed_in.count(False)} of {len(people)} people could not sign in")
                start = time.monotonic()
                deadline = start + duration
                outage[:2] = [start + duration / 3, start + duration / 3 + redis_outage]
                await asyncio.gather(
                    *(
                        _person(
                            index,
                            client,
                            (p["email"], seeded["password"]),
                            p["conversation"],
                            deadline,
                            report,
                            outage,
                            rng,
                        )
                        for index, (client, p) in enumerate(zip(clients, people, strict=True))
                    ),
                    faults(deadline),
                )
            finally:
                for client in clients:
                    await client.aclose()

        async def faults(deadline):
            if redis_outage:
                await asyncio.sleep(outage[0] - time.monotonic())
                services.stop_redis()
                await asyncio.sleep(redis_outage)
                services.start_redis()
            if kill_worker:
                sink.data_started.clear()
                # Kill a worker while the SMTP server is in the middle of a message.
                sink.delay = 0.5
                while not sink.data_started.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                services.kill("worker-1")
                report.workers_killed = 1
                sink.delay = 0
                services.start_worker("worker-3")

        asyncio.run(load())
        # Drain: let the stale claim of the killed worker expire, then sweep until nothing is due.
        time.sleep(11)
        for _ in range(30):
            services.manage("deliver_emails")
            pending = services.query(
                "SELECT count(*) FROM accounts_outboundemail WHERE status IN ('pending','sending')"
            )
            if pending[0][0] == 0:
                break
            time.sleep(2)
        _collect(report, services, sink, outage[2])
    finally:
        services.stop()
        controller.stop()
    return report


def p95(values, digits: int = 1) -> float:
    """The 95th percentile (nearest rank below), the figure every run here reports; 0 for no values."""
    ordered = sorted(values)
    return round(ordered[int(0.95 * (len(ordered) - 1))], digits) if ordered else 0.0


def _collect(report: Report, services: Services, sink, during_outage: list[float]) -> None:
    report.messages_stored = services.query("SELECT count(*) FROM messaging_message WHERE body LIKE 'Soak message %%'")[
        0
    ][0]
    rows = dict(services.query("SELECT status, count(*) FROM accounts_outboundemail GROUP BY status"))
    report.emails_rows = sum(rows.values())
    report.emails_sent = rows.get("sent", 0)
    received = [r.message_id for r in sink.received]
    report.emails_received = len(received)
    report.emails_duplicated = len(received) - len(set(received))
    report.emails_lost = rows.get("pending", 0) + rows.get("sending", 0) + rows.get("failed", 0)
    report.emails_lost += max(0, report.emails_sent - len(set(received)))
    report.p95_ms = p95(report.latencies)
    report.slowest_ms = round(max(report.latencies, default=0.0), 1)
    report.p95_during_outage_ms = p95(during_outage)


def markdown(report: Report, when: str, cores: int) -> str:
    figures = {k: v for k, v in asdict(report).items() if k != "latencies"}
    lines = "\n".join(f"| {re.sub('_', ' ', key)} | {value} |" for key, value in figures.items())
    return (
        "# Reliability: load and fault run\n\n"
        f"Measured {when} on this machine ({cores} cores) by `make soak`: gunicorn (2 processes x 4 threads), two\n"
        "Celery workers and beat, a private Redis, a local SMTP server, all on loopback. Redis was stopped\n"
        "mid-run and a worker killed with SIGKILL while it was sending; afterwards the outbox was drained.\n\n"
        f"Result: **{'passed' if report.ok() else 'FAILED'}**\n\n| figure | value |\n|---|---|\n{lines}\n\n"
        "Median latency and throughput are not the point here (see `make bench`); what must hold is zero\n"
        "server errors, every accepted message stored, and every e-mail delivered exactly once.\n"
    )
