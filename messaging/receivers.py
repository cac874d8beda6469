"""messaging reacts to matching's events; matching never imports messaging (DESIGN.md)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from matching.signals import match_activated, match_closed

from .models import Conversation
from .services import make_read_only, open_conversation


@receiver(match_activated)
def open_first_conversation(sender, match, **kwargs):
    """Every active match has somewhere to say hello from the first minute."""
    if not Conversation.objects.filter(match=match).exists():
        open_conversation(match, _("Getting to know each other"))


@receiver(match_closed)
def close_conversations(sender, match, **kwargs):
    make_read_only(match)
