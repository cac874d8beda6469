"""Taking a module: read the text, answer its questions (or confirm), and the pass is recorded with the
version read. The default modules are there on a fresh database."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from training import services
from training.models import Attempt, Module


def right_answers(module: Module, *, wrong: int = 0) -> dict:
    data = {}
    for index, question in enumerate(module.questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        pick = (
            next(c for c in choices if c.is_correct) if index >= wrong else next(c for c in choices if not c.is_correct)
        )
        data[f"q{question.pk}"] = str(pick.pk)
    return data


@pytest.mark.django_db
def test_the_default_modules_cover_mentors_and_mentees_and_each_quiz_can_be_passed():
    modules = {m.slug: m for m in Module.objects.all()}
    mentors = {slug for slug, m in modules.items() if m.audience == "mentor"}
    mentees = {slug for slug, m in modules.items() if m.audience == "mentee"}
    assert mentors == {"answering-in-time", "tone-in-writing", "contact-on-the-platform", "disclosures"}
    assert mentees == {"what-to-expect", "staying-safe", "asking-for-help", "reflection-time"}
    for module in modules.values():
        assert len(module.body) > 600
        if module.kind == Module.Kind.QUIZ:
            questions = list(module.questions.prefetch_related("choices"))
            assert len(questions) >= 2
            assert all(sum(c.is_correct for c in q.choices.all()) == 1 for q in questions)
            answers = {int(k[1:]): int(v) for k, v in right_answers(module).items()}
            assert services.score(module, answers) == 100
            assert services.score(module, {}) < module.pass_mark


@pytest.mark.django_db
def test_a_mentor_passes_a_quiz_and_the_version_read_is_recorded(client):
    person = UserFactory()
    client.force_login(person)
    module = Module.objects.get(slug="answering-in-time")
    url = reverse("training:module", args=[module.slug])
    page = client.get(url).content.decode()
    assert "<h2>Why it matters</h2>" in page  # the Markdown is rendered
    assert module.questions.first().text in page

    failed = client.post(url, right_answers(module, wrong=2))
    assert failed.status_code == 200
    assert [q.pk for q in failed.context["wrong"]] == [q.pk for q in module.questions.all()[:2]]
    assert services.completed(person.pk, module) is None

    passed = client.post(url, {**right_answers(module), "next": "/programmes/"})
    assert passed.status_code == 302 and passed["Location"] == "/programmes/"
    attempt = services.completed(person.pk, module)
    assert (attempt.version, attempt.score, attempt.passed) == (1, 100, True)
    assert Attempt.objects.filter(person=person, module=module).count() == 2


@pytest.mark.django_db
def test_an_acknowledgement_needs_the_box_ticked(client):
    person = UserFactory()
    client.force_login(person)
    module = Module.objects.get(slug="what-to-expect")
    url = reverse("training:module", args=[module.slug])

    unticked = client.post(url, {})
    assert "Tick the box to confirm you have read this." in unticked.content.decode()
    assert not Attempt.objects.exists()
    assert client.post(url, {"confirmed": "on"}).status_code == 302
    assert services.completed(person.pk, module).passed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "posted",
    [{"next": "https://evil.example/"}, {"next": "//evil.example/"}, {"q0": "abc"}, {"q999999999999999999999": "1"}],
)
def test_bad_answers_and_foreign_redirects_are_refused_plainly(client, posted):
    client.force_login(UserFactory())
    module = Module.objects.get(slug="disclosures")
    response = client.post(reverse("training:module", args=[module.slug]), {**right_answers(module), **posted})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("training:index")


@pytest.mark.django_db
def test_a_new_version_asked_again_stops_earlier_passes_counting():
    person = UserFactory()
    module = Module.objects.get(slug="disclosures")
    services.submit(person, module, answers={int(k[1:]): int(v) for k, v in right_answers(module).items()})
    assert module.pk in services.completed_module_ids(person.pk)

    services.save_edited(module, changed=True, ask_everyone_again=False)
    assert (module.version, module.minimum_version) == (2, 1)
    assert module.pk in services.completed_module_ids(person.pk)  # a typo fixed: passes still count
    services.save_edited(module, changed=True, ask_everyone_again=True)
    assert (module.version, module.minimum_version) == (3, 3)
    assert module.pk not in services.completed_module_ids(person.pk)


@pytest.mark.django_db
def test_an_inactive_or_unknown_module_is_a_styled_404(client):
    client.force_login(UserFactory())
    Module.objects.filter(slug="disclosures").update(is_active=False)
    for slug in ("disclosures", "no-such-module"):
        response = client.get(reverse("training:module", args=[slug]))
        assert response.status_code == 404


@pytest.mark.django_db
def test_a_default_module_reads_in_the_persons_language_and_an_edited_one_as_written(client):
    """The default modules are stored in English (training/migrations/0002) and shown in the reader's language:
    text, questions, answers and the message on passing. A module a coordinator rewrote is shown as they wrote it."""
    person = UserFactory(language="es")
    client.force_login(person)
    module = Module.objects.get(slug="staying-safe")
    url = reverse("training:module", args=[module.slug])
    page = client.get(url).content.decode()
    assert "<h1" in page and "Mantenerse a salvo</h1>" in page
    assert "<h2>Mantenlo aquí</h2>" in page and "Keep it here" not in page
    assert "Tu mentor te pide tu número de teléfono para hablar más fácilmente. ¿Qué haces?" in page
    assert "Decir que el programa mantiene el contacto aquí, y decírselo a mi coordinador" in page
    assert "Enviárselo" in page and "Send it" not in page
    passed = client.post(url, right_answers(module), follow=True)
    assert "Bien hecho: has completado «Mantenerse a salvo»." in passed.content.decode()
    assert Module.objects.get(pk=module.pk).title == "Staying safe"  # what is stored never changes language

    Module.objects.filter(pk=module.pk).update(title="Staying safe with us", body="## Our own words\n\nKeep it here.")
    page = client.get(url).content.decode()
    assert "Staying safe with us</h1>" in page and "<h2>Our own words</h2>" in page
