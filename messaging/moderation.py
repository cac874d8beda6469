"""What a programme does with a message that carries contact details or listed words.

The finding is the contact filter's (contactfilter: every app screens what people write with it);
the decision is the programme's ModerationPolicy: deliver (allow), deliver and show coordinators
(flag), or hold until a coordinator approves (hold), per kind of finding.
"""

from __future__ import annotations

from contactfilter import find_contact_details

from .models import Message, ModerationAction, ModerationPolicy


def policy_for(programme) -> ModerationPolicy:
    try:
        return programme.moderation_policy
    except ModerationPolicy.DoesNotExist:
        return ModerationPolicy(programme=programme)  # the defaults, unsaved


def moderate(body: str, policy: ModerationPolicy) -> tuple[str, list[dict]]:
    """The status a text gets under a policy, and what was found in it."""
    findings = find_contact_details(body, region=policy.phone_region, words=policy.word_list)
    actions = {policy.action_for(finding.kind) for finding in findings}
    if ModerationAction.HOLD in actions:
        status = Message.Status.HELD
    elif ModerationAction.FLAG in actions:
        status = Message.Status.FLAGGED
    else:
        status = Message.Status.VISIBLE
    return status, [{"kind": finding.kind, "text": finding.text[:200]} for finding in findings[:50]]
