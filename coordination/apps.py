from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# What a programme coordinator may do in the admin; every page also limits them to their programmes.
COORDINATOR_PERMISSIONS = {
    "accounts": {"user": ["view"], "outboundemail": ["view"], "reviewedtext": ["view"]},
    "screening": {"checktype": ["view", "add"], "check": ["view", "add", "change"]},
    "training": {
        "module": ["view", "add", "change"],
        "question": ["view", "add", "change", "delete"],
        "choice": ["view", "add", "change", "delete"],
        "attempt": ["view"],
    },
    "consent": {"guardianconsent": ["view"]},
    "matching": {
        "topic": ["view", "add", "change"],
        "programme": ["view", "change"],
        "enrolmentquestion": ["view", "add", "change", "delete"],
        "requiredcheck": ["view", "add", "change", "delete"],
        "requiredtraining": ["view", "add", "change", "delete"],
        "programmecoordinator": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change"],
        "invitation": ["view", "add"],
        "joincode": ["view", "add", "change"],
        "match": ["view", "change"],
        "goal": ["view"],
        "matchnote": ["view"],
    },
    "agreements": {"agreement": ["view"], "signature": ["view"]},
    "guides": {"guide": ["view", "add", "change"], "prompt": ["view", "add", "change", "delete"]},
    # Meetings are the pairs' own: coordinators see them, approve meetings in person, and set the policy.
    "meetings": {"meeting": ["view", "change"], "meetingpolicy": ["view", "add", "change"]},
    "checkins": {
        "survey": ["view", "add", "change"],
        "question": ["view", "add", "change", "delete"],
        "round": ["view"],
        "answer": ["view"],
    },
    "messaging": {
        "moderationitem": ["view"],
        "concern": ["view", "change"],
        "moderationpolicy": ["view", "add", "change"],
        "messagingpolicy": ["view", "add", "change"],
        "announcement": ["view", "add"],
        "supportconversation": ["view"],
        "receivedemail": ["view"],
    },
}


def ensure_coordinators_group(app_config, **kwargs):
    if app_config.label != "coordination":  # the last of our apps to migrate: every permission exists
        return
    from django.contrib.auth.models import Group, Permission

    from matching.permissions import COORDINATORS_GROUP

    group, _created = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    wanted = Q()
    for app_label, models in COORDINATOR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    group.permissions.set(Permission.objects.filter(wanted))


class CoordinationConfig(AppConfig):
    """The coordinators' workplace: the admin, dashboards, audited access, CSV and data rights. The top
    floor: the one app that may import every other."""

    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        post_migrate.connect(ensure_coordinators_group, sender=self)
