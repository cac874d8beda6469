"""QUALITY.md S1-S4 from the URLconf itself, so a new URL cannot slip past unchecked."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.emails import unsubscribe_url
from accounts.tests.factories import UserFactory
from agreements import services as agreements
from matching.models import CoMentorInvitation, Goal, Milestone, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from meetings import services as meetings
from messaging.models import ScheduledMessage
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from notices.models import Notice
from training.models import Module

PROJECT = Path(__file__).resolve().parents[2]
OUR_NAMESPACES = {
    "accounts", "training", "consent", "notices", "matching", "agreements", "checkins", "guides", "meetings",
    "messaging", "inbound_mail", "sso", ""
}  # fmt: skip


def our_patterns():
    """(name, pattern, converters) for every URL of ours, the admin and allauth aside."""
    found = []

    def walk(resolver, namespace, prefix):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or "allauth" in str(entry.urlconf_name):
                    continue
                walk(entry, entry.namespace or namespace, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name and namespace in OUR_NAMESPACES:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, prefix + str(entry.pattern), list(entry.pattern.converters)))

    walk(get_resolver(), "", "")
    return found


@pytest.fixture
def world():
    conversation, sam, doreen = one_to_one()
    programme = conversation.match.programme
    programme.enrolment_open = False  # a private programme: outsiders must not learn it exists
    programme.save()
    message = send_message(doreen, conversation, "Hello Sam")
    goal = Goal.objects.create(match=conversation.match, title="Goal")
    step = Milestone.objects.create(goal=goal, title="Step")
    _other, other_member, _ = one_to_one(mentee_name="Other", mentor_name="Pair")
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
    deactivated = conversation.match.members.get(user=sam).user
    module = Module.objects.create(title="Staying safe", slug="staying-safe-online", body="Keep it on the platform.")
    agreement = agreements.propose(conversation.match, doreen, {
        "goals": "Applications", "writing_frequency": "weekly", "reply_within_days": 3, "meetings": "",
        "ground_rules": "Be kind."})  # fmt: skip
    meeting = meetings.propose(conversation.match, doreen, [timezone.now() + datetime.timedelta(days=3)],
                               mode="in_person", place="The library café")  # fmt: skip
    meetings.choose(meeting, sam, meeting.slots.get().starts_at)
    meeting_item = meetings.add_item(meeting, doreen, "What I want from this meeting")
    return {
        "module": module, "agreement": agreement, "meeting": meeting, "meeting_item": meeting_item,
        "conversation": conversation, "message": message, "goal": goal, "step": step, "sam": sam, "doreen": doreen,
        "other_member": other_member, "coordinator": coordinator, "mentor_membership":
        conversation.match.members.get(role="mentor").membership, "deactivated": deactivated,
        "notice": Notice.objects.filter(user=sam).earliest("pk"),
        # Sam's own invitation to co-mentor (the suite only reads whose it is, not whether he is a mentor).
        "co_mentoring": CoMentorInvitation.objects.create(
            match=conversation.match, membership=conversation.match.members.get(user=sam).membership, invited_by=doreen
        ),
        "scheduled": ScheduledMessage.objects.create(conversation=conversation, sender=sam, body="Later",
                                                     deliver_at=timezone.now() + datetime.timedelta(hours=8)),
    }  # fmt: skip


# Every URL with an object in it, and how to build it for the fixture's match.
ID_URLS = {
    "matching:programme": lambda w: [w["conversation"].match.programme.slug],
    "matching:enrol": lambda w: [w["conversation"].match.programme.slug],
    "matching:guardian": lambda w: [w["conversation"].match.programme.slug],
    "matching:suggestions": lambda w: [w["conversation"].match.programme.slug],
    "matching:request": lambda w: [w["conversation"].match.programme.slug, w["mentor_membership"].pk],
    "matching:accept": lambda w: [w["conversation"].match.pk],
    "matching:decline": lambda w: [w["conversation"].match.pk],
    "matching:withdraw": lambda w: [w["conversation"].match.pk],
    "matching:match": lambda w: [w["conversation"].match.pk],
    "matching:close": lambda w: [w["conversation"].match.pk],
    "matching:goal_add": lambda w: [w["conversation"].match.pk],
    "matching:goal_edit": lambda w: [w["goal"].pk],
    "matching:milestone_toggle": lambda w: [w["step"].pk],
    "agreements:agreement": lambda w: [w["conversation"].match.pk],
    "guides:prompt": lambda w: [w["conversation"].match.pk],
    "agreements:sign": lambda w: [w["agreement"].pk],
    "agreements:decline": lambda w: [w["agreement"].pk],
    "messaging:new": lambda w: [w["conversation"].match.pk],
    "messaging:thread": lambda w: [w["conversation"].pk],
    "messaging:reply": lambda w: [w["conversation"].pk],
    "messaging:preview": lambda w: [w["conversation"].pk],
    "messaging:draft": lambda w: [w["conversation"].pk],
    "messaging:schedule": lambda w: [w["conversation"].pk],
    "messaging:scheduled": lambda w: [w["conversation"].pk],
    "messaging:cancel_scheduled": lambda w: [w["scheduled"].pk],
    "messaging:acknowledge": lambda w: [w["conversation"].pk],
    "messaging:archive": lambda w: [w["conversation"].pk],
    "messaging:mute": lambda w: [w["conversation"].pk],
    "messaging:export": lambda w: [w["conversation"].pk],
    "messaging:edit": lambda w: [w["message"].pk],
    "messaging:report": lambda w: [w["message"].pk],
    "notices:open": lambda w: [w["notice"].pk],
    "matching:invite_co_mentor": lambda w: [w["conversation"].match.pk],
    "matching:answer_co_mentor": lambda w: [w["co_mentoring"].pk],
    "meetings:match_meetings": lambda w: [w["conversation"].match.pk],
    "meetings:meeting": lambda w: [w["meeting"].pk],
    "meetings:choose": lambda w: [w["meeting"].pk],
    "meetings:other_times": lambda w: [w["meeting"].pk],
    "meetings:cancel": lambda w: [w["meeting"].pk],
    "meetings:add_agenda": lambda w: [w["meeting"].pk],
    "meetings:outcome": lambda w: [w["meeting"].pk],
    "meetings:add_from_thread": lambda w: [w["meeting"].pk],
    "meetings:add_next_step": lambda w: [w["meeting"].pk],
    "meetings:goal_step": lambda w: [w["meeting"].pk, w["meeting_item"].pk],
    "meetings:thread_card": lambda w: [w["conversation"].match.pk],
    "meetings:download": lambda w: [w["meeting"].pk],
}
# Coordinators may open their own programme's page (and its enrolment form) on the site; everything
# about a match they reach only through the admin.
COORDINATOR_MAY = {"matching:programme", "matching:enrol"}
# Capability URLs: the token is the authority (one-click unsubscribe, RFC 8058, tested in accounts;
# invitations, where only the invited address can accept, tested in matching).
# A guardian's consent links: the signed token is the key (tested in consent/tests).
# A check-in's link: the signed token is the key (tested in checkins/tests).
# A private calendar feed: the secret in the link is the key, revocable (tested in meetings/tests).
# A join code: handed out to many, limited by domain, date and count (tested in matching/tests/test_join_codes).
TOKEN_URLS = {"accounts:unsubscribe", "matching:invitation", "matching:join", "matching:decline_invitation",
              "consent:answer", "consent:withdraw", "checkins:answer", "meetings:feed"}  # fmt: skip
# Shared content every signed-in person may read (a training module is the same for everyone).
SIGNED_IN_URLS = {"training:module": lambda w: [w["module"].slug]}


def test_every_url_with_an_id_is_in_the_matrix():
    with_ids = {name for name, _pattern, converters in our_patterns() if converters}

    assert with_ids == set(ID_URLS) | TOKEN_URLS | set(SIGNED_IN_URLS), "add the new URL to ID_URLS with who may use it"


@pytest.mark.django_db
def test_shared_content_needs_a_sign_in_and_nothing_more(world):
    signed_in = Client()
    signed_in.force_login(UserFactory())
    for name, args in SIGNED_IN_URLS.items():
        url = reverse(name, args=args(world))
        assert signed_in.get(url).status_code == 200, name
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], name


def call(client, name, world, method):
    url = reverse(name, args=ID_URLS[name](world))
    data = {"body": "x", "reason": "x", "reply_by": "2030-01-01", "subject": "x", "note": "x"}
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["other_member", "coordinator", "outsider", "deactivated", "anonymous"])
def test_only_the_pair_reaches_their_pages(world, actor):
    client = Client()
    if actor == "outsider":
        client.force_login(UserFactory())
    elif actor == "deactivated":
        client.force_login(world["deactivated"])
        world["deactivated"].is_active = False
        world["deactivated"].save()
    elif actor != "anonymous":
        client.force_login(world[actor])

    for name in ID_URLS:
        for method in ("get", "post"):
            response = call(client, name, world, method)
            if actor in ("anonymous", "deactivated"):
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (name, method)
            elif actor == "coordinator" and name in COORDINATOR_MAY:
                assert response.status_code in (200, 302), (name, method)
            else:
                assert response.status_code in (404, 405), (actor, name, method, response.status_code)


@pytest.mark.django_db
def test_members_reach_their_pages(world):
    client = Client()
    client.force_login(world["sam"])

    for name in ID_URLS:
        response = call(client, name, world, "get")
        assert response.status_code in (200, 302, 405), (name, response.status_code)


# --- S4: CSRF and safe methods -------------------------------------------------------------------


def every_url(world) -> list[tuple[str, str]]:
    """Every URL of ours a signed-in member can be sent to, built for the fixture (tokens aside)."""
    plain = [name for name, _p, converters in our_patterns() if not converters]
    built = {**ID_URLS, **SIGNED_IN_URLS}
    return [(name, reverse(name, args=built[name](world))) for name in built] + [(n, reverse(n)) for n in plain]


@pytest.mark.django_db
def test_every_unsafe_endpoint_refuses_a_post_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["sam"])
    for name, url in every_url(world):
        if name.startswith("inbound_mail:"):
            continue  # below: posted by mail providers, with no cookie to forge; they sign instead
        assert client.post(url, {"body": "x"}).status_code in (403, 405), name
    # The providers' inbound webhooks take no CSRF token: a post without their signature is refused.
    webhooks = [url for name, url in every_url(world) if name.startswith("inbound_mail:")]
    assert webhooks, "the test settings open some inbound webhooks"
    for url in webhooks:
        assert client.post(url, {"body": "x"}).status_code == 400, url
    # The other documented exception: RFC 8058 one-click unsubscribe.
    one_click = unsubscribe_url(world["sam"].pk, "digest").removeprefix("http://testserver")
    assert client.post(one_click).status_code == 200


def fingerprint():
    """Row counts of every table of ours, and the state columns that a GET might be tempted to change."""
    from matching.models import Match
    from messaging.models import Participant

    counts = tuple(
        model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "screening", "training", "consent", "notices", "matching", "messaging", "account"}
        and not model._meta.proxy
    )
    states = tuple(Match.objects.values_list("pk", "status", "at_risk_since").order_by("pk"))
    waits = tuple(Participant.objects.values_list("pk", "awaiting_reply_since", "archived", "muted").order_by("pk"))
    return counts, states, waits


@pytest.mark.django_db
def test_no_get_changes_the_database(world):
    client = Client()
    client.force_login(world["sam"])
    before = fingerprint()

    for _name, url in every_url(world):
        client.get(url)

    # (Opening a thread marks it read, as every mail client does; read state is not in the fingerprint.)
    assert fingerprint() == before


@pytest.mark.django_db
def test_next_to_another_host_is_refused(client, world):
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": world["sam"].email, "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- S2: headers and cookies ---------------------------------------------------------------------


@pytest.mark.django_db
def test_security_headers_on_every_page_for_every_role(world):
    clients = {"anonymous": Client(), "member": Client(), "coordinator": Client()}
    clients["member"].force_login(world["sam"])
    clients["coordinator"].force_login(world["coordinator"])
    urls = [url for _name, url in every_url(world)]
    urls += ["/admin/", "/admin/matching/match/", "/accounts/login/"]

    for role, client in clients.items():
        for url in urls:
            response = client.get(url, secure=True)
            csp = response.get("Content-Security-Policy", "")
            for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
                assert directive in csp, (role, url)
            hsts = response["Strict-Transport-Security"]
            assert "includeSubDomains" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"
            private = url.startswith(("/messages/", "/admin/")) and role != "anonymous"
            if private and response.status_code == 200:
                assert "no-store" in response["Cache-Control"], (role, url)


@pytest.mark.django_db
def test_session_cookie_flags(client, world):
    response = client.post(
        reverse("account_login"), {"login": world["sam"].email, "password": "correct horse battery staple"}, secure=True
    )

    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_check_deploy_passes_on_production_settings():
    env = {
        **os.environ,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mentoring.example.org",
        "SITE_URL": "https://mentoring.example.org",
        "SECURE_SSL_REDIRECT": "on",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr


# --- S5: hostile names through e-mails and the admin ----------------------------------------------


@pytest.mark.django_db
def test_hostile_display_names_are_escaped_in_e_mails_and_the_admin(client):
    from django.core import mail

    from accounts import delivery
    from accounts.emails import queue_email

    hostile = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    conversation, sam, _doreen = one_to_one(mentee_name=hostile)
    queue_email(sam, "welcome", "emails/welcome", {"profile_url": "http://testserver/"}, "welcome:hostile")
    delivery.deliver_due_emails()
    html = mail.outbox[-1].alternatives[0][0]
    assert "<script>" not in html and "<img" not in html

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in [
        "/admin/accounts/user/",
        "/admin/matching/match/",
        f"/admin/matching/match/{conversation.match_id}/change/",
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page, url
