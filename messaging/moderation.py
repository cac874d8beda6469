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


def policies_for_texts(person=None, programme=None) -> list[ModerationPolicy]:
    """accounts.text_screening's policy provider: a programme's policy, or those of all a person's programmes."""
    from matching.models import Membership, Programme

    if programme is not None:
        return [policy_for(programme)]
    if person is None or person.pk is None:
        return []
    programmes = Programme.objects.filter(
        memberships__user=person, memberships__status__in=[Membership.Status.APPLIED, Membership.Status.APPROVED]
    ).select_related("moderation_policy")
    return [policy_for(programme) for programme in programmes]
