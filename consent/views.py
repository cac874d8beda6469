"""The guardian's pages: no account needed, the signed link is the key."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import services

_GONE_STATUS = {"invalid": 404, "expired": 410, "replaced": 410, "answered": 409, "not_given": 409}


def _gone(request, found):
    return render(request, "consent/link_gone.html", {"problem": found.problem, "consent": found.consent},
                  status=_GONE_STATUS[found.problem])  # fmt: skip


@require_http_methods(["GET", "POST"])
def answer(request, token):
    found = services.find(token, services.ANSWER)
    if found.problem:
        return _gone(request, found)
    consent = found.consent
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice not in ("give", "decline"):
            return render(request, "consent/answer.html", {"consent": consent, "error": True}, status=400)
        decided = services.give(consent) if choice == "give" else services.decline(consent)
        if decided is None:  # answered a moment ago, in another tab
            return _gone(request, services.find(token, services.ANSWER))
        return render(request, "consent/answered.html", {"consent": decided})
    return render(request, "consent/answer.html", {"consent": consent})


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    found = services.find(token, services.WITHDRAW)
    if found.problem:
        return _gone(request, found)
    if request.method == "POST":
        withdrawn = services.withdraw(found.consent)
        if withdrawn is None:
            return _gone(request, services.find(token, services.WITHDRAW))
        return render(request, "consent/withdrawn.html", {"consent": withdrawn})
    return render(request, "consent/withdraw.html", {"consent": found.consent})
