"""The meetings pages: a match's meetings and the form to propose one; one meeting (the times offered in
everyone's zone, choosing one, other times, the agenda, how it went); the .ics; the private feed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.selectors import member_match

from . import calendar, extensions, match_panel, services, times
from .forms import (
    AgendaForm,
    AvailabilityFormSet,
    GoalStepForm,
    NextStepForm,
    OutcomeForm,
    ProposeForm,
    TimesForm,
)
from .models import AgendaItem, Availability, Meeting


def _my_meeting(user, meeting_id) -> Meeting:
    found = Meeting.objects.filter(match__members__user=user).select_related("match__programme", "proposed_by")
    return get_object_or_404(found.distinct(), pk=meeting_id)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _in_zones(moment, people, duration) -> list[dict]:
    """The moment as each person reads it, with what is wrong with it for them."""
    return [
        {"person": person, "local": timezone.localtime(moment, person.zone), "zone": person.timezone,
         "problems": times.problems(person, moment, duration)}
        for person in people
    ]  # fmt: skip


@login_required
def match_meetings(request, match_id):
    match = member_match(request.user, match_id)
    people = services.members(match)
    modes = services.modes_allowed(match)
    form = ProposeForm(request.POST if request.method == "POST" else None, modes=modes)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.propose(match, request.user, form.starts(), mode=form.cleaned_data["mode"],
                                     place=form.cleaned_data["place"],
                                     duration_minutes=form.cleaned_data["duration_minutes"])  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sent: the others choose one of your times, or offer others."))
            return redirect("meetings:meeting", found.pk)
    windows = {}
    for window in Availability.objects.filter(user__in=people):
        windows.setdefault(window.user_id, []).append(times.Window(window.weekday, window.start, window.end))
    duration = datetime.timedelta(minutes=45)
    until = services.programme_end(match)
    suggested = [
        {"moment": moment, "value": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"),
         "zones": _in_zones(moment, people, duration)}
        for moment in times.suggestions(people, windows, duration, timezone.now(), until)
    ]  # fmt: skip
    return render(request, "meetings/match_meetings.html", {
        "match": match, "people": people, "form": form, "suggested": suggested,
        "may_propose": match.status == match.Status.ACTIVE and bool(modes),
        "meetings": match.meetings.select_related("proposed_by").prefetch_related("slots"),
    })  # fmt: skip


@login_required
def thread_card(request, match_id):
    """The match's next meeting, or times waiting for the viewer's answer, as a fragment the thread page
    loads (so the cached thread page never changes with a meeting); nothing when there is neither."""
    match = member_match(request.user, match_id)
    return render(
        request, "meetings/_thread_card.html", {"match": match, "panel": match_panel.context(request, match, None)}
    )


@login_required
def meeting(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    people = services.members(found.match)
    slots = [{"slot": slot, "zones": _in_zones(slot.starts_at, people, found.duration)} for slot in found.slots.all()]
    has_begun = found.starts_at is not None and found.starts_at <= timezone.now()
    items = list(found.items.select_related("author", "milestone__goal"))
    open_goals = GoalStepForm(match=found.match).fields["goal"].queryset
    writable = found.status != Meeting.Status.CANCELLED and found.match.status == found.match.Status.ACTIVE
    return render(request, "meetings/meeting.html", {
        "meeting": found, "people": people, "slots": slots,
        "agreed": _in_zones(found.starts_at, people, found.duration) if found.starts_at else [],
        "may_choose": found.status == Meeting.Status.PROPOSED and found.proposed_by_id != request.user.pk,
        "video_link": services.video_link(found) if found.status == Meeting.Status.CONFIRMED else "",
        "phone": services.policy_of(found.match).phone_arrangements if found.mode == Meeting.Mode.PHONE else "",
        "times_form": TimesForm(), "agenda_form": AgendaForm(), "outcome_form": OutcomeForm(people=people),
        "next_step_form": NextStepForm(match=found.match), "goal_step_form": GoalStepForm(match=found.match),
        "has_begun": has_begun, "writable": writable,
        "agenda": [item for item in items if item.kind == AgendaItem.Kind.AGENDA],
        "next_steps": [item for item in items if item.kind == AgendaItem.Kind.NEXT_STEP],
        "has_open_goals": open_goals.exists(),
        "from_thread": extensions.recent_messages(found.match, request.user) if writable and not has_begun else [],
        "picked": {item.message_id for item in items if item.message_id},
    })  # fmt: skip


def _refused(request, found, form):
    """Back to the meeting, each of the form's errors said as a message."""
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)
    return redirect("meetings:meeting", found.pk)


def _step(request, found, action, success: str):
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("meetings:meeting", found.pk)


@login_required
@require_POST
def choose(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    moment = parse_datetime(request.POST.get("starts_at", ""))
    if moment is None or moment.tzinfo is None:
        messages.error(request, _("That time is not one of those offered."))
        return redirect("meetings:meeting", found.pk)
    return _step(request, found, lambda: services.choose(found, request.user, moment),
                 _("Agreed: everyone gets an invitation for their calendar."))  # fmt: skip


@login_required
@require_POST
def other_times(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    form = TimesForm(request.POST)
    if not form.is_valid():
        return _refused(request, found, form)
    return _step(request, found, lambda: services.offer_other_times(found, request.user, form.starts()),
                 _("Sent: the others choose one of your times."))  # fmt: skip


@login_required
@require_POST
def cancel(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    return _step(request, found, lambda: services.cancel(found, request.user), _("Cancelled: everyone is told."))


@login_required
@require_POST
def add_agenda(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    form = AgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a point of at most 300 characters."))
        return redirect("meetings:meeting", found.pk)
    return _step(request, found, lambda: services.add_item(found, request.user, form.cleaned_data["text"]),
                 _("Added to the agenda."))  # fmt: skip


@login_required
@require_POST
def add_from_thread(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    picked = request.POST.getlist("message")
    return _step(request, found, lambda: services.add_from_messages(found, request.user, picked),
                 _("Added to the agenda."))  # fmt: skip


@login_required
@require_POST
def add_next_step(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    form = NextStepForm(request.POST, match=found.match)
    if not form.is_valid():
        return _refused(request, found, form)
    data = form.cleaned_data
    done = _("Next step noted.") if data["goal"] is None else _("Next step noted and added to the goal.")
    return _step(request, found,
                 lambda: services.add_item(found, request.user, data["text"], kind=AgendaItem.Kind.NEXT_STEP,
                                           goal=data["goal"]),
                 done)  # fmt: skip


@login_required
@require_POST
def goal_step(request, meeting_id, item_id):
    found = _my_meeting(request.user, meeting_id)
    item = get_object_or_404(found.items, pk=item_id)
    form = GoalStepForm(request.POST, match=found.match)
    if not form.is_valid():
        messages.error(request, _("Choose one of this match's open goals."))
        return redirect("meetings:meeting", found.pk)
    return _step(request, found, lambda: services.make_goal_step(item, request.user, form.cleaned_data["goal"]),
                 _("Added to the goal."))  # fmt: skip


@login_required
@require_POST
def outcome(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    people = services.members(found.match)
    form = OutcomeForm(request.POST, people=people)
    if not form.is_valid():
        return _refused(request, found, form)
    data = form.cleaned_data
    missed = next((p for p in people if p.pk == data["missed_by"]), None)
    return _step(request, found,
                 lambda: services.record_outcome(found, request.user, data["outcome"], data["notes"], missed),
                 _("Thank you: noted."))  # fmt: skip


@login_required
def download(request, meeting_id):
    found = _my_meeting(request.user, meeting_id)
    if found.starts_at is None or found.status == Meeting.Status.AWAITING_APPROVAL:
        raise Http404
    others = [p.display_name for p in services.members(found.match) if p.pk != request.user.pk]
    response = HttpResponse(
        calendar.invitation_for(found, request.user, others), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@login_required
def calendar_link(request):
    """Make (or make again, revoking the old one) or stop the person's private calendar link."""
    token = None
    if request.method == "POST":
        if "stop" in request.POST:
            calendar.revoke_feed(request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("meetings:calendar_link")
        token = calendar.new_feed_token(request.user)
    url = request.build_absolute_uri(reverse("meetings:feed", args=[token])) if token else ""
    return render(request, "meetings/calendar_link.html", {
        "url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://"),
        "has_feed": hasattr(request.user, "calendar_feed"),
    })  # fmt: skip


def feed(request, token):
    """The private feed: anyone with the link (a calendar app has no session); a revoked link is a 404."""
    owner = calendar.feed_owner(token)
    if owner is None:
        raise Http404
    response = HttpResponse(calendar.feed_for(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def availability(request):
    """The person's weekly availability for meetings, in their own zone: suggestions keep inside it."""
    rows = Availability.objects.filter(user=request.user)
    formset = AvailabilityFormSet(request.POST if request.method == "POST" else None, queryset=rows)
    if request.method == "POST" and formset.is_valid():
        for window in formset.save(commit=False):
            window.user = request.user
            window.save()
        for window in formset.deleted_objects:
            window.delete()
        messages.success(request, _("Saved: suggested meeting times keep inside these."))
        return redirect("meetings:availability")
    return render(request, "meetings/availability.html", {"formset": formset})
