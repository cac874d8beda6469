"""Taking a module, and what the floors above ask of the records."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from accounts.models import User

from .models import Attempt, Module


def score(module: Module, answers: dict[int, int]) -> int:
    """The share of the module's questions answered right, in whole per cent (rounded down)."""
    questions = list(module.questions.prefetch_related("choices"))
    if not questions:
        return 100
    right = sum(
        1
        for question in questions
        if any(choice.is_correct and choice.pk == answers.get(question.pk) for choice in question.choices.all())
    )
    return right * 100 // len(questions)


def submit(person: User, module: Module, *, answers: dict[int, int] | None = None, confirmed: bool = False) -> Attempt:
    """Record an attempt at the module's current version: a quiz passes at its pass mark, an
    acknowledgement when the person confirms."""
    with transaction.atomic():
        # The person's row first, as matching locks it before deciding a match (see screening.services).
        User.objects.select_for_update().filter(pk=person.pk).first()
        module = Module.objects.get(pk=module.pk)
        if module.kind == Module.Kind.ACKNOWLEDGEMENT:
            result, passed = None, bool(confirmed)
        else:
            result = score(module, answers or {})
            passed = result >= module.pass_mark
        return Attempt.objects.create(person=person, module=module, version=module.version, score=result, passed=passed)


def completed(person_id: int, module: Module) -> Attempt | None:
    """The attempt that counts for the person, if any: their latest pass at a version still counted."""
    return Attempt.objects.counting().filter(person_id=person_id, module=module).select_related("module").first()


def completed_module_ids(person_id: int) -> set[int]:
    return set(Attempt.objects.counting().filter(person_id=person_id).values_list("module_id", flat=True))


def save_edited(module: Module, *, changed: bool, ask_everyone_again: bool) -> Module:
    """After an edit in the admin: a change of text, questions or pass mark is a new version; asked
    to, earlier completions stop counting (people read the new version and answer again)."""
    if module.pk and changed:
        Module.objects.filter(pk=module.pk).update(version=F("version") + 1)
        module.refresh_from_db(fields=["version"])
    if ask_everyone_again:
        Module.objects.filter(pk=module.pk).update(minimum_version=module.version)
        module.refresh_from_db(fields=["minimum_version"])
    return module


def forget(person_id: int) -> int:
    return Attempt.objects.filter(person_id=person_id).delete()[0]


def of_person(person_id: int) -> list[dict]:
    return [
        {"module": a.module.title, "version": a.version, "score": a.score, "passed": a.passed, "at": a.at.isoformat()}
        for a in Attempt.objects.filter(person_id=person_id).select_related("module")
    ]
