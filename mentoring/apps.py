from urllib.parse import urlsplit

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_site_with_site_url(app_config, **kwargs):
    """Keep django.contrib.sites' record in step with SITE_URL: allauth names the site in e-mails."""
    if app_config.label != "sites":
        return
    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    Site.objects.update_or_create(id=settings.SITE_ID, defaults={"domain": domain, "name": settings.PLATFORM_NAME})


class MentoringConfig(AppConfig):
    """The project package: wiring (settings, URLs, the Celery app, health) and `make run`'s preflight."""

    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self):
        # Our package has no models, so listen for the sites app's own post_migrate.
        post_migrate.connect(sync_site_with_site_url)
