from urllib.parse import urlsplit

from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_migrate


def sync_site_with_site_url(app_config, **kwargs):
    """Keep django.contrib.sites' record in step with SITE_URL: allauth names the site in e-mails."""
    if app_config.label != "sites":
        return
    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    Site.objects.update_or_create(id=settings.SITE_ID, defaults={"domain": domain, "name": "Mentoring"})


# What a programme coordinator may do in the admin; every page also limits them to their programmes.
COORDINATOR_PERMISSIONS = {
    "accounts": {"user": ["view"], "outboundemail": ["view"], "reviewedtext": ["view"]},
    "matching": {
        "topic": ["view", "add", "change"],
        "programme": ["view", "change"],
        "programmecoordinator": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change"],
        "invitation": ["view", "add"],
        "match": ["view", "change"],
        "goal": ["view"],
    },
    "messaging": {
        "moderationitem": ["view"],
        "concern": ["view", "change"],
        "moderationpolicy": ["view", "add", "change"],
    },
}


def ensure_coordinators_group(app_config, **kwargs):
    if app_config.label != "messaging":  # the last of our apps to migrate: every permission exists
        return
    from django.contrib.auth.models import Group, Permission

    from matching.permissions import COORDINATORS_GROUP

    group, _created = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    wanted = Q()
    for app_label, models in COORDINATOR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    group.permissions.set(Permission.objects.filter(wanted))


class MentoringConfig(AppConfig):
    """The project package, installed so that it can hold the commands that span every app."""

    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self):
        # Our package has no models, so listen for the sites app's own post_migrate.
        post_migrate.connect(sync_site_with_site_url)
        post_migrate.connect(ensure_coordinators_group)
