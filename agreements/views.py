"""The pair's agreement page: what is in force, a change waiting for an answer, and the form to propose."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.selectors import member_match

from . import services
from .forms import AgreementForm
from .models import Agreement
from .reply_window import default_reply_days


def _my_agreement(user, agreement_id) -> Agreement:
    return get_object_or_404(
        Agreement.objects.filter(match__members__user=user).select_related("match__programme"), pk=agreement_id
    )


@login_required
def agreement(request, match_id):
    match = member_match(request.user, match_id)
    waiting = services.proposed(match)
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        initial=services.first_draft(match, default_reply_days(match.programme)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose(match, request.user, form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field, message)
        except services.AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Signed and sent: it comes into force when everyone has signed."))
            return redirect("agreements:agreement", match.pk)
    signed = set(waiting.signatures.values_list("user_id", flat=True)) if waiting else set()
    return render(
        request,
        "agreements/agreement.html",
        {
            "match": match,
            "current": services.in_force(match),
            "waiting": waiting,
            "signed_by_me": request.user.pk in signed,
            "form": form,
            "may_propose": match.is_writable and (waiting is None or waiting.proposed_by_id == request.user.pk),
            "history": match.agreements.exclude(status=Agreement.Status.PROPOSED).select_related("proposed_by"),
        },
    )


@login_required
@require_POST
def sign(request, agreement_id):
    found = _my_agreement(request.user, agreement_id)
    try:
        signed = services.sign(found, request.user)
    except services.AgreementError as error:
        messages.error(request, str(error))
    else:
        if signed.status == Agreement.Status.IN_FORCE:
            messages.success(request, _("Signed: your agreement is in force."))
        else:
            messages.success(request, _("Signed: it comes into force when everyone has signed."))
    return redirect("agreements:agreement", found.match_id)


@login_required
@require_POST
def decline(request, agreement_id):
    found = _my_agreement(request.user, agreement_id)
    try:
        services.decline(found, request.user)
    except services.AgreementError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Not accepted: the agreement stays as it was. Talk it over in your messages."))
    return redirect("agreements:agreement", found.match_id)
