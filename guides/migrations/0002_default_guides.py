"""The two default conversation guides. Coordinators link them to their programmes (or write their own)."""

from django.db import migrations

GUIDES = {
    "University access": ("Twelve weeks of starters for mentees applying to university and their mentors.", [
        "Introduce yourselves: what are you studying, or hoping to study, and why?",
        "A subject or topic you could talk about for an hour without notes.",
        "What does a good week of studying look like for you?",
        "Courses and places: what matters most to you in choosing?",
        "A time you changed your mind about something important.",
        "Personal statements: what do you want a reader to remember about you?",
        "Something you found hard at school, and how you got through it.",
        "Money, housing and the practical side of university: what do you want to know?",
        "Interviews and admissions tests: what would help you feel ready?",
        "Who else can support you: teachers, family, friends, services?",
        "Looking back at your first messages: what has changed since?",
        "Your plan for the next three months, and how you will keep going.",
    ]),
    "Career mentoring": ("Twelve weeks of starters for early-career mentees and their mentors.", [
        "Introduce yourselves: the path that brought you here.",
        "What would make these months of mentoring worth it for you?",
        "A piece of work you are proud of, and why.",
        "Strengths: what do people come to you for?",
        "A time you changed your mind about your career.",
        "Networking without dread: one conversation you could have this month.",
        "Feedback you received that stung, and what you did with it.",
        "CVs and applications: what would a reader learn in ten seconds?",
        "Interviews: a question you fear, and how you might answer it.",
        "Balancing work, learning and the rest of life.",
        "Looking back at your first messages: what has changed since?",
        "Your next step, and the first small action towards it.",
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
