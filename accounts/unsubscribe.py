"""Signed, long-lived unsubscribe tokens: one per person and kind of e-mail."""

from django.core import signing

_SALT = "accounts.unsubscribe"


def make_unsubscribe_token(user_id: int, kind: str) -> str:
    # No expiry: an unsubscribe link in a year-old e-mail must still work (RFC 8058).
    return signing.dumps({"u": user_id, "k": kind}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None for a token that is tampered with, truncated or not ours."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]
