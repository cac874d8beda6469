"""The two default conversation guides. Coordinators link them to their programmes (or write their own).

Each text a person reads is marked with gettext_noop: stored as written here, in English, and shown in
the reader's language by ui.content.in_reader_language (an edited text is shown as the coordinator wrote it).
"""

from django.db import migrations
from django.utils.translation import gettext_noop

GUIDES = {
    gettext_noop("University access"): (gettext_noop("Twelve weeks of starters for mentees applying to university and their mentors."), [
        gettext_noop("Introduce yourselves: what are you studying, or hoping to study, and why?"),
        gettext_noop("A subject or topic you could talk about for an hour without notes."),
        gettext_noop("What does a good week of studying look like for you?"),
        gettext_noop("Courses and places: what matters most to you in choosing?"),
        gettext_noop("A time you changed your mind about something important."),
        gettext_noop("Personal statements: what do you want a reader to remember about you?"),
        gettext_noop("Something you found hard at school, and how you got through it."),
        gettext_noop("Money, housing and the practical side of university: what do you want to know?"),
        gettext_noop("Interviews and admissions tests: what would help you feel ready?"),
        gettext_noop("Who else can support you: teachers, family, friends, services?"),
        gettext_noop("Looking back at your first messages: what has changed since?"),
        gettext_noop("Your plan for the next three months, and how you will keep going."),
    ]),
    gettext_noop("Career mentoring"): (gettext_noop("Twelve weeks of starters for early-career mentees and their mentors."), [
        gettext_noop("Introduce yourselves: the path that brought you here."),
        gettext_noop("What would make these months of mentoring worth it for you?"),
        gettext_noop("A piece of work you are proud of, and why."),
        gettext_noop("Strengths: what do people come to you for?"),
        gettext_noop("A time you changed your mind about your career."),
        gettext_noop("Networking without dread: one conversation you could have this month."),
        gettext_noop("Feedback you received that stung, and what you did with it."),
        gettext_noop("CVs and applications: what would a reader learn in ten seconds?"),
        gettext_noop("Interviews: a question you fear, and how you might answer it."),
        gettext_noop("Balancing work, learning and the rest of life."),
        gettext_noop("Looking back at your first messages: what has changed since?"),
        gettext_noop("Your next step, and the first small action towards it."),
    ]),
}


def create(apps, schema_editor):
    Guide = apps.get_model("guides", "Guide")
    Prompt = apps.get_model("guides", "Prompt")
    for name, (description, prompts) in GUIDES.items():
        guide, created = Guide.objects.get_or_create(name=name, defaults={"description": description})
        if created:
            Prompt.objects.bulk_create(Prompt(guide=guide, week=week, text=text) for week, text in enumerate(prompts, 1))


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
