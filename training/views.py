from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from richtext import render_markdown
from ui.content import in_reader_language

from . import services
from .forms import AttemptForm
from .models import Attempt, Module


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@login_required
def index(request):
    done = services.completed_module_ids(request.user.pk)
    modules = Module.objects.filter(is_active=True)
    return render(request, "training/index.html", {"modules": modules, "done": done})


@login_required
def module(request, slug):
    module = get_object_or_404(Module.objects.filter(is_active=True), slug=slug)
    # An empty POST (an acknowledgement sent without its box ticked) is still an answer to check.
    form = AttemptForm(request.POST if request.method == "POST" else None, module=module)
    attempt = None
    if request.method == "POST" and form.is_valid():
        attempt = services.submit(
            request.user, module, answers=form.answers(), confirmed=form.cleaned_data.get("confirmed", False)
        )
        if attempt.passed:
            title = in_reader_language(module.title)
            messages.success(request, _("Well done: you have completed “%(title)s”.") % {"title": title})
            return redirect(_next_url(request) or "training:index")
        form = AttemptForm(module=module)  # a fresh try, with what was wrong shown beside it
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "body": render_markdown(in_reader_language(module.body), limit=Module._meta.get_field("body").max_length),
            "form": form,
            "attempt": attempt,
            "wrong": _wrong_questions(module, request.POST) if attempt else [],
            "completed": services.completed(request.user.pk, module),
            "next": _next_url(request) or "",
            "attempts": Attempt.objects.filter(person=request.user, module=module).count(),
        },
    )


def _wrong_questions(module: Module, posted) -> list:
    """The questions answered wrongly, with their explanations, to read before trying again."""
    wrong = []
    for question in module.questions.prefetch_related("choices"):
        right = {choice.pk for choice in question.choices.all() if choice.is_correct}
        if str(posted.get(f"q{question.pk}", "")) not in {str(pk) for pk in right}:
            wrong.append(question)
    return wrong
