from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django.urls import reverse

from .email_kinds import EmailKind
from .emails import absolute_url, queue_email


@receiver(email_confirmed)
def send_welcome_email(request, email_address, **kwargs):
    """Once someone has proved their address, tell them how to get the most from the platform."""
    user = email_address.user
    queue_email(
        user,
        kind=EmailKind.WELCOME,
        template="emails/welcome",
        context={"profile_url": absolute_url(reverse("accounts:profile"))},
        dedupe_key=f"welcome:{user.pk}",
    )
