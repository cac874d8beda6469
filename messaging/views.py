"""Messaging pages. Thin: find the viewer's place in the conversation (404 for anyone else, never
403: a conversation's existence is private), validate, call a service, render."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from matching.selectors import member_match
from notices import services as notices
from richtext import render_markdown
from ui.dates import local_date

from . import announcements as announcement_service
from . import export, scheduling, search, selectors, services, thread_cache
from .forms import (
    AcknowledgeForm,
    DraftForm,
    MessageForm,
    NewConversationForm,
    ReportForm,
    SearchForm,
    new_submission_key,
)
from .models import Conversation, Message, Participant, ScheduledMessage
from .ratelimit import allow_message


def _participation(user, conversation_id) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("conversation__match__programme", "user"),
        conversation_id=conversation_id,
        user=user,
    )


def _visible_message(user, message_id) -> Message:
    messages = Message.objects.filter(conversation__participants__user=user).visible_to(user)
    return get_object_or_404(messages.select_related("conversation", "sender"), pk=message_id)


QUOTED_LINES = 3  # a quote recalls the message; the whole of it is one tap away in the thread


def _quote(message: Message) -> str:
    """The first lines of what the message itself says (its own quotes left out, so quotes never nest
    and a thread does not grow by a whole message at every reply). The browser quotes a selection instead."""
    own = [line for line in message.body.splitlines() if not line.lstrip().startswith(">")]
    while own and not own[0].strip():
        own.pop(0)
    lines = [line for line in own if line.strip()]
    quoted = [f"> {line}" for line in lines[:QUOTED_LINES]] + (["> …"] if len(lines) > QUOTED_LINES else [])
    return _("%(name)s wrote:") % {"name": message.sender.display_name} + "\n" + "\n".join(quoted) + "\n\n"


@login_required
@require_safe
def inbox(request):
    filter_name = request.GET.get("filter", "all")
    if filter_name not in selectors.FILTERS:
        filter_name = "all"
    page = selectors.inbox(request.user, filter_name, request.GET.get("after"))
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "filter_name": filter_name, "filters": selectors.FILTERS, "now": timezone.now()},
    )


@login_required
@require_safe
def needs_me(request):
    """The navigation's badges, fetched by site.js when a page loads and every minute after (never
    part of a page, so cached thread pages stay the same for everyone)."""
    counts = selectors.needs_me(request.user)
    response = render(
        request,
        "messaging/_needs_me.html",
        {"counts": counts, "unread_notices": notices.unread_count(request.user)},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _thread_people(request, conversation_id, shown_only=False) -> tuple[Participant, list[Participant]]:
    found = selectors.thread_people(request.user, conversation_id, shown_only)
    if found is None:
        raise Http404
    return found


def _thread_context(request, me: Participant, everyone: list[Participant]) -> dict:
    """What the thread page shows apart from the reply box."""
    conversation = me.conversation
    before = request.GET.get("before", "")
    page = selectors.thread(request.user, conversation, int(before) if before.isdigit() else None)
    others = [p for p in everyone if p.user_id != request.user.pk]
    return {
        "conversation": conversation,
        "me": me,
        "everyone": everyone,
        "others": others,
        "page": page,
        "typical": selectors.typical_response_seconds([p.user_id for p in others]),
        "seen": services.seen_by(page.messages, request.user, others),
        "editable": services.editable_ids(page.messages, request.user, others, conversation),
        "acknowledge_form": AcknowledgeForm(),
        "can_write": not conversation.is_read_only and conversation.match.is_writable,
    }


def _reply_form(request, me: Participant, page) -> MessageForm:
    """The reply box holds the draft left here, under the message being quoted (`?quote=id`) if any."""
    initial = {"body": me.draft_body or "", "reply_to": me.draft_reply_to}
    quote_id = request.GET.get("quote", "")
    if quote_id.isdigit():
        quoted = next((m for m in page.full if m.pk == int(quote_id)), None)
        if quoted:
            initial = {"body": _quote(quoted) + initial["body"], "reply_to": quoted.pk}
    # Each page served gets a key of its own (thread_cache puts it in, for a page from the cache too).
    return MessageForm(initial={**initial, "submission": thread_cache.SUBMISSION_SLOT})


def _render_thread(request, me, everyone, form, preview_html=None, status=200):
    """The thread page after a reply that needs another look (errors, preview): never cached. The
    submission keeps its key: sending after a preview is the same submission."""
    form.data = form.data.copy()
    form.data["submission"] = form.data.get("submission") or new_submission_key()
    context = {**_thread_context(request, me, everyone), "form": form, "preview_html": preview_html}
    return render(request, "messaging/thread.html", context, status=status)


@login_required
@require_safe
def thread(request, conversation_id):
    stamp = selectors.thread_stamp(request.user, conversation_id, services.EDIT_WINDOW)
    if stamp is None:
        raise Http404
    services.mark_read(stamp.me)

    def render_page() -> str:
        me, everyone = _thread_people(request, conversation_id, shown_only=True)  # thread_page.SHOWN
        context = _thread_context(request, me, everyone)
        context["form"] = _reply_form(request, me, context["page"])
        return render_to_string("messaging/thread.html", context, request=request)

    return HttpResponse(thread_cache.page(request, stamp, render_page))


@login_required
@require_POST
def reply(request, conversation_id):
    me, everyone = _thread_people(request, conversation_id)
    if "preview" in request.POST:  # the no-JavaScript preview
        form = MessageForm(request.POST)
        preview = render_markdown(request.POST.get("body", "")) if form.is_valid() else None
        return _render_thread(request, me, everyone, form, preview)

    def send_now(body, reply_to, submission_key):
        message = services.send_message(request.user, me.conversation, body, reply_to, submission_key)
        if message.status == Message.Status.HELD:
            flash.info(request, _("Your message is awaiting review by a coordinator before it is delivered."))
        return redirect(f"{me.conversation.get_absolute_url()}#message-{message.pk}")

    return _posted_reply(request, me, everyone, send_now)


def _posted_reply(request, me, everyone, deliver):
    """The reply form's way, sent now or scheduled: the form, the rate limit (what they wrote is kept as a
    draft for when they come back), the quoted message, then `deliver(body, reply_to, submission_key)`;
    a refusal shows the thread again with the text and the reason."""
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, me, everyone, form, status=400)
    if not allow_message(request.user):
        services.save_draft(me, form.cleaned_data["body"], form.cleaned_data.get("reply_to"))
        return render(request, "messaging/rate_limited.html", {"conversation": me.conversation}, status=429)
    reply_to = None
    if form.cleaned_data.get("reply_to"):
        reply_to = Message.objects.filter(pk=form.cleaned_data["reply_to"], conversation=me.conversation).first()
    try:
        return deliver(form.cleaned_data["body"], reply_to, form.cleaned_data["submission"])
    except services.MessagingError as error:
        form.add_error("body", str(error))
        return _render_thread(request, me, everyone, form, status=400)


@login_required
@require_POST
def schedule(request, conversation_id):
    """ "Deliver at 08:00 their time": the reply is kept and sent when the recipients' quiet hours end."""
    me, everyone = _thread_people(request, conversation_id)

    def keep_for_later(body, reply_to, submission_key):
        scheduled = scheduling.schedule(request.user, me.conversation, body, reply_to=reply_to,
                                        submission_key=submission_key)  # fmt: skip
        flash.success(
            request,
            _(
                "Your reply will be delivered on %(when)s, your time, when their quiet hours end. "
                "You can take it back until then."
            )
            % {"when": local_date(scheduled.deliver_at, "l j F, H:i")},
        )
        return redirect(f"{me.conversation.get_absolute_url()}#reply")

    return _posted_reply(request, me, everyone, keep_for_later)


@login_required
@require_safe
def scheduled(request, conversation_id):
    """Under the reply box (fetched by site.js on load): the viewer's scheduled replies, and whether it is a good time
    for the others now; when it is not, the offer to deliver at the end of their quiet hours."""
    me, everyone = _thread_people(request, conversation_id)
    now = timezone.now()
    others = [p.user for p in everyone if p.user_id != request.user.pk]
    in_quiet = scheduling.in_quiet_hours_now(others, now)
    good_time = max((until for _person, until in in_quiet), default=None) if me.conversation.match.is_writable else None
    # Their clocks, written here: the template's time filter would show the viewer's own.
    quiet = [
        {"name": person.display_name, "at": until, "now": time_format(now.astimezone(person.zone), "H:i"),
         "until": time_format(until.astimezone(person.zone), "H:i")}
        for person, until in in_quiet
    ]  # fmt: skip
    context = {
        "conversation": me.conversation,
        "pending": scheduling.pending_for(request.user, conversation_id),
        "good_time": good_time,
        # "their time": on the clock of the person whose quiet hours end last
        "their_time": next((q["until"] for q in quiet if q["at"] == good_time), ""),
        "quiet": quiet,
    }
    if request.headers.get("X-Fragment"):
        return render(request, "messaging/_scheduled.html", {**context, "offer": True})
    return render(request, "messaging/scheduled.html", context)


@login_required
@require_POST
def cancel_scheduled(request, scheduled_id):
    scheduled = get_object_or_404(ScheduledMessage, pk=scheduled_id, sender=request.user)
    try:
        scheduling.cancel(scheduled, request.user)
    except services.MessagingError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("Taken back: your reply is in the reply box again."))
    return redirect(f"{scheduled.conversation.get_absolute_url()}#reply")


@login_required
@require_POST
def preview(request, conversation_id):
    _participation(request.user, conversation_id)
    return render(request, "messaging/_preview.html", {"html": render_markdown(request.POST.get("body", ""))})


@login_required
@require_POST
def draft(request, conversation_id):
    me = _participation(request.user, conversation_id)
    form = DraftForm(request.POST)
    fragment = request.headers.get("X-Fragment")
    if not form.is_valid():
        if fragment:
            return render(request, "messaging/_draft_status.html", {"error": True}, status=400)
        flash.error(request, _("The draft could not be saved: it contains characters that cannot be stored."))
        return redirect(me.conversation)
    services.save_draft(me, form.cleaned_data["body"], form.cleaned_data["reply_to"], form.cleaned_data["submission"])
    if fragment:
        return render(request, "messaging/_draft_status.html", {"saved_at": timezone.now()})
    flash.success(request, _("Draft saved."))
    return redirect(me.conversation)


@login_required
@require_POST
def acknowledge(request, conversation_id):
    me = _participation(request.user, conversation_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Choose the day you will reply by."))
        return redirect(me.conversation)
    try:
        services.acknowledge(me, form.cleaned_data["reply_by"])
    except services.MessagingError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("Thank you: they will see that you have read it and when to expect your reply."))
    return redirect(me.conversation)


@login_required
@require_POST
def archive(request, conversation_id):
    """Archive the conversation, or bring it back to the inbox if it is archived."""
    me = _participation(request.user, conversation_id)
    services.set_archived(me, not me.archived)
    flash.info(request, _("Moved to your archive.") if not me.archived else _("Back in your inbox."))
    return redirect("messaging:inbox")


@login_required
@require_POST
def mute(request, conversation_id):
    """Stop (or restart) e-mails about new messages in this conversation."""
    me = _participation(request.user, conversation_id)
    services.set_muted(me, not me.muted)
    return redirect(me.conversation)


@login_required
def new_conversation(request, match_id):
    match = member_match(request.user, match_id)
    if not match.is_writable:
        flash.info(request, services.closed_message(match))
        return redirect(match)
    form = NewConversationForm(
        request.POST or None, initial={"submission": new_submission_key()}, programme=match.programme
    )
    if request.method == "POST" and form.is_valid():
        if not allow_message(request.user):
            return render(request, "messaging/rate_limited.html", {"conversation": None}, status=429)
        try:
            conversation = services.start_conversation(
                match,
                request.user,
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
                form.cleaned_data["submission"],
            )
        except services.MessagingError as error:
            form.add_error(None, str(error))
        else:
            return redirect(conversation)
    return render(request, "messaging/new.html", {"match": match, "form": form})


@login_required
def edit(request, message_id):
    message = _visible_message(request.user, message_id)
    if not services.can_edit(message, request.user):
        flash.info(request, _("This message can no longer be edited."))
        return redirect(message.conversation)
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(message, request.user, form.cleaned_data["body"])
        except services.MessagingError as error:
            form.add_error("body", str(error))
        else:
            return redirect(f"{message.conversation.get_absolute_url()}#message-{message.pk}")
    return render(request, "messaging/edit.html", {"message": message, "form": form})


@login_required
def report(request, message_id):
    message = _visible_message(request.user, message_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_concern(message, request.user, form.cleaned_data["reason"])
        flash.success(request, _("Thank you. The programme's safeguarding lead has been told and will act."))
        return redirect(message.conversation)
    return render(request, "messaging/report.html", {"message": message, "form": form})


@login_required
@require_safe
def search_page(request):
    form = SearchForm(request.GET or None)
    results, searched = [], False
    if form.is_valid() and form.cleaned_data["q"]:
        searched = True
        results = search.search_messages(request.user, search.Criteria.from_form(form.cleaned_data))
    matches, people = search.filter_choices(request.user)
    return render(
        request,
        "messaging/search.html",
        {"form": form, "results": results, "searched": searched, "matches": matches, "people": people},
    )


def _download(html: str, filename: str) -> HttpResponse:
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def export_conversation(request, conversation_id):
    me = _participation(request.user, conversation_id)
    html = export.export_html(request.user, Conversation.objects.filter(pk=me.conversation_id))
    return _download(html, f"conversation-{me.conversation_id}.html")


@login_required
@require_safe
def export_all(request):
    html = export.export_html(request.user, Conversation.objects.for_participant(request.user))
    return _download(html, f"my-mentoring-conversations-{timezone.localdate():%Y-%m-%d}.html")


@login_required
@require_safe
def announcements(request):
    """What the person's coordinators announced to them; opening the page marks them read."""
    received = list(announcement_service.of(request.user)[:50])
    response = render(request, "messaging/announcements.html", {"received": received})
    announcement_service.mark_read(request.user)
    return response
