"""The platform's default check-ins, used by every programme that has none of its own of a kind.

The pulse's scale questions make a relationship-quality score, in the spirit of the published
youth-mentoring relationship scales (closeness, trust, being heard, usefulness), in our own words.
Rows are found by (kind, audience) and left alone if a superuser has changed them.

Each text a person reads is marked with gettext_noop: stored as written here, in English, and shown in
the reader's language by ui.content.in_reader_language (an edited text is shown as the coordinator wrote it).
"""

from django.db import migrations
from django.utils.translation import gettext_noop

SURVEYS = [
    ("fit", 14, gettext_noop("How is your match going?"), gettext_noop("Two weeks in: a first look at how it is going."), [
        ("fit", gettext_noop("So far, is this match a good fit for you?"), False),
        ("safe", gettext_noop("Do you feel safe in this mentoring relationship?"), False),
        ("text", gettext_noop("Anything you would like your coordinator to know?"), False),
    ]),
    ("pulse", 30, gettext_noop("Your monthly check-in"), gettext_noop("Four taps about the last month."), [
        ("scale", gettext_noop("I look forward to our conversations."), True),
        ("scale", gettext_noop("I feel listened to and understood."), True),
        ("scale", gettext_noop("I can be honest about how things are going."), True),
        ("scale", gettext_noop("Our conversations help me with what matters to me."), True),
        ("safe", gettext_noop("Do you feel safe in this mentoring relationship?"), False),
        ("text", gettext_noop("Anything you would like your coordinator to know?"), False),
    ]),
    ("closure", 14, gettext_noop("Looking back on your mentoring"), gettext_noop("Your answers help the next pairs."), [
        ("scale", gettext_noop("How useful was this mentoring for you?"), False),
        ("scale", gettext_noop("How likely are you to recommend this programme to a friend?"), False),
        ("text", gettext_noop("What made the most difference, or what would have helped?"), False),
    ]),
]  # fmt: skip


def create(apps, schema_editor):
    Survey = apps.get_model("checkins", "Survey")
    Question = apps.get_model("checkins", "Question")
    for kind, days, title, intro, questions in SURVEYS:
        if Survey.objects.filter(programme=None, kind=kind, audience="everyone").exists():
            continue
        survey = Survey.objects.create(kind=kind, audience="everyone", title=title, intro=intro,
                                       days_after_start=days)  # fmt: skip
        for position, (question_kind, text, quality) in enumerate(questions):
            Question.objects.create(survey=survey, kind=question_kind, text=text, quality=quality, position=position)


class Migration(migrations.Migration):
    dependencies = [("checkins", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
