"""The check-in page, opened from the e-mail's link: the signed link is the key (no sign-in on a phone)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import CHOICES, CheckInForm

_GONE_STATUS = {"invalid": 404, "expired": 410, "answered": 409}


@require_http_methods(["GET", "POST"])
def answer(request, token):
    check_in, problem = services.find(token)
    if problem:
        return render(request, "checkins/link_gone.html", {"problem": problem}, status=_GONE_STATUS[problem])
    questions = check_in.survey.questions.all()
    form = CheckInForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        if services.answer(check_in, form.answers()) is None:  # answered a moment ago, in another tab
            return render(request, "checkins/link_gone.html", {"problem": "answered"}, status=409)
        return render(request, "checkins/thanks.html", {"check_in": check_in})
    return render(request, "checkins/answer.html", {"check_in": check_in, "form": form, "choices": CHOICES})
