"""Invitation codes and links: one code a coordinator hands out, limited by domain, date and count."""

import datetime
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching import join_codes
from matching.models import JoinCode, Membership, ProgrammeCoordinator, Topic
from matching.permissions import COORDINATORS_GROUP
from matching.services import MatchingError, enrol

from .factories import ProgrammeFactory

T0 = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def school(time_machine):
    time_machine.move_to(T0, tick=False)
    programme = ProgrammeFactory(name="Riverside Sixth Form", slug="riverside", enrolment_open=False,
                                 enrolment_requires_approval=False)  # fmt: skip
    programme.topics.add(Topic.objects.create(name="University applications", slug="university"))
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    return programme, coordinator


def pupil(email="ada@school.org.uk", verified=True):
    user = UserFactory(email=email)
    EmailAddress.objects.filter(user=user).update(verified=verified)
    return user


def form_data(programme, role="mentee"):
    return {"role": role, "topics": [programme.topics.get().pk], "languages": ["en"], "goals": "",
            "accept_agreement": "on"}  # fmt: skip


@pytest.mark.django_db
def test_from_the_coordinators_code_to_an_enrolment_in_a_closed_programme(client, school):
    programme, coordinator = school
    client.force_login(coordinator)
    added = client.post(
        reverse("admin:matching_joincode_add"),
        {"programme": programme.pk, "code": " riverside-26 ", "role": "mentee", "email_domains": "@School.org.uk",
         "expires_at_0": "2026-10-01", "expires_at_1": "00:00:00", "max_uses": "30", "is_active": "on"},
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:2000]
    code = JoinCode.objects.get()
    assert (code.code, code.email_domains, code.created_by) == ("RIVERSIDE-26", ["school.org.uk"], coordinator)
    listing = client.get(reverse("admin:matching_joincode_changelist")).content.decode()
    assert "http://testserver/join/RIVERSIDE-26/" in listing and "0 / 30" in listing

    ada = pupil()
    client.force_login(ada)
    assert 'href="/join/"' in client.get(reverse("matching:programmes")).content.decode()
    typed = client.post(reverse("matching:join_form"), {"code": "riverside-26"})
    assert typed.status_code == 302 and typed["Location"] == "/join/RIVERSIDE-26/"
    onward = client.get(typed["Location"])
    assert onward["Location"] == "/programmes/riverside/enrol/?code=RIVERSIDE-26"
    form = client.get(onward["Location"]).content.decode()
    assert "Your invitation code works" in form and 'value="mentor"' not in form  # a code for mentees
    response = client.post(onward["Location"], form_data(programme))

    assert response.status_code == 302
    membership = Membership.objects.get(user=ada, programme=programme)
    assert (membership.role, membership.status) == ("mentee", "approved")
    code.refresh_from_db()
    assert code.uses == 1
    # Without the code the closed programme stays invisible to others.
    other = pupil("bob@school.org.uk")
    client.force_login(other)
    assert client.get(reverse("matching:enrol", args=[programme.slug])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "person", "says"),
    [
        ({"email_domains": ["school.org.uk"]}, ("someone@gmail.com", True), "for addresses at school.org.uk"),
        ({"email_domains": ["school.org.uk"]}, ("ada@school.org.uk", False), "confirm it"),
        ({"email_domains": ["school.org.uk"]}, ("ada@notschool.org.uk", True), "for addresses at school.org.uk"),
        ({"expires_at": T0 - datetime.timedelta(minutes=1)}, ("ada@school.org.uk", True), "has expired"),
        ({"max_uses": 2, "uses": 2}, ("ada@school.org.uk", True), "used as many times"),
        ({"is_active": False}, ("ada@school.org.uk", True), "does not work"),
    ],
)
def test_a_code_that_does_not_work_for_someone_says_why_and_enrols_no_one(client, school, change, person, says):
    programme, _coordinator = school
    code = JoinCode.objects.create(programme=programme, code="RIVERSIDE-26", **change)
    user = pupil(*person)
    client.force_login(user)

    page = client.get(reverse("matching:join", args=[code.code]))
    posted = client.post(reverse("matching:enrol", args=[programme.slug]) + "?code=RIVERSIDE-26", form_data(programme))

    assert page.status_code == 400 and says in page.content.decode()
    assert posted.status_code == 404
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_subdomain_counts_as_the_domain(school):
    programme, _coordinator = school
    code = JoinCode.objects.create(programme=programme, code="RIVERSIDE-26", email_domains=["school.org.uk"])
    user = pupil("ada@pupils.school.org.uk")
    assert join_codes.check(code, user) == code


@pytest.mark.django_db
def test_an_unknown_code_is_a_clear_page_not_an_error(client, school):
    client.force_login(pupil())
    for code in ["NOPE1234", "<script>", "x" * 300, "-"]:
        page = client.get(reverse("matching:join", args=[code]))
        assert page.status_code == 400 and "That code does not work" in page.content.decode()
    assert client.get(reverse("matching:join_form")).status_code == 200


@pytest.mark.django_db
def test_a_code_asks_visitors_to_sign_in_first(client, school):
    programme, _coordinator = school
    JoinCode.objects.create(programme=programme, code="RIVERSIDE-26")
    response = client.get("/join/RIVERSIDE-26/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/join/RIVERSIDE-26/")


@pytest.mark.django_db
def test_a_code_for_mentors_refuses_a_mentee_enrolment(school):
    programme, _coordinator = school
    code = JoinCode.objects.create(programme=programme, code="MENTORS-26", role="mentor")
    with pytest.raises(MatchingError, match="for mentors"):
        enrol(pupil(), programme, role="mentee", topics=[], join_code=code)


@pytest.mark.django_db(transaction=True)
def test_a_limited_code_never_enrols_more_than_its_limit_at_once(school):
    programme, _coordinator = school
    JoinCode.objects.create(programme=programme, code="LAST-PLACES", max_uses=3)
    people = [pupil(f"p{n}@school.org.uk") for n in range(8)]
    barrier = threading.Barrier(len(people))

    def enrol_one(person):
        try:
            client = Client()
            client.force_login(person)
            barrier.wait()
            client.post("/programmes/riverside/enrol/?code=LAST-PLACES", form_data(programme))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=enrol_one, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Membership.objects.filter(programme=programme).count() == 3
    assert JoinCode.objects.get().uses == 3


@pytest.mark.django_db
def test_the_admin_refuses_a_taken_code_and_a_bad_domain(client, school):
    programme, coordinator = school
    JoinCode.objects.create(programme=programme, code="TAKEN")
    client.force_login(coordinator)
    page = client.post(
        reverse("admin:matching_joincode_add"),
        {"programme": programme.pk, "code": "taken", "email_domains": "not a domain", "is_active": "on"},
    ).content.decode()
    assert "That code is taken" in page and "is not a domain" in page
    generated = client.post(reverse("admin:matching_joincode_add"), {"programme": programme.pk, "is_active": "on"})
    assert generated.status_code == 302
    code = JoinCode.objects.exclude(code="TAKEN").get().code
    assert len(code) == 8 and set(code) <= set(join_codes.ALPHABET)
