"""Conversation guides as coordinators keep them. A guide is shared (like a training module): a
coordinator edits one only if no programme they do not coordinate uses it. Which guides a programme
uses is chosen on the programme's page (GuideLinkInline), so linking never touches anyone else's."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordination.scoping import ScopedChoicesMixin
from guides.models import Guide, Prompt
from matching.permissions import coordinated_programmes


def _others(request, guide: Guide) -> set[int]:
    """The programmes using this guide that the viewer does not coordinate."""
    mine = set(coordinated_programmes(request.user).values_list("pk", flat=True))
    return set(guide.programmes.values_list("pk", flat=True)) - mine


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 1
    fields = ("week", "text", "starter")


@admin.register(Guide)
class GuideAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ("name", "description", "is_active")
    fields = ("name", "description", "is_active")
    inlines = [PromptInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.is_superuser or not _others(request, obj))


class GuideLinkInline(ScopedChoicesMixin, admin.TabularInline):
    """On the programme's page: the conversation guides its pairs see."""

    model = Guide.programmes.through
    extra = 1
    verbose_name = _("conversation guide")
    verbose_name_plural = _("conversation guides")
