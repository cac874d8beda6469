"""Pages of the matching app. Thin: find what the viewer may see (404 otherwise), call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.text_screening import waiting_text

from . import extensions, groups, guardians, invitations, join_codes, selectors, services, waitlist
from .forms import CloseForm, EnrolForm, GoalForm, GuardianForm, JoinCodeForm, MilestoneFormSet, RequestForm
from .models import CoMentorInvitation, Goal, Match, Membership, Milestone, Programme, Role
from .readiness import readiness


def _visible_programme(user, slug) -> Programme:
    return get_object_or_404(Programme.objects.visible_to(user), slug=slug)


def _my_membership(user, slug, role=None) -> Membership:
    """The viewer's enrolment in the programme with this slug (one query); 404 if there is none."""
    memberships = Membership.objects.filter(user=user, programme__slug=slug).exclude(status=Membership.Status.WITHDRAWN)
    if role:
        memberships = memberships.filter(role=role)
    membership = memberships.select_related("programme", "user").first()
    if membership is None:
        raise Http404
    return membership


@login_required
def programme_list(request):
    mine = (
        Membership.objects.filter(user=request.user)
        .exclude(status=Membership.Status.WITHDRAWN)
        .select_related("programme")
        .order_by("programme__name")
    )
    open_programmes = Programme.objects.open_for_enrolment().exclude(memberships__user=request.user)
    return render(request, "matching/programme_list.html", {"mine": mine, "open_programmes": open_programmes})


@login_required
def programme_detail(request, slug):
    programme = _visible_programme(request.user, slug)
    membership = (
        Membership.objects.filter(user=request.user, programme=programme).select_related("user", "programme").first()
    )
    ready = readiness(membership) if membership and membership.status != Membership.Status.WITHDRAWN else None
    return render(
        request,
        "matching/programme_detail.html",
        {"programme": programme, "membership": membership, "topics": programme.topics.all(), "ready": ready},
    )


@login_required
def enrol(request, slug):
    join_code = _working_code(request.GET.get("code", ""), request.user, slug)
    programme = join_code.programme if join_code else _visible_programme(request.user, slug)
    if Membership.objects.filter(user=request.user, programme=programme).exists():
        messages.info(request, _("You are already enrolled in this programme."))
        return redirect(programme)
    invitation = invitations.find(request.GET.get("invitation", ""))
    if invitation is not None and not (
        invitations.is_for(invitation, request.user) and invitation.programme == programme
    ):
        invitation = None
    form = EnrolForm(
        request.POST or None, programme=programme, user=request.user, invitation=invitation, join_code=join_code
    )
    if request.method == "POST" and form.is_valid():
        fields = ["goals", "languages", "capacity", "gender", "preferred_mentor_gender", "date_of_birth",
                  "guardian_email", "guardian_name", "answers"]  # fmt: skip
        details = {key: form.cleaned_data[key] for key in fields if key in form.cleaned_data}
        try:
            membership = services.enrol(
                request.user,
                programme,
                role=form.cleaned_data["role"],
                topics=form.cleaned_data["topics"],
                invitation=invitation,
                join_code=join_code,
                **details,
            )
        except services.MatchingError as error:
            form.add_error(None, str(error))
        else:
            if membership.status == Membership.Status.APPROVED:
                messages.success(request, _("You are enrolled. Welcome to %(programme)s!") % {"programme": programme})
                if membership.role == Role.MENTEE and programme.mentee_requests_enabled:
                    return redirect("matching:suggestions", slug=programme.slug)
            else:
                messages.success(request, _("Thank you: a coordinator will review your enrolment."))
            if guardians.consent_of(membership) is not None:
                messages.info(request, _("We have e-mailed your parent or guardian to ask them to agree."))
            return redirect(programme)
    return render(
        request,
        "matching/enrol.html",
        {"programme": programme, "form": form, "invitation": invitation, "join_code": join_code},
    )


def _working_code(code: str, user, slug: str):
    """The join code in a link, if it is for this programme and works for this person."""
    join_code = join_codes.find(code)
    if join_code is None or join_code.programme.slug != slug:
        return None
    try:
        return join_codes.check(join_code, user)
    except join_codes.JoinCodeError:
        return None


@login_required
def join_form(request):
    """Type a code someone gave you."""
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("matching:join", code=join_codes.normalise(form.cleaned_data["code"]) or "-")
    return render(request, "matching/join.html", {"form": form})


@login_required
@require_safe
def join(request, code):
    """A join link (or a typed code): on to the programme's enrolment form, or a page saying why not."""
    join_code = join_codes.find(code)
    try:
        join_codes.check(join_code, request.user)
    except join_codes.JoinCodeError as error:
        form = JoinCodeForm(initial={"code": join_codes.normalise(code)})
        return render(request, "matching/join.html", {"form": form, "problem": str(error)}, status=400)
    programme = join_code.programme
    if Membership.objects.filter(user=request.user, programme=programme).exists():
        messages.info(request, _("You are already enrolled in this programme."))
        return redirect(programme)
    return redirect(f"{reverse('matching:enrol', args=[programme.slug])}?{urlencode({'code': join_code.code})}")


@login_required
@require_POST
def guardian(request, slug):
    membership = _my_membership(request.user, slug, Role.MENTEE)
    form = GuardianForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(membership.programme)
    try:
        outcome = services.ask_guardian_again(
            membership, form.cleaned_data["guardian_email"], form.cleaned_data["date_of_birth"]
        )
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        if outcome == "asked":
            messages.success(request, _("We have e-mailed your parent or guardian."))
        else:
            messages.info(request, _("You do not need a guardian's consent for this programme."))
    return redirect(membership.programme)


@require_safe
def invitation(request, token):
    """The page an invitation e-mail links to. Anyone with the link sees which programme invites them
    and in what role; only the person signed in with the invited address can accept."""
    invitation = invitations.find(token)
    if invitation is None:
        return render(request, "matching/invitation_gone.html", status=404)
    context = {"invitation": invitation, "programme": invitation.programme}
    if request.user.is_authenticated:
        if Membership.objects.filter(user=request.user, programme=invitation.programme).exists():
            context["already_enrolled"] = True
        elif invitations.is_for(invitation, request.user):
            context["enrol_url"] = invitations.enrol_url(invitation)
        else:
            context["someone_else"] = True
    return render(request, "matching/invitation.html", context)


@require_POST
def decline_invitation(request, token):
    invitation = invitations.find(token)
    if invitation is None:
        return render(request, "matching/invitation_gone.html", status=404)
    invitations.decline(invitation)
    return render(request, "matching/invitation_declined.html", {"programme": invitation.programme})


@login_required
def suggestions(request, slug):
    mentee = _my_membership(request.user, slug, Role.MENTEE)
    programme = mentee.programme
    state = selectors.mentee_state(mentee)
    found = selectors.suggestions_for(mentee) if state.may_ask else []
    # No mentor has room: the mentee is told their place in the queue rather than "check back soon".
    queued = state.readiness.ready and not state.current and not state.waiting and not found
    place = waitlist.place_of(mentee) if queued and waitlist.mentors_with_room(programme) == 0 else None
    return render(
        request,
        "matching/suggestions.html",
        {
            "programme": programme,
            "mentee": mentee,
            "current": state.current,
            "waiting": state.waiting,
            "ready": state.readiness,
            "suggestions": found,
            "place": place,
            "request_form": RequestForm(),
        },
    )


@login_required
@require_POST
def request_mentor(request, slug, mentor_id):
    mentee = _my_membership(request.user, slug, Role.MENTEE)
    programme = mentee.programme
    mentor = get_object_or_404(Membership, pk=mentor_id, programme=programme, role=Role.MENTOR)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your note is too long: please keep it under 1,000 characters."))
        return redirect("matching:suggestions", slug=slug)
    try:
        match = services.request_mentor(mentee, mentor, form.cleaned_data["note"])
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your request has been sent to %(name)s. We will e-mail you when they answer.")
            % {"name": mentor.user.display_name},
        )
        if waiting_text(match, "request_note"):
            messages.info(request, _("Your note may contain contact details: a coordinator will read it first."))
    return redirect("matching:suggestions", slug=slug)


@login_required
def requests(request):
    waiting_for_me = selectors.requests_waiting_for(request.user)
    sent = selectors.requests_sent_by(request.user)
    co_mentoring = CoMentorInvitation.objects.filter(
        membership__user=request.user, answered_at__isnull=True, match__status__in=Match.CURRENT
    ).select_related("invited_by", "match__programme")
    return render(request, "matching/requests.html",
                  {"waiting_for_me": waiting_for_me, "sent": sent, "co_mentoring": co_mentoring})  # fmt: skip


def co_mentors_to_invite(match, user):
    """The programme's approved mentors a mentor in this match could invite (the picker's own queryset)."""
    if not match.is_current or not match.members.filter(user=user, role=Role.MENTOR).exists():
        return Membership.objects.none()
    return groups.could_join(match).filter(role=Role.MENTOR).order_by("user__display_name")


@login_required
@require_POST
def invite_co_mentor(request, match_id):
    match = selectors.member_match(request.user, match_id)
    choice = request.POST.get("membership", "")
    co_mentor = co_mentors_to_invite(match, request.user).filter(pk=int(choice)).first() if choice.isdigit() else None
    if co_mentor is None:
        messages.error(request, _("Choose a mentor of your programme from the list."))
        return redirect(match)
    try:
        groups.invite_co_mentor(match, request.user, co_mentor)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s is invited to co-mentor with you.") % {"name": co_mentor.user.display_name}
        )
    return redirect(match)


@login_required
@require_POST
def answer_co_mentor(request, invitation_id):
    invitation = get_object_or_404(CoMentorInvitation, pk=invitation_id, membership__user=request.user)
    accept = request.POST.get("answer") == "accept"
    try:
        groups.answer_co_mentoring(invitation, request.user, accept=accept)
    except services.MatchingError as error:
        messages.error(request, str(error))
        return redirect("matching:requests")
    if accept:
        messages.success(request, _("You are a co-mentor now: the group's conversations are in your messages."))
        return redirect(invitation.match)
    messages.info(request, _("You have declined the invitation."))
    return redirect("matching:requests")


def _answer(request, match_id, action):
    match = selectors.member_match(request.user, match_id)
    if not services.may_answer(match, request.user):
        raise Http404
    try:
        action(match, request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
        return None
    return match


@login_required
@require_POST
def accept_request(request, match_id):
    if _answer(request, match_id, services.accept):
        messages.success(request, _("You have accepted. Say hello: a first message sets the tone."))
        return redirect("matching:match", match_id=match_id)
    return redirect("matching:requests")


@login_required
@require_POST
def decline_request(request, match_id):
    if _answer(request, match_id, services.decline):
        messages.info(request, _("You have declined. We will let them know kindly."))
    return redirect("matching:requests")


@login_required
@require_POST
def withdraw_request(request, match_id):
    match = selectors.member_match(request.user, match_id)
    if not services.may_withdraw(match, request.user):
        raise Http404
    try:
        services.withdraw_request(match, request.user)
    except services.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Your request has been withdrawn."))
    return redirect("matching:suggestions", slug=match.programme.slug)


@login_required
def match_detail(request, match_id):
    match = selectors.member_match(request.user, match_id)
    members = match.members.select_related("user").order_by("role", "pk")
    goals = match.goals.prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk")))
    return render(
        request,
        "matching/match_detail.html",
        {"match": match, "members": members, "goals": goals, "goal_form": GoalForm(),
         "panels": extensions.match_panels(request, match, members),
         # (pk, name) pairs rather than memberships and people: a programme may have thousands of mentors.
         "co_mentors": list(co_mentors_to_invite(match, request.user).values_list("pk", "user__display_name"))},
    )  # fmt: skip


@login_required
def close_match(request, match_id):
    match = selectors.member_match(request.user, match_id)
    if not match.is_current:
        messages.info(request, _("This match has already ended."))
        return redirect(match)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close(match, request.user, **form.cleaned_data)
        except services.MatchingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The match is closed. Thank you for the time you gave."))
            return redirect(match)
    return render(request, "matching/close.html", {"match": match, "form": form})


def _goal_page(request, match, goal=None):
    if not match.is_current:
        messages.info(request, _("Goals of an ended match can be read but not changed."))
        return redirect(match)
    waiting = waiting_text(goal, "description") if goal else None
    form = GoalForm(
        request.POST or None, instance=goal, programme=match.programme,
        initial={"description": waiting} if waiting and goal.created_by_id == request.user.pk else None,
    )  # fmt: skip
    milestones = MilestoneFormSet(
        request.POST or None, instance=goal or Goal(match=match), prefix="steps",
        form_kwargs={"programme": match.programme},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        outcome = services.save_goal(match, form, milestones, request.user)
        messages.success(request, _("Goal saved."))
        if outcome == "hold":
            messages.info(request, _("Its details may contain contact details: a coordinator will read them first."))
        return redirect(match)
    return render(request, "matching/goal_form.html", {"match": match, "form": form, "milestones": milestones})


@login_required
def goal_add(request, match_id):
    return _goal_page(request, selectors.member_match(request.user, match_id))


@login_required
def goal_edit(request, goal_id):
    goal = get_object_or_404(Goal.objects.filter(match__members__user=request.user).select_related("match"), pk=goal_id)
    return _goal_page(request, goal.match, goal)


@login_required
@require_POST
def milestone_toggle(request, milestone_id):
    step = get_object_or_404(
        Milestone.objects.filter(goal__match__members__user=request.user).select_related("goal__match"), pk=milestone_id
    )
    services.toggle_step(step)
    return redirect(step.goal.match)
