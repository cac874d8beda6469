"""What agreements show on matching's match page (registered in AgreementsConfig.ready)."""

from . import services

TEMPLATE = "agreements/_match_agreement.html"


def context(request, match, members) -> dict:
    waiting = services.proposed(match)
    return {
        "current": services.in_force(match),
        "waiting": waiting,
        "my_turn": waiting is not None and all(s.user_id != request.user.pk for s in waiting.signatures.all()),
    }
