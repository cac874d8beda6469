"""Hypothesis throws hostile input at every form and POST endpoint: never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_security_suite import ID_URLS, our_patterns
from .test_security_suite import world as world

FIELDS = [
    "body", "subject", "reply_to", "reason", "reply_by", "note", "title", "description", "target_date", "status",
    "role", "topics", "goals", "languages", "capacity", "gender", "preferred_mentor_gender", "accept_agreement",
    "display_name", "pronouns", "bio", "timezone", "notification_preference", "digest_hour", "digest_weekday",
    "quiet_hours_start", "quiet_hours_end", "wanted_kinds", "password", "confirm", "rating", "preview",
    "steps-TOTAL_FORMS", "steps-INITIAL_FORMS", "steps-0-title", "steps-0-id", "login", "email", "password1",
    "password2", "q", "match", "sender", "date_from", "date_to", "after", "before", "quote", "filter",
]  # fmt: skip
NASTY = [
    "", " ", "\x00", "a\x00b", "-1", "0", "1e309", "NaN", "9" * 30, "[]", "{}", "2030-13-45", "25:99", "../../etc",
    "<script>alert(1)</script>", "'; DROP TABLE x; --", "\u202e\u2028\ud7ff", "x" * 25_000, "%00", "None", "true",
]  # fmt: skip
value = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))
form_data = st.dictionaries(st.sampled_from(FIELDS), st.one_of(value, st.lists(value, max_size=3)), max_size=10)
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def endpoints(world):
    plain = [reverse(name) for name, _pattern, converters in our_patterns() if not converters]
    with_ids = [reverse(name, args=make(world)) for name, make in ID_URLS.items()]
    allauth = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/password/change/"]
    return [*plain, *with_ids, *allauth]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "get"])
def test_every_endpoint_survives_hostile_forms_and_query_strings(world, method):
    client = Client()
    client.force_login(world["sam"])
    send = getattr(client, method)

    @FUZZ
    @given(data=form_data)
    def everywhere(data):
        for url in endpoints(world):
            response = send(url, data)
            assert response.status_code < 500, (url, data)

    everywhere()


@pytest.mark.django_db
def test_anonymous_visitors_survive_hostile_forms_on_public_pages():
    client = Client()

    @FUZZ
    @given(data=form_data)
    def post_public(data):
        for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/healthz", "/"]:
            assert client.post(url, data).status_code < 500, (url, data)

    post_public()


@pytest.mark.django_db
@pytest.mark.parametrize("beyond", [0, 2**63, 10**23])
def test_every_id_in_a_url_may_be_beyond_any_database_id(world, beyond):
    """/messages/99999999999999999999999/ was a 500: PostgreSQL refused the number in hand-written SQL."""
    client = Client()
    client.force_login(world["sam"])

    for name, make in ID_URLS.items():
        url = reverse(name, args=[beyond if isinstance(arg, int) else arg for arg in make(world)])
        for method in (client.get, client.post):
            assert method(url).status_code < 500, url
