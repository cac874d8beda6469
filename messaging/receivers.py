"""messaging reacts to matching's events; matching never imports messaging (DESIGN.md)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from matching.signals import match_activated, match_closed, member_joined, member_left

from .models import Conversation
from .services import add_participant, make_read_only, open_conversation, remove_participant


@receiver(match_activated)
def open_first_conversation(sender, match, **kwargs):
    """Every active match has somewhere to say hello from the first minute."""
    if not Conversation.objects.filter(match=match).exists():
        open_conversation(match, _("Getting to know each other"))


@receiver(match_closed)
def close_conversations(sender, match, **kwargs):
    make_read_only(match)


@receiver(member_joined)
def join_conversations(sender, match, user_id, role, **kwargs):
    """A new member of a group takes part in each of its conversations from now on (its history too:
    a group's conversations are the group's)."""
    add_participant(match, user_id, role)


@receiver(member_left)
def leave_conversations(sender, match, user_id, **kwargs):
    """One who left a group can no longer open its conversations; what they wrote stays for the others."""
    remove_participant(match, user_id)
