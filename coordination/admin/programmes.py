"""Programmes, enrolments, invitations and matches as coordinators run them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.emails import absolute_url
from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line
from agreements.models import Agreement
from coordination.csv_export import csv_response
from coordination.dashboard import engagement
from coordination.scoping import ProgrammeScopedAdminMixin, ScopedChoicesMixin
from matching import invitation_files, invitations, join_codes, services, waitlist
from matching.models import (
    EnrolmentQuestion,
    Goal,
    Invitation,
    InvitationList,
    JoinCode,
    Match,
    MatchMember,
    MatchNote,
    Membership,
    Programme,
    ProgrammeCoordinator,
    RequiredCheck,
    RequiredTraining,
    Role,
    Topic,
)
from matching.permissions import coordinated_programmes, leads_safeguarding, people_of
from matching.readiness import matchable_q, readiness
from matching.scoring import Weights, weights_of
from matching.selectors import rank_mentors
from messaging import support
from messaging.models import ConversationAccess, MessagingPolicy
from messaging.services import MessagingError

from ..selectors import with_activity
from .conversations import record_access
from .groups import GroupMembersMixin, form_group
from .guides import GuideLinkInline
from .meetings import MeetingPolicyInline


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class MessagingPolicyInline(admin.StackedInline):
    """Messaging's policy for the programme (replies, reminders, e-mail text, retention), on its page."""

    model = MessagingPolicy
    can_delete = False
    max_num = 1
    min_num = 1


class CoordinatorInline(ScopedChoicesMixin, admin.TabularInline):
    model = ProgrammeCoordinator
    extra = 0
    autocomplete_fields = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            # Coordinators are staff: a coordinator cannot make a mentee of theirs a coordinator.
            field.queryset = people_of(request.user).filter(is_staff=True)
        return field


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "status", "capacity", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    show_change_link = True


class RequiredCheckInline(admin.TabularInline):
    model = RequiredCheck
    extra = 1
    verbose_name_plural = _("checks required before matching")


class RequiredTrainingInline(admin.TabularInline):
    model = RequiredTraining
    extra = 1
    verbose_name_plural = _("training required before matching")


class ChoicesField(forms.CharField):
    """The choices of a question, one per line (a choice may well contain a comma)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 30})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [" ".join(line.split()) for line in (value or "").splitlines()]
        return list(dict.fromkeys(line[:100] for line in lines if line))


class EnrolmentQuestionForm(forms.ModelForm):
    choices = ChoicesField(label=_("choices (one per line)"), required=False)

    class Meta:
        model = EnrolmentQuestion
        fields = ("order", "text", "role", "kind", "choices", "required", "rule", "weight")

    def clean(self):
        cleaned = super().clean()
        kind, choices = cleaned.get("kind"), cleaned.get("choices") or []
        if kind in {"single", "multiple"} and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        if kind in {"scale", "text"}:
            cleaned["choices"] = []
        if kind == "text" and cleaned.get("rule") in {"overlap", "different"}:
            self.add_error("rule", _("A short text can only be matched when the answers are the same."))
        # Everyone who enrols reads the question and its choices (and a mentor reads a shared choice in
        # the reasons): one line each, and no contact details, as with an announcement's subject.
        programme = getattr(self.instance, "programme", None)
        policies = policies_for(programme=programme if programme is not None and programme.pk else None)
        for name, texts in (("text", [cleaned.get("text") or ""]), ("choices", cleaned.get("choices") or [])):
            try:
                for text in texts:
                    validate_single_line(text)
                    refuse_contact_details(text, policies)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class EnrolmentQuestionInline(admin.StackedInline):
    model = EnrolmentQuestion
    form = EnrolmentQuestionForm
    extra = 0
    verbose_name_plural = _("questions at enrolment (and in matching)")


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    programme_path = "pk"
    list_display = ("name", "format", "is_active", "enrolment_open", "starts_on", "ends_on", "dashboard_link")
    list_filter = ("is_active", "format", "enrolment_open")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("topics",)
    inlines = [
        MessagingPolicyInline,
        MeetingPolicyInline,
        RequiredCheckInline,
        RequiredTrainingInline,
        EnrolmentQuestionInline,
        GuideLinkInline,
        CoordinatorInline,
        MembershipInline,
    ]
    actions = ["run_automatch"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "agreement", "format", "topics")}),
        (_("Dates"), {"fields": ("starts_on", "ends_on", "is_active", "enrolment_open")}),
        (_("Safeguarding"), {"fields": ("for_young_people", "consent_age")}),
        (_("Reporting"), {"fields": ("match_rate_target", "timezone")}),
        (
            _("Matching"),
            {
                "fields": (
                    "mentee_requests_enabled",
                    "coordinator_matching_enabled",
                    "automatic_matching_enabled",
                    "enrolment_requires_approval",
                    "default_mentor_capacity",
                    "request_expiry_days",
                )
            },
        ),
        (
            _("Matching weights"),
            {
                "fields": ("topic_weight", "language_weight", "time_weight"),
                "description": _(
                    "How much each part of a pair's fit counts; the questions at enrolment add "
                    "their own weights, and the total is scaled to 100. “Preview the weights” on "
                    "the programme list shows how the top suggestions would change."
                ),
            },
        ),
    )

    @admin.action(description=_("Run automatic matching (creates proposals to approve)"))
    def run_automatch(self, request, queryset):
        for programme in queryset:
            if not programme.automatic_matching_enabled:
                self.message_user(request, _("%(p)s: automatic matching is off.") % {"p": programme}, messages.WARNING)
                continue
            report = services.run_automatch(programme, apply=True, by=request.user)
            self.message_user(
                request,
                _("%(p)s: %(n)d proposals created (mean score %(mean).1f; greedy would match %(g)d, mean %(gmean).1f).")
                % {
                    "p": programme,
                    "n": report.proposals_created,
                    "mean": report.ours.mean,
                    "g": report.greedy.count,
                    "gmean": report.greedy.mean,
                },
                messages.SUCCESS,
            )

    @admin.display(description=_("engagement"))
    def dashboard_link(self, programme):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:programme_dashboard", args=[programme.pk]), _("Dashboard"),
            reverse("admin:programme_weights_preview", args=[programme.pk]), _("Preview the weights"),
        )  # fmt: skip

    def get_urls(self):
        return [
            path(
                "<int:programme_id>/dashboard/", self.admin_site.admin_view(self.dashboard), name="programme_dashboard"
            ),
            path(
                "<int:programme_id>/weights-preview/",
                self.admin_site.admin_view(self.weights_preview),
                name="programme_weights_preview",
            ),
            path(
                "<int:programme_id>/waiting-list/",
                self.admin_site.admin_view(self.waiting_list),
                name="programme_waiting_list",
            ),
            path(
                "<int:programme_id>/dashboard.csv",
                self.admin_site.admin_view(self.dashboard_csv),
                name="programme_dashboard_csv",
            ),
            *super().get_urls(),
        ]

    def dashboard(self, request, programme_id):
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Engagement: %(name)s") % {"name": programme.name},
            "figures": engagement(programme),
            "status_labels": dict(Match.Status.choices),
            "reason_labels": dict(Match.CloseReason.choices),
        }
        return render(request, "admin/coordination/dashboard.html", context)

    def weights_preview(self, request, programme_id):
        """Other weights, tried before they are saved: each waiting mentee's top three now and with them."""
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        form = WeightsForm(request.GET or None, initial=vars(weights_of(programme)))
        rows = []
        if form.is_valid():
            proposed = Weights(**form.cleaned_data)
            mentors = Membership.objects.filter(programme=programme, role=Role.MENTOR).matchable().not_away()
            for mentee in waitlist.queue(programme).select_related("programme", "user")[:PREVIEW_MENTEES]:
                now = [s for s in rank_mentors(mentee, mentors).suggestions if not s.fit.excluded][:3]
                then = [s for s in rank_mentors(mentee, mentors, proposed).suggestions if not s.fit.excluded][:3]
                changed = [s.mentor.membership_id for s in now] != [s.mentor.membership_id for s in then]
                rows.append({"mentee": mentee, "now": now, "then": then, "changed": changed})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview the weights: %(name)s") % {"name": programme.name},
            "programme": programme,
            "form": form,
            "rows": rows,
        }
        return render(request, "admin/coordination/weights_preview.html", context)

    def waiting_list(self, request, programme_id):
        """Mentees ready to be matched whom nothing holds, oldest first (matching.waitlist)."""
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        now = timezone.now()
        waiting = [
            {"place": place, "membership": m, "days": (now - m.waiting_since).days}
            for place, m in enumerate(waitlist.queue(programme).select_related("user")[:500], start=1)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Waiting list: %(name)s") % {"name": programme.name},
            "programme": programme,
            "waiting": waiting,
            "mentors_with_room": waitlist.mentors_with_room(programme),
        }
        return render(request, "admin/coordination/waiting_list.html", context)

    def dashboard_csv(self, request, programme_id):
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        figures = engagement(programme)
        statuses, reasons = dict(Match.Status.choices), dict(Match.CloseReason.choices)  # in words, as the admin
        rows = [
            ["approved mentees", figures.approved_mentees],
            ["mentees with a current match", figures.matched_mentees],
            ["match rate %", figures.match_rate],
            ["match rate target %", programme.match_rate_target],
            ["median reply hours", figures.median_reply_hours],
            ["replies within expectation %", figures.replies_within_expectation],
            ["average closing rating", figures.average_rating],
            *[[f"matches {statuses.get(status, status)}", n]
              for status, n in sorted(figures.matches_by_status.items())],
            *[[f"closed: {reasons.get(reason, reason) or '—'}", n]
              for reason, n in sorted(figures.closures_by_reason.items())],
            *[[f"messages week of {week}", n] for week, n in figures.messages_per_week],
            *[[f"meetings: {name.replace('_', ' ')}", n] for name, n in figures.meetings.items()],
            ["relationship quality (1-5)", figures.quality[0]],
            ["relationship quality: people answering", figures.quality[1]],
            *[[f"check-in: {row['survey']}: {row['question']}: {value}", n]
              for row in figures.check_ins for value, n in sorted(row["values"].items())],
        ]  # fmt: skip
        return csv_response(f"{programme.slug}-engagement.csv", ["figure", "value"], rows)


class MatchedFilter(admin.SimpleListFilter):
    title = _("matched")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [("yes", _("Has a current match")), ("no", _("No current match"))]

    def queryset(self, request, queryset):
        current = MatchMember.objects.filter(membership=OuterRef("pk"), match_status__in=Match.CURRENT)
        if self.value() == "yes":
            return queryset.filter(Exists(current))
        if self.value() == "no":
            return queryset.exclude(Exists(current))
        return queryset


class ReadyFilter(admin.SimpleListFilter):
    title = _("ready to match")
    parameter_name = "ready"

    def lookups(self, request, model_admin):
        return [("yes", _("Ready")), ("no", _("Waiting on checks, training or consent"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(matchable_q())
        if self.value() == "no":
            return queryset.exclude(matchable_q())
        return queryset


@admin.register(Membership)
class MembershipAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "programme", "role", "status", "is_ready", "capacity", "created_at", "find_mentors")
    list_filter = ("role", "status", ReadyFilter, MatchedFilter, ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__display_name", "user__email", "programme__name")
    list_select_related = ("user", "programme")
    autocomplete_fields = ("user",)
    filter_horizontal = ("topics",)
    readonly_fields = ("readiness_summary", "agreement_accepted_at", "created_at", "approved_at")
    actions = ["approve", "write_to", form_group]

    @admin.action(description=_("Write to this person… (a private support conversation)"))
    def write_to(self, request, queryset):
        """A support conversation with one participant, apart from their pair's (messaging.support)."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one person."), messages.WARNING)
            return None
        membership = queryset.select_related("user", "programme").get()
        form = SupportForm(request.POST if "subject" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                conversation = support.write(membership, request.user, form.cleaned_data["subject"],
                                             form.cleaned_data["body"])  # fmt: skip
            except MessagingError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Sent. Their reply will arrive in your messages."), messages.SUCCESS)
                return redirect(conversation.get_absolute_url())
        return render(request, "admin/matching/membership/write_to.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Write to %(name)s") % {"name": membership.user.display_name},
            "membership": membership, "form": form, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })  # fmt: skip

    def get_queryset(self, request):
        ready = Case(When(matchable_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
        return super().get_queryset(request).annotate(ready=ready)

    @admin.display(description=_("ready to match"), boolean=True, ordering="ready")
    def is_ready(self, membership):
        return membership.ready

    @admin.display(description=_("before matching"))
    def readiness_summary(self, membership):
        """The approval screen's view of checks, training and consent: what is done and what is missing."""
        if membership.pk is None:
            return "—"
        state = readiness(membership)
        return render_to_string("admin/matching/membership/_readiness.html", {"ready": state})

    @admin.display(description=_("mentors"))
    def find_mentors(self, membership):
        if membership.role != Role.MENTEE:
            return ""
        url = reverse("admin:matching_membership_candidates", args=[membership.pk])
        return format_html('<a href="{}">{}</a>', url, _("Compare mentors"))

    @admin.action(description=_("Approve the selected enrolments"))
    def approve(self, request, queryset):
        count = services.approve_memberships(queryset)
        self.message_user(request, _("%(count)d enrolment(s) approved.") % {"count": count})

    def get_urls(self):
        return [
            path(
                "<int:membership_id>/candidates/",
                self.admin_site.admin_view(self.candidates_view),
                name="matching_membership_candidates",
            ),
            path(
                "<int:membership_id>/candidates/<int:mentor_id>/",
                self.admin_site.admin_view(require_POST(self.match_candidate)),
                name="matching_membership_match_candidate",
            ),
            *super().get_urls(),
        ]

    def _mentee(self, request, membership_id):
        return get_object_or_404(self.get_queryset(request).filter(role=Role.MENTEE), pk=membership_id)

    def candidates_view(self, request, membership_id):
        """Coordinator mode: one mentee beside every mentor of the programme, best fit first."""
        mentee = self._mentee(request, membership_id)
        mentors = Membership.objects.filter(programme=mentee.programme, role=Role.MENTOR).exclude(
            status=Membership.Status.WITHDRAWN
        )
        ranking = rank_mentors(mentee, mentors)
        ready_ids = set(mentors.matchable().values_list("pk", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Mentors for %(name)s") % {"name": mentee.user.display_name},
            "mentee": mentee,
            "mentee_topics": sorted(ranking.topic_names[t] for t in ranking.mentee.topic_ids),
            "rows": [(s.mentor, s.fit, s.mentor.membership_id in ready_ids) for s in ranking.suggestions],
            "mentee_ready": readiness(mentee),
        }
        return render(request, "admin/matching/membership/candidates.html", context)

    def match_candidate(self, request, membership_id, mentor_id):
        mentee = self._mentee(request, membership_id)
        mentor = get_object_or_404(Membership, pk=mentor_id, programme=mentee.programme, role=Role.MENTOR)
        try:
            if request.POST.get("action") == "match":
                match = services.match_directly(mentee, mentor, by=request.user)
                self.message_user(request, _("Matched: the pair has been told."), messages.SUCCESS)
            else:
                match = services.propose(mentee, mentor, by=request.user, source=Match.Source.COORDINATOR)
                self.message_user(request, _("Proposal created: approve it from the list of matches."))
        except services.MatchingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:matching_membership_candidates", membership_id=mentee.pk)
        return redirect("admin:matching_match_change", match.pk)


PREVIEW_MENTEES = 10


class WeightsForm(forms.Form):
    topics = forms.IntegerField(label=_("Shared topics"), min_value=0, max_value=100)
    language = forms.IntegerField(label=_("A shared language"), min_value=0, max_value=100)
    time = forms.IntegerField(label=_("Shared waking hours"), min_value=0, max_value=100)


class InvitationFileForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    role = forms.ChoiceField(
        label=_("Role, for rows without one"), choices=[("", _("(the file says)")), *Role.choices], required=False
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns: email (required), name, role (mentor or mentee). Up to 10,000 people and 5 MB."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = coordinated_programmes(user)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("programme", "email", "role")


@admin.register(Invitation)
class InvitationAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    """Bringing a new person into a programme: they get a link and choose to join."""

    list_display = ("email", "name", "programme", "role", "status", "created_at", "expires_at", "invited_by")
    list_filter = ("status", "role", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email", "name")
    change_list_template = "admin/coordination/invitation_changelist.html"
    list_select_related = ("programme", "invited_by")
    actions = ["send_again", "withdraw"]
    readonly_fields = ("programme", "email", "name", "role", "status", "invited_by", "created_at", "expires_at",
                       "answered_at", "membership")  # fmt: skip

    def get_urls(self):
        return [
            path("from-a-file/", self.admin_site.admin_view(self.from_a_file), name="matching_invitation_from_file"),
            path(
                "from-a-file/<int:list_id>/",
                self.admin_site.admin_view(self.list_progress),
                name="matching_invitation_list_progress",
            ),
            *super().get_urls(),
        ]

    def from_a_file(self, request):
        """Upload a list, see each row's problems, then send: two steps, the second sending what the first showed."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("Invite people from a file")}  # fmt: skip
        if request.method == "POST" and "list" in request.POST:
            return self._send_list(request)
        form = InvitationFileForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            programme, upload = form.cleaned_data["programme"], form.cleaned_data["file"]
            try:
                preview = invitation_files.read(
                    upload.name, upload.read(invitation_files.MAX_BYTES + 1), programme, form.cleaned_data["role"]
                )
            except invitation_files.FileRefused as refused:
                form.add_error("file", str(refused))
            else:
                rows = [row.kept() for row in preview.to_invite]
                saved = InvitationList.objects.create(
                    programme=programme, file_name=upload.name[:200], rows=rows, uploaded_by=request.user
                )
                context.update({"preview": preview, "saved": saved, "programme": programme})
                return render(request, "admin/coordination/invitation_preview.html", context)
        context["form"] = form
        return render(request, "admin/coordination/invitation_upload.html", context)

    def _their_list(self, request, list_id):
        lists = InvitationList.objects.filter(programme__in=coordinated_programmes(request.user))
        return get_object_or_404(lists.select_related("programme"), pk=list_id if str(list_id).isdigit() else 0)

    def _send_list(self, request):
        saved = self._their_list(request, request.POST.get("list", ""))
        invitations.start_sending(saved)  # a double click sends once
        return redirect("admin:matching_invitation_list_progress", saved.pk)

    def list_progress(self, request, list_id):
        """The list being sent, a batch at a time by a worker: a progress bar that refreshes itself, and,
        if no worker moves it on, a button that sends the rest at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        saved = self._their_list(request, list_id)
        if request.method == "POST" and saved.sending_since is not None and saved.sent_at is None:
            saved = invitations.send_list(saved.pk)
        waited = (timezone.now() - saved.sending_since).total_seconds() if saved.sending_since else 0
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "saved": saved,
                   "title": _("Sending invitations from %(file)s") % {"file": saved.file_name},
                   "offer_to_finish": saved.sent_at is None and waited > invitations.WORKER_GRACE_SECONDS}  # fmt: skip
        return render(request, "admin/coordination/invitation_progress.html", context)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return InvitationAddForm._meta.fields if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = invitations.invite(obj.programme, obj.email, obj.role, by=request.user)
        except invitations.InvitationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = saved.pk
        self.message_user(request, _("Invitation sent to %(address)s.") % {"address": saved.email}, messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:  # refused: the message says why
            return redirect("admin:matching_invitation_add")
        return redirect("admin:matching_invitation_changelist")

    @admin.action(description=_("Send the selected invitations again (with a new link)"), permissions=["view"])
    def send_again(self, request, queryset):
        count = sum(invitations.resend(invitation) for invitation in queryset)
        self.message_user(request, _("%(count)d invitation(s) sent again.") % {"count": count})

    @admin.action(description=_("Withdraw the selected invitations"), permissions=["view"])
    def withdraw(self, request, queryset):
        count = sum(invitations.cancel(invitation) for invitation in queryset)
        self.message_user(request, _("%(count)d invitation(s) withdrawn.") % {"count": count})


class MatchMemberInline(admin.TabularInline):
    model = MatchMember
    extra = 0
    fields = ("user", "role", "match_status")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("title", "status", "target_date")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AgreementInline(admin.StackedInline):
    """The pair's agreement, every version: read, never edited (the pair sign it)."""

    model = Agreement
    extra = 0
    fields = ("version", "status", "goals", "writing_frequency", "reply_within_days", "meetings", "ground_rules",
              "proposed_by", "proposed_at", "in_force_at", "signed_by")  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_by").prefetch_related("signatures__user")

    @admin.display(description=_("signed by"))
    def signed_by(self, agreement):
        return ", ".join(f"{s.user.display_name} ({s.signed_at:%Y-%m-%d})" for s in agreement.signatures.all())


class MatchNoteInline(admin.TabularInline):
    """The coordinators' notes on the pair, newest first: written from the at-risk list, never edited."""

    model = MatchNote
    extra = 0
    fields = ("created_at", "author", "action", "at_risk_reason", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SupportForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))


class NoteForm(forms.Form):
    action = forms.ChoiceField(label=_("What you did"), choices=MatchNote.Action.choices)
    text = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AtRiskFilter(admin.SimpleListFilter):
    title = _("at risk")
    parameter_name = "at_risk"

    def lookups(self, request, model_admin):
        return [("yes", _("At risk")), *Match.AtRisk.choices]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(at_risk_since__isnull=False)
        if self.value() in Match.AtRisk.values:
            return queryset.filter(at_risk_reason=self.value())
        return queryset


@admin.register(Match)
class MatchAdmin(GroupMembersMixin, ProgrammeScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__", "programme", "status", "activated_at", "last_message", "messages_30_days", "median_reply",
        "waiting_on", "at_risk_since", "members_link",
    )  # fmt: skip
    list_filter = ("status", AtRiskFilter, "source", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("members__user__display_name", "programme__name")
    date_hierarchy = "proposed_at"
    inlines = [MatchMemberInline, AgreementInline, GoalInline, MatchNoteInline]
    actions = ["approve_proposals", "decline_proposals", "pause", "resume", "close_matches", "export_csv",
               "view_conversations"]  # fmt: skip
    readonly_fields = (
        "programme",
        "status",
        "source",
        "proposed_by",
        "proposed_at",
        "request_note",
        "expires_at",
        "score",
        "reasons",
        "decided_by",
        "decided_at",
        "activated_at",
        "closed_at",
        "closed_by",
        "close_reason",
        "closing_rating",
        "closing_reflection",
        "at_risk_since",
        "at_risk_reason",
        "safeguarding_hold_since",
        "safeguarding_hold_reason",
    )
    fields = (*readonly_fields, "safeguarding_hold")

    def get_readonly_fields(self, request, obj=None):
        """Only the programme's safeguarding lead may set or lift a hold by hand (a coordinator could
        otherwise let a concern's records be purged)."""
        if obj is not None and leads_safeguarding(request.user, obj.programme_id):
            return self.readonly_fields
        return (*self.readonly_fields, "safeguarding_hold")

    def save_model(self, request, obj, form, change):
        if "safeguarding_hold" in form.changed_data:
            if obj.safeguarding_hold:
                services.hold_for_safeguarding(obj, _("set by %(name)s") % {"name": request.user.display_name})
            else:
                services.release_safeguarding_hold(obj, request.user)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        members = MatchMember.objects.select_related("user")
        matches = (
            super()
            .get_queryset(request)
            .exclude(status=Match.Status.SUPPORT)  # support conversations are not matches
            .select_related("programme")
            .prefetch_related(Prefetch("members", members))
        )
        return with_activity(matches)

    def has_add_permission(self, request):
        return False  # matches start from a request, a coordinator's comparison or auto-match

    @admin.display(description=_("members"))
    def members_link(self, match):
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_match_members", args=[match.pk]),
                           _("Add or remove"))  # fmt: skip

    def get_urls(self):
        return [
            path("at-risk/", self.admin_site.admin_view(self.at_risk_view), name="matching_match_at_risk"),
            path(
                "<int:match_id>/note/",
                self.admin_site.admin_view(require_POST(self.note_view)),
                name="matching_match_note",
            ),
            *super().get_urls(),
        ]

    def at_risk_view(self, request):
        """The pairs at risk in the coordinator's programmes, the longest first: why, since when, what
        has been done, and a note or an action for each (a constant number of queries however many)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        notes = MatchNote.objects.select_related("author").order_by("-created_at", "-pk")
        matches = (
            self.get_queryset(request)
            .filter(at_risk_since__isnull=False, status__in=Match.CURRENT)
            .prefetch_related(Prefetch("notes", notes))
            .order_by("at_risk_since", "pk")
        )
        programme = request.GET.get("programme", "")
        if programme.isdigit():
            matches = matches.filter(programme_id=int(programme))
        return render(request, "admin/matching/match/at_risk.html", {
            **self.admin_site.each_context(request), "title": _("Pairs at risk"), "opts": self.model._meta,
            "matches": matches, "note_form": NoteForm(),
        })  # fmt: skip

    def note_view(self, request, match_id):
        match = get_object_or_404(self.get_queryset(request), pk=match_id)
        if not self.has_change_permission(request, match):
            raise PermissionDenied
        form = NoteForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Choose what you did, and write the note."), messages.ERROR)
        else:
            try:
                services.add_note(match, request.user, form.cleaned_data["action"], form.cleaned_data["text"])
            except services.MatchingError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Noted for %(match)s.") % {"match": match}, messages.SUCCESS)
        return redirect("admin:matching_match_at_risk")

    def _each(self, request, queryset, action, done_message):
        done = 0
        for match in queryset:
            try:
                action(match, request.user)
                done += 1
            except services.MatchingError as error:
                self.message_user(request, f"{match}: {error}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected proposals"))
    def approve_proposals(self, request, queryset):
        self._each(request, queryset, services.accept, _("%(count)d match(es) started."))

    @admin.action(description=_("Decline the selected proposals"))
    def decline_proposals(self, request, queryset):
        self._each(request, queryset, services.decline, _("%(count)d proposal(s) declined."))

    @admin.action(description=_("Pause the selected matches"))
    def pause(self, request, queryset):
        self._each(request, queryset, services.pause, _("%(count)d match(es) paused."))

    @admin.action(description=_("Resume the selected matches"))
    def resume(self, request, queryset):
        self._each(request, queryset, services.resume, _("%(count)d match(es) resumed."))

    @admin.action(description=_("Close the selected matches…"))
    def close_matches(self, request, queryset):
        """Ask for the reason first (an intermediate page), then close each match."""
        form = AdminCloseForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._each(
                request,
                queryset,
                lambda match, user: services.close(match, user, **form.cleaned_data),
                _("%(count)d match(es) closed."),
            )
            return None
        return render(
            request,
            "admin/matching/match/close.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Close matches"),
                "matches": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description=_("last message"), ordering="last_message_at")
    def last_message(self, match):
        return match.last_message_at

    @admin.display(description=_("messages in 30 days"), ordering="recent_messages")
    def messages_30_days(self, match):
        return match.recent_messages

    @admin.display(description=_("median reply"))
    def median_reply(self, match):
        return "" if match.median_reply_seconds is None else f"{match.median_reply_seconds / 3600:.1f} h"

    @admin.display(description=_("waiting"))
    def waiting_on(self, match):
        if not match.waiting_since:
            return ""
        if match.waiting_promised_by:  # what the person said they would do, as they see it themselves
            return _("%(name)s has read it and promised a reply by %(day)s") % {
                "name": match.waiting_name,
                "day": date_format(timezone.localtime(match.waiting_promised_by), "D j M"),
            }
        return _("%(name)s owes a reply since %(day)s") % {
            "name": match.waiting_name,
            "day": date_format(timezone.localtime(match.waiting_since), "j M"),
        }

    @admin.action(description=_("Export the selected matches as CSV"))
    def export_csv(self, request, queryset):
        """Times on each programme's own clock (its time zone, in a column), choices as words."""

        def at(moment, zone):
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

        rows = (
            [
                match.pk,
                match.programme.name,
                " & ".join(m.user.display_name for m in match.members.all()),
                match.get_status_display(),
                match.get_source_display(),
                match.score,
                at(match.activated_at, match.programme.zone),
                at(match.last_message_at, match.programme.zone),
                match.programme.timezone,
                match.recent_messages,
                self.median_reply(match),
                match.get_close_reason_display(),
                match.closing_rating,
            ]
            for match in queryset.select_related("programme")
        )
        header = ["id", "programme", "members", "status", "source", "score", "started", "last message", "time zone",
                  "messages in 30 days", "median reply", "close reason", "rating"]  # fmt: skip
        return csv_response("matches.csv", header, rows)

    @admin.action(description=_("View conversations… (asks why, and is recorded)"))
    def view_conversations(self, request, queryset):
        """The only place message bodies are shown to coordinators outside moderation: each opening
        asks for a reason and writes an audit row."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one match."), level="warning")
            return None
        match = queryset.get()
        form = AccessForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            record_access(request, match, form.cleaned_data["reason"], form.cleaned_data["note"])
            conversations = match.conversations.prefetch_related("messages__sender").order_by("created_at")
            return render(
                request,
                "admin/coordination/conversations.html",
                {**self.admin_site.each_context(request), "opts": self.model._meta, "match": match,
                 "conversations": conversations, "title": _("Conversations of %(match)s") % {"match": match}},
            )  # fmt: skip
        return render(
            request,
            "admin/coordination/access_reason.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "match": match, "form": form,
             "title": _("Why are you opening these conversations?"),
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip


class AccessForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you need to read these conversations?"),
        choices=[(k, v) for k, v in ConversationAccess.Reason.choices if k != ConversationAccess.Reason.MODERATION],
    )
    note = forms.CharField(label=_("Note (recorded)"), max_length=500, required=False)


class AdminCloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Match.CloseReason.choices)
    rating = forms.TypedChoiceField(
        label=_("Rating (optional)"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reflection = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class JoinCodeForm(forms.ModelForm):
    code = forms.CharField(
        label=_("code"), max_length=40, required=False,
        help_text=_("Leave empty for a random 8-character code. Letters, digits and hyphens; case does not matter."),
    )  # fmt: skip

    class Meta:
        model = JoinCode
        fields = ("programme", "code", "role", "email_domains", "expires_at", "max_uses", "is_active")

    def clean_code(self):
        code = join_codes.normalise(self.cleaned_data.get("code", ""))
        if not code:
            return self.instance.code or join_codes.new_code()
        join_codes.validate_code(code)
        if JoinCode.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("That code is taken: choose another."))
        return code

    def clean_email_domains(self):
        return join_codes.validate_domains(self.cleaned_data.get("email_domains") or [])


@admin.register(JoinCode)
class JoinCodeAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    """Codes and links that let people enrol themselves: to hand out in an assembly or a newsletter."""

    form = JoinCodeForm
    list_display = ("code", "programme", "role", "domains", "expires_at", "used", "is_active", "link")
    list_filter = ("is_active", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code",)
    list_select_related = ("programme",)
    readonly_fields = ("uses", "created_by", "created_at", "link")

    @admin.display(description=_("only addresses at"))
    def domains(self, join_code):
        return ", ".join(join_code.email_domains) or "—"

    @admin.display(description=_("enrolments"))
    def used(self, join_code):
        return f"{join_code.uses} / {join_code.max_uses}" if join_code.max_uses else str(join_code.uses)

    @admin.display(description=_("link to hand out"))
    def link(self, join_code):
        return absolute_url(join_code.get_absolute_url()) if join_code.pk else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # turn a code off instead: its count of enrolments stays on record
