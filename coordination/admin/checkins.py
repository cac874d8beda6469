"""Check-ins as coordinators keep them: their programmes' own surveys (the platform's defaults are a
superuser's), and every answer, read-only, limited to their programmes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from checkins.forms import CHOICES
from checkins.models import Answer, Question, Round, Survey
from coordination.scoping import ProgrammeScopedAdminMixin

from .read_only import ReadOnlyAdminMixin


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ("position", "kind", "text", "quality")


@admin.register(Survey)
class SurveyAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "programme", "kind", "audience", "days_after_start", "is_active")
    list_filter = ("kind", "audience", "is_active")
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("question", "answer", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("answer"))
    def answer(self, answer):
        return dict(CHOICES.get(answer.question.kind, [])).get(answer.value, answer.value)


@admin.register(Round)
class RoundAdmin(ReadOnlyAdminMixin, ProgrammeScopedAdminMixin, admin.ModelAdmin):
    """Who was asked what, and what they answered: a record, never edited."""

    programme_path = "match__programme"
    list_display = ("survey", "person", "match", "created_at", "answered_at")
    list_filter = ("survey__kind", ("answered_at", admin.EmptyFieldListFilter))
    list_select_related = ("survey", "person", "match__programme")
    fields = ("survey", "person", "match", "number", "created_at", "answered_at")
    readonly_fields = fields
    inlines = [AnswerInline]
