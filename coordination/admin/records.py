"""Person-level records as coordinators keep them: screening checks, training modules and who completed
them, and guardians' consents. A coordinator sees the records of the people of their programmes only,
and picks only those people."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consent.models import GuardianConsent
from matching import guardians
from matching.models import Membership, RequiredTraining
from matching.permissions import coordinated_programmes, people_of
from matching.readiness import CONSENT_PURPOSE
from screening import services as screening
from screening.models import Check, CheckType
from training import services as training
from training.models import Attempt, Choice, Module, Question

from ..scoping import ScopedChoicesMixin


class PeopleScopedAdminMixin(ScopedChoicesMixin):
    """Rows about a person, limited to the people of the viewer's programmes (`person_path` leads to them)."""

    person_path = "person"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.person_path}__in": people_of(request.user).values("pk")})


@admin.register(CheckType)
class CheckTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_for_months")
    search_fields = ("name",)


class CheckForm(forms.ModelForm):
    class Meta:
        model = Check
        fields = ("person", "check_type", "outcome", "evidence_reference", "verified_on", "expires_on", "notes")
        widgets = {
            "verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"expires_on": _("Leave empty to use the kind of check's validity.")}

    def clean(self):
        cleaned = super().clean()
        try:
            screening.validate(Check(**{name: cleaned.get(name) for name in ("outcome", "verified_on", "expires_on")}))
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(Check)
class CheckAdmin(PeopleScopedAdminMixin, admin.ModelAdmin):
    form = CheckForm
    list_display = ("person", "check_type", "outcome", "verified_on", "expires_on", "verified_by")
    list_filter = ("outcome", "check_type")
    search_fields = ("person__display_name", "person__email", "evidence_reference")
    list_select_related = ("person", "check_type", "verified_by")
    autocomplete_fields = ("person",)
    date_hierarchy = "expires_on"

    def save_model(self, request, obj, form, change):
        screening.record(obj, by=request.user)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 3
    fields = ("text", "is_correct", "position")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "module", "position")
    list_filter = ("module",)
    inlines = [ChoiceInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _may_edit(request, obj.module))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            training.save_edited(form.instance.module, changed=True, ask_everyone_again=False)


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = ("text", "explanation", "position")
    show_change_link = True  # its answers are edited on the question's own page


# What a person reads and answers: a change to any of these is a new version of the module.
VERSIONED_FIELDS = ("body", "pass_mark", "kind", "confirmation")


def _same_text(value) -> str:
    """Browsers post a textarea with CRLF line ends and Django strips it: compare what a person reads."""
    return str(value).replace("\r\n", "\n").strip()


class ModuleForm(forms.ModelForm):
    ask_everyone_again = forms.BooleanField(
        label=_("Ask everyone to complete this version again"),
        required=False,
        help_text=_("Completions of earlier versions stop counting: people read the new text and answer again."),
    )

    class Meta:
        model = Module
        fields = ("title", "slug", "audience", "summary", "body", "kind", "pass_mark", "confirmation", "minutes",
                  "position", "is_active")  # fmt: skip


def _may_edit(request, module: Module) -> bool:
    """A module is shared: a coordinator edits it only if no programme they do not coordinate requires it."""
    if request.user.is_superuser:
        return True
    others = RequiredTraining.objects.filter(module=module).exclude(
        programme__in=coordinated_programmes(request.user).values("pk")
    )
    return not others.exists()


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    form = ModuleForm
    list_display = ("title", "audience", "kind", "version", "pass_mark", "is_active", "completions")
    list_filter = ("audience", "kind", "is_active")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("version", "minimum_version")
    inlines = [QuestionInline]

    @admin.display(description=_("completed by"))
    def completions(self, module):
        return Attempt.objects.counting().filter(module=module).values("person").distinct().count()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _may_edit(request, obj))

    def save_model(self, request, obj, form, change):
        # form.changed_data calls a body "changed" when only its line ends or a final newline differ.
        before = Module.objects.filter(pk=obj.pk).values(*VERSIONED_FIELDS).first() if change else None
        form.content_changed = before is not None and any(
            _same_text(before[name]) != _same_text(getattr(obj, name)) for name in VERSIONED_FIELDS
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        edited = change and (form.content_changed or any(formset.has_changed() for formset in formsets))
        training.save_edited(form.instance, changed=edited, ask_everyone_again=form.cleaned_data["ask_everyone_again"])


@admin.register(Attempt)
class AttemptAdmin(PeopleScopedAdminMixin, admin.ModelAdmin):
    """Who completed what, and which version: a record, not edited."""

    list_display = ("person", "module", "version", "score", "passed", "at")
    list_filter = ("passed", "module")
    search_fields = ("person__display_name", "person__email")
    list_select_related = ("person", "module")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuardianConsent)
class GuardianConsentAdmin(PeopleScopedAdminMixin, admin.ModelAdmin):
    """What each guardian was asked, told and answered. Answers come only from the guardian's own links."""

    list_display = ("person", "guardian_email", "status", "requested_at", "answered_at", "withdrawn_at")
    list_filter = ("status",)
    search_fields = ("person__display_name", "person__email", "guardian_email")
    list_select_related = ("person",)
    readonly_fields = ("person", "purpose", "purpose_id", "guardian_name", "guardian_email", "status", "explained",
                       "requested_at", "requests_sent", "answered_at", "withdrawn_at")  # fmt: skip
    actions = ["ask_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("E-mail the guardian again"))
    def ask_again(self, request, queryset):
        asked = 0
        for consent in queryset.filter(
            purpose=CONSENT_PURPOSE, status__in=[GuardianConsent.Status.REQUESTED, GuardianConsent.Status.DECLINED]
        ):
            membership = Membership.objects.select_related("user", "programme").filter(pk=consent.purpose_id).first()
            if membership is not None:
                guardians.ask(membership, consent.guardian_email, consent.guardian_name)
                asked += 1
        self.message_user(request, _("%(count)d guardian(s) e-mailed again.") % {"count": asked}, messages.SUCCESS)
