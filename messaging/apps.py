from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from accounts.delivery import register_send_hook
        from accounts.text_screening import register_policy_provider, register_review_alert
        from agreements.reply_window import register_default_reply_days
        from matching.extensions import register_consent_facts, register_match_panel
        from meetings.extensions import register_agenda_source

        from . import (
            agenda_source,
            consent_facts,
            match_panel,
            receivers,  # noqa: F401 - connects to matching's signals
        )
        from .moderation import policies_for_texts
        from .notifications import (
            FLAGGED_TEMPLATE,
            NEW_MESSAGE_TEMPLATE,
            refresh_flagged_email,
            refresh_new_message_email,
            text_to_review,
        )
        from .reply_window import programme_reply_days

        register_send_hook(NEW_MESSAGE_TEMPLATE, refresh_new_message_email)
        register_send_hook(FLAGGED_TEMPLATE, refresh_flagged_email)
        # Every text people write for others is read under the programmes' moderation policies.
        register_policy_provider(policies_for_texts)
        register_review_alert(text_to_review)
        # The match page lists the match's conversations.
        register_match_panel(match_panel.TEMPLATE, match_panel.context)
        # A guardian asked for consent is told how long messages are kept and who can read them.
        register_consent_facts(consent_facts.consent_facts)
        # An agreement's first draft offers the programme's reply window.
        register_default_reply_days(programme_reply_days)
        # A meeting's agenda can be picked from the pair's messages.
        register_agenda_source(agenda_source.recent, agenda_source.by_id)
