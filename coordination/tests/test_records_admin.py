"""Checks and training modules as coordinators keep them in the admin: a check is recorded with who
verified it and refuses impossible dates; a module shared with another programme is read-only; an
edited module is a new version, and coordinators may ask everyone to complete it again."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from matching.models import RequiredTraining
from matching.tests.factories import MentorFactory
from messaging.tests.helpers import one_to_one
from screening.models import Check, CheckType
from training.models import Module

from .test_coordinators_admin import coordinator_for

TODAY = datetime.datetime(2026, 4, 14, 10, tzinfo=datetime.UTC)


def form_data(response) -> dict:
    """What the admin's change form would post as it stands: the main form and every inline."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if callable(value):
                value = value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [getattr(v, "pk", v) for v in value]
            else:
                data[key] = getattr(value, "pk", value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)  # no blank extra rows
        for form in formset.initial_forms:
            add(form)
    return data


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def two_coordinators(frozen):
    mine, _sam, _doreen = one_to_one(mentee_name="Sam A", mentor_name="Doreen A")
    theirs, _lucia, _tomas = one_to_one(mentee_name="Lucía B", mentor_name="Tomás B")
    return (mine.match.programme, coordinator_for(mine.match.programme),
            theirs.match.programme, coordinator_for(theirs.match.programme))  # fmt: skip


@pytest.mark.django_db
def test_a_module_another_programme_requires_is_read_only(client, two_coordinators):
    _programme_a, coordinator_a, programme_b, _coordinator_b = two_coordinators
    module = Module.objects.get(slug="disclosures")
    RequiredTraining.objects.create(programme=programme_b, role="mentor", module=module)
    client.force_login(coordinator_a)
    url = reverse("admin:training_module_change", args=[module.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="ask_everyone_again"' not in page.content.decode()  # viewed, not edited
    posted = client.post(url, {"title": "Changed", "body": "Changed"})
    assert posted.status_code == 403
    module.refresh_from_db()
    assert (module.title, module.version) == ("What to do if a mentee tells you something worrying", 1)


@pytest.mark.django_db
def test_an_edited_module_is_a_new_version_and_may_be_asked_again(client, two_coordinators):
    programme_a, coordinator_a, _programme_b, _coordinator_b = two_coordinators
    module = Module.objects.get(slug="disclosures")
    RequiredTraining.objects.create(programme=programme_a, role="mentor", module=module)
    client.force_login(coordinator_a)
    url = reverse("admin:training_module_change", args=[module.pk])

    data = form_data(client.get(url))
    unchanged = client.post(url, data)
    assert unchanged.status_code == 302, unchanged.context["adminform"].form.errors or [
        f.errors for inline in unchanged.context["inline_admin_formsets"] for f in inline.formset
    ]
    # A browser posts the same text with CRLF line ends: still the same version.
    assert client.post(url, {**data, "body": module.body.replace("\n", "\r\n")}).status_code == 302
    module.refresh_from_db()
    assert module.version == 1
    data["body"] = module.body + "\n\nIn Scotland, call your local authority's social work team."
    assert client.post(url, data).status_code == 302
    module.refresh_from_db()
    assert (module.version, module.minimum_version) == (2, 1)
    assert client.post(url, {**data, "pass_mark": "66", "ask_everyone_again": "on"}).status_code == 302
    module.refresh_from_db()
    assert (module.version, module.minimum_version) == (3, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"verified_on": "2026-04-20"}, "verified_on", "A check cannot be verified in the future."),
        ({"verified_on": ""}, "verified_on", "Say when the check was verified."),
        ({"expires_on": "2026-04-12"}, "expires_on", "This date has passed"),
    ],
)  # fmt: skip
def test_a_check_with_impossible_dates_is_refused(client, two_coordinators, changes, field, error):
    programme_a, coordinator_a, _programme_b, _coordinator_b = two_coordinators
    mentor = MentorFactory(programme=programme_a)
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    client.force_login(coordinator_a)
    data = {"person": mentor.user_id, "check_type": dbs.pk, "outcome": "cleared", "evidence_reference": "0012345",
            "verified_on": "2026-04-10", "expires_on": "", "notes": "", **changes}  # fmt: skip

    response = client.post(reverse("admin:screening_check_add"), data)

    assert response.status_code == 200
    assert error in " ".join(response.context["adminform"].form.errors[field])
    assert not Check.objects.exists()


@pytest.mark.django_db
def test_a_recorded_check_names_its_verifier_and_takes_its_kinds_expiry(client, two_coordinators):
    programme_a, coordinator_a, _programme_b, _coordinator_b = two_coordinators
    mentor = MentorFactory(programme=programme_a)
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    client.force_login(coordinator_a)
    data = {"person": mentor.user_id, "check_type": dbs.pk, "outcome": "cleared", "evidence_reference": "0012345",
            "verified_on": "2026-01-31", "expires_on": "", "notes": ""}  # fmt: skip

    assert client.post(reverse("admin:screening_check_add"), data).status_code == 302

    check = Check.objects.get()
    assert (check.verified_by, check.expires_on) == (coordinator_a, datetime.date(2029, 1, 31))
