"""Groups in the coordinators' admin: form a group from selected enrolments, and add or remove a current
match's members on its Members page (matching.groups does the work and keeps the record)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matching import groups
from matching.models import Match, Membership, Role
from matching.services import MatchingError


@admin.action(description=_("Form a group from the selected people (one mentor, the rest mentees)"))
def form_group(modeladmin, request, queryset):
    people = list(queryset.select_related("user", "programme"))
    mentors = [m for m in people if m.role == Role.MENTOR]
    mentees = [m for m in people if m.role == Role.MENTEE]
    if len(mentors) != 1 or not mentees or len({m.programme_id for m in people}) != 1:
        modeladmin.message_user(
            request, _("Choose one mentor and their mentees, all of one programme."), messages.ERROR
        )
        return None
    try:
        match = groups.form_group(mentors[0], mentees, request.user)
    except MatchingError as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    modeladmin.message_user(request, _("The group has started: %(match)s.") % {"match": match}, messages.SUCCESS)
    return redirect("admin:matching_match_members", match.pk)


class AddMemberForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Add"), queryset=Membership.objects.none())

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the match's own programme's approved people who are not in it: the picker's queryset itself.
        self.fields["membership"].queryset = groups.could_join(match).order_by("role", "user__display_name")
        self.fields["membership"].label_from_instance = lambda m: f"{m.user.display_name} ({m.get_role_display()})"


class GroupMembersMixin:
    """For MatchAdmin: /admin/matching/match/<id>/members/ (its programme's coordinators only)."""

    def get_urls(self):
        return [
            path("<int:match_id>/members/", self.admin_site.admin_view(self.members_view),
                 name="matching_match_members"),
            path("<int:match_id>/members/remove/<int:membership_id>/",
                 self.admin_site.admin_view(require_POST(self.remove_member_view)),
                 name="matching_match_remove_member"),
            *super().get_urls(),
        ]  # fmt: skip

    def _scoped_match(self, request, match_id, change=True):
        match = get_object_or_404(self.get_queryset(request), pk=match_id)
        allowed = self.has_change_permission(request, match) if change else self.has_view_permission(request, match)
        if not allowed:
            raise PermissionDenied
        return match

    def members_view(self, request, match_id):
        match = self._scoped_match(request, match_id, change=request.method == "POST")
        form = AddMemberForm(request.POST or None, match=match)
        if request.method == "POST":
            if form.is_valid():
                try:
                    groups.add_member(match, form.cleaned_data["membership"], request.user)
                except MatchingError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    name = form.cleaned_data["membership"].user.display_name
                    self.message_user(request, _("%(name)s has joined.") % {"name": name}, messages.SUCCESS)
                return redirect("admin:matching_match_members", match.pk)
            self.message_user(request, _("Choose someone from the list."), messages.ERROR)
        members = match.members.select_related("user", "membership").order_by("-role", "user__display_name")
        return render(request, "admin/matching/match/members.html", {
            **self.admin_site.each_context(request), "title": _("Members of %(match)s") % {"match": match},
            "opts": self.model._meta, "match": match, "members": members, "form": form,
            "change_url": reverse("admin:matching_match_change", args=[match.pk]),
        })  # fmt: skip

    def remove_member_view(self, request, match_id, membership_id):
        match = self._scoped_match(request, match_id)
        membership = get_object_or_404(Membership, pk=membership_id, match_members__match=match)
        try:
            groups.remove_member(match, membership, request.user)
        except MatchingError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request, _("%(name)s has left the group.") % {"name": membership.user.display_name}, messages.SUCCESS
            )
        return redirect("admin:matching_match_members", match.pk)
