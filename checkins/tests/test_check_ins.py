"""Check-ins: asked when due (once), answered from the e-mail's link, and answers that signal trouble alert
the coordinators at once, or the safeguarding lead for safety answers."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.services import set_away
from accounts.tests.factories import UserFactory
from checkins import services
from checkins.models import Answer, Question, Round, Survey
from matching.models import Match, ProgrammeCoordinator
from matching.services import close
from messaging.tests.helpers import one_to_one
from notices.models import Notice

T0 = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(clock):
    conversation, sam, doreen = one_to_one()
    match = conversation.match
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    lead = UserFactory(is_staff=True, display_name="Mr Lead")
    ProgrammeCoordinator.objects.create(programme=match.programme, user=coordinator)
    ProgrammeCoordinator.objects.create(programme=match.programme, user=lead, is_safeguarding_lead=True)
    return match, sam, doreen, coordinator, lead


def link_for(person) -> str:
    row = OutboundEmail.objects.filter(template="emails/check_in", recipient=person).latest("pk")
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    link = re.search(r"http://testserver(/check-in/[^/\s\"]+/)", message.body).group(1)
    assert link in html
    return link


def answers_for(check_in_round, **by_kind) -> dict:
    data = {}
    for question in check_in_round.survey.questions.all():
        if question.kind in by_kind:
            data[f"q{question.pk}"] = by_kind[question.kind]
    return data


@pytest.mark.django_db
def test_the_first_check_in_goes_after_two_weeks_once_then_the_monthly_pulse(pair, clock):
    _match, sam, doreen, _coordinator, _lead = pair
    clock.shift(13 * DAY)
    assert services.send_due() == 0
    clock.shift(DAY)
    assert services.send_due() == 2
    assert services.send_due() == 0  # a second sweep sends nothing
    assert set(Round.objects.values_list("person", "survey__kind")) == {(sam.pk, "fit"), (doreen.pk, "fit")}

    message = OutboundEmail.objects.get(template="emails/check_in", recipient=sam)
    assert delivery.deliver(message.pk) == OutboundEmail.Status.SENT
    sent = mail.outbox[-1]
    assert sent.subject == "How is it going with Doreen?"
    for part in (sent.body, sent.alternatives[0][0]):
        assert "A quick check-in about your mentoring with Doreen" in part
        assert "How is your match going?" in part
    assert "List-Unsubscribe" in sent.extra_headers  # check-ins can be turned off
    notice = Notice.objects.get(user=sam, kind=Notice.Kind.CHECK_IN)  # and in the app, by the same link
    assert notice.text == "How is it going with Doreen? Two minutes to tell us."
    assert f"http://testserver{notice.url}" in sent.body

    clock.shift(16 * DAY)  # day 30: the pulse
    assert services.send_due() == 2
    clock.shift(30 * DAY)  # day 60: the next one (number 2)
    assert services.send_due() == 2
    assert sorted(Round.objects.filter(person=sam, survey__kind="pulse").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_nobody_is_asked_while_away_and_the_end_brings_the_closure_check_in(pair, clock):
    match, sam, doreen, _coordinator, _lead = pair
    set_away(doreen, datetime.date(2026, 5, 22))
    clock.shift(15 * DAY)
    assert services.send_due() == 1
    assert Round.objects.get().person == sam

    close(Match.objects.get(pk=match.pk), sam, reason="completed", rating=5)
    clock.shift(DAY)
    services.send_due()
    assert set(Round.objects.filter(survey__kind="closure").values_list("person", flat=True)) == {sam.pk}
    clock.shift(5 * DAY)  # 25 May: Doreen is back, within the week after the end
    services.send_due()
    assert set(Round.objects.filter(survey__kind="closure").values_list("person", flat=True)) == {sam.pk, doreen.pk}


@pytest.mark.django_db
def test_the_sweep_costs_the_same_queries_however_many_pairs_are_not_due(clock):
    for _ in range(2):
        one_to_one()
    with CaptureQueriesContext(connection) as few:
        services.send_due()
    for _ in range(10):
        one_to_one()
    with CaptureQueriesContext(connection) as many:
        services.send_due()
    assert len(few.captured_queries) == len(many.captured_queries) <= 4


@pytest.mark.django_db
def test_not_a_good_fit_alerts_the_coordinators_and_puts_the_pair_at_risk(client, pair, clock):
    match, sam, _doreen, coordinator, lead = pair
    clock.shift(14 * DAY)
    services.send_due()
    link = link_for(sam)
    check_in = Round.objects.get(person=sam)

    page = client.get(link)
    assert page.status_code == 200 and "So far, is this match a good fit for you?" in page.content.decode()
    response = client.post(link, answers_for(check_in, fit="not_good", safe="yes", text="We never agree on times."))

    assert response.status_code == 200 and "Thank you" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at == T0 + 14 * DAY
    assert Answer.objects.filter(round=check_in).count() == 3
    match.refresh_from_db()
    assert (match.at_risk_reason, match.at_risk_since) == ("check_in", T0 + 14 * DAY)
    alerts = OutboundEmail.objects.filter(template="emails/check_in_alert")
    assert {(row.recipient, row.kind) for row in alerts} == {(coordinator, "coordinator_alert"),
                                                             (lead, "coordinator_alert")}  # fmt: skip
    row = alerts.get(recipient=coordinator)
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    alert = mail.outbox[-1]
    for part in (alert.body, alert.alternatives[0][0]):
        assert "Sam answered “How is your match going?”" in part
        assert "said it is not a good fit" in part
        assert "We never agree on times." not in part  # e-mails never carry what people wrote
        assert "/admin/matching/match/at-risk/" in part

    replay = client.post(link, answers_for(check_in, fit="good"))
    assert replay.status_code == 409
    assert Answer.objects.filter(round=check_in).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "why"),
    [({"safe": "no"}, "answered “no” to “Do you feel safe in this mentoring relationship?”"),
     ({"text": "He asked me to keep our chats secret"}, "wrote something a safeguarding lead should read")],
)  # fmt: skip
def test_a_safety_answer_goes_to_the_safeguarding_lead_alone(client, pair, clock, answers, why):
    _match, sam, _doreen, _coordinator, lead = pair
    clock.shift(14 * DAY)
    services.send_due()
    link = link_for(sam)
    client.post(link, answers_for(Round.objects.get(person=sam), **answers))

    alert = OutboundEmail.objects.get(template="emails/check_in_alert")
    assert (alert.recipient, alert.kind) == (lead, "safeguarding")
    assert delivery.deliver(alert.pk) == OutboundEmail.Status.SENT
    assert why in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "Safeguarding: Sam's check-in needs reading now"


@pytest.mark.django_db
def test_good_answers_alert_nobody(client, pair, clock):
    match, sam, _doreen, _coordinator, _lead = pair
    clock.shift(14 * DAY)
    services.send_due()
    client.post(link_for(sam), answers_for(Round.objects.get(person=sam), fit="good", safe="yes",
                                          text="Great so far, thanks!"))  # fmt: skip
    assert not OutboundEmail.objects.filter(template="emails/check_in_alert").exists()
    match.refresh_from_db()
    assert match.at_risk_since is None


@pytest.mark.django_db
def test_bad_links_and_bad_answers_change_nothing(client, pair, clock):
    _match, sam, _doreen, _coordinator, _lead = pair
    clock.shift(14 * DAY)
    services.send_due()
    link = link_for(sam)
    check_in = Round.objects.get(person=sam)

    wrong = client.post(link, answers_for(check_in, fit="brilliant"))
    assert wrong.status_code == 200 and "Choose one of the answers shown." in wrong.content.decode()
    assert client.get("/check-in/not-a-token/").status_code == 404
    clock.shift(31 * DAY)
    expired = client.post(link, answers_for(check_in, fit="good"))
    assert expired.status_code == 410 and "This check-in has closed" in expired.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at is None and not Answer.objects.exists()


@pytest.mark.django_db
def test_a_programmes_own_check_in_replaces_the_default_and_one_turned_off_sends_none(pair, clock):
    match, _sam, _doreen, _coordinator, _lead = pair
    own = Survey.objects.create(programme=match.programme, kind="fit", title="Our two-week check", days_after_start=7)
    Question.objects.create(survey=own, kind="fit", text="Good fit?")
    Survey.objects.create(programme=match.programme, kind="pulse", title="Off", is_active=False)
    clock.shift(7 * DAY)
    assert services.send_due() == 2
    assert set(Round.objects.values_list("survey", flat=True)) == {own.pk}
    clock.shift(30 * DAY)
    assert services.send_due() == 0  # no pulse in this programme


@pytest.mark.django_db
def test_aggregates_show_only_where_three_people_answered(pair, clock):
    match, sam, doreen, _coordinator, _lead = pair
    pulse = Survey.objects.get(programme=None, kind="pulse")
    first_scale = pulse.questions.filter(kind="scale").first()

    def answered(person, value):
        check_in = Round.objects.create(survey=pulse, match=match, person=person, answered_at=T0)
        Answer.objects.create(round=check_in, question=first_scale, value=value)

    answered(sam, "4")
    answered(doreen, "5")
    assert services.aggregates(match.programme) == []
    assert services.quality(match.programme) == (None, 2)
    answered(UserFactory(), "3")
    (row,) = services.aggregates(match.programme)
    assert (row["people"], row["values"]) == (3, {"3": 1, "4": 1, "5": 1})
    assert services.quality(match.programme) == (4.0, 3)


@pytest.mark.django_db
def test_a_pair_long_past_its_first_weeks_is_not_asked_if_it_is_a_good_fit(clock):
    with time_machine.travel(T0 - 60 * DAY, tick=False):
        one_to_one()  # started 60 days before check-ins were first swept
    assert services.send_due() == 2
    assert set(Round.objects.values_list("survey__kind", "number")) == {("pulse", 2)}


@pytest.mark.django_db
def test_the_alert_says_what_was_found_in_the_coordinators_language_not_the_answerers(client, pair, clock):
    """Sam answers in Spanish; the alert reaches an English coordinator in English and a French lead in French."""
    _match, sam, _doreen, coordinator, lead = pair
    lead.language = "fr"
    lead.save(update_fields=["language"])
    clock.shift(14 * DAY)
    services.send_due()
    client.post(link_for(sam), answers_for(Round.objects.get(person=sam), fit="not_good", safe="yes"),
                HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip

    said = {}
    for row in OutboundEmail.objects.filter(template="emails/check_in_alert"):
        assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
        said[row.recipient] = (mail.outbox[-1].body, mail.outbox[-1].alternatives[0][0])
    for part in said[coordinator]:
        assert "said it is not a good fit" in part and "dijo que no encajan" not in part
    for part in said[lead]:
        assert "a dit que ça ne marche pas" in part and "dijo que no encajan" not in part


@pytest.mark.django_db
def test_the_default_check_in_reads_in_each_readers_language(client, pair, clock):
    """The default check-ins are stored in English (checkins/migrations/0002): Sam reads the two-week one in Spanish,
    in the e-mail and on the page, and the French lead reads its survey and question in French in the alert."""
    _match, sam, _doreen, _coordinator, lead = pair
    for person, language in ((sam, "es"), (lead, "fr")):
        person.language = language
        person.save(update_fields=["language"])
    clock.shift(14 * DAY)
    services.send_due()
    link = link_for(sam)
    for part in (mail.outbox[-1].body, mail.outbox[-1].alternatives[0][0]):
        assert "¿Cómo va tu mentoría?" in part and "How is your match going?" not in part
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Dos semanas después: una primera mirada a cómo va." in page
    assert "¿Te sientes seguro o segura en esta relación de mentoría?" in page
    assert "Do you feel safe" not in page

    client.post(link, answers_for(Round.objects.get(person=sam), safe="no"), HTTP_ACCEPT_LANGUAGE="es")
    row = OutboundEmail.objects.get(template="emails/check_in_alert", recipient=lead)
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    for part in (mail.outbox[-1].body, mail.outbox[-1].alternatives[0][0]):
        assert "Comment se passe votre binôme ?" in part
        assert "Vous sentez-vous en sécurité dans cette relation de mentorat ?" in part
        assert "Do you feel safe" not in part and "¿Te sientes" not in part
