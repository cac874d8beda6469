"""The programme's usual reply window, for an agreement's first draft. Messaging owns it (its
MessagingPolicy) and registers a provider here, since agreements stand below messaging."""

from collections.abc import Callable

from .services import DEFAULT_REPLY_DAYS

_PROVIDERS: list[Callable] = []


def register_default_reply_days(provider: Callable) -> None:
    """provider(programme) -> days."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def default_reply_days(programme) -> int:
    for provider in _PROVIDERS:
        return provider(programme)
    return DEFAULT_REPLY_DAYS
