"""Read an e-mail as it arrived (bytes, or a provider's parsed message) into messaging's IncomingEmail.

Written for hostile input: a header with line breaks in it is one header's value, never two; an unknown
or lying charset is decoded with replacement characters; a multipart nested deeper than anyone's mail
client writes, or with thousands of parts, is unreadable rather than walked; HTML-only mail is turned
into text (inscriptis) with its markup gone. Nothing here stores anything.
"""

import email
import email.policy
import email.utils
import logging
import re
from email.message import EmailMessage, Message

from inscriptis import get_text

from messaging.email_replies import AUTOMATIC_HEADERS, IncomingEmail, verdict

logger = logging.getLogger(__name__)

MAX_DEPTH = 8  # multiparts within multiparts: Outlook's deepest is 4
MAX_PARTS = 200
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)


def parse_bytes(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _header(message: Message, name: str) -> str:
    """A header's value as one line: decoding errors and line breaks are never carried further."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header reads as absent
        return ""
    return " ".join(str(value or "").split())[:2000]


def _address(value: str) -> str:
    _name, address = email.utils.parseaddr(value)
    address = address.strip().lower()
    return address if "@" in address and not any(c in address for c in "\r\n\t ,;<>") else ""


def _addresses(message: Message, *names: str) -> list[str]:
    values = []
    for name in names:
        try:
            values += [str(v) for v in message.get_all(name, [])]
        except Exception:  # noqa: BLE001, S112 - a malformed address header reads as absent
            continue
    found = [address.strip().lower() for _name, address in email.utils.getaddresses(values)]
    return [address for address in found if address and "@" in address]


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except (LookupError, TypeError):  # a charset Python has never heard of
        return payload.decode("utf-8", errors="replace")


def _bodies(message: Message) -> tuple[str, str, int, bool]:
    """(plain text, html, attachments, unreadable), walking at most MAX_PARTS parts MAX_DEPTH deep."""
    text = html = ""
    attachments = 0
    seen = 0
    stack = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_PARTS:
            return "", "", attachments, True
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend((child, depth + 1) for child in reversed(children))
            continue
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if disposition == "attachment" or not content_type.startswith("text/") or part.get_filename():
            attachments += 1
        elif content_type == "text/plain" and not text:
            text = _decoded(part)
        elif content_type == "text/html" and not html:
            html = _decoded(part)
    return text, html, attachments, False


def html_to_text(html: str) -> str:
    try:
        return get_text(html).strip()
    except Exception:
        logger.warning("An HTML reply could not be turned into text", exc_info=True)
        return ""


def authentication_from(message: Message, authserv_id: str) -> bool | None:
    """SPF/DKIM from the Authentication-Results header our own mail server added (RFC 8601): only the
    one naming its authserv-id counts. True if either passed, False if checked and neither did."""
    if not authserv_id:
        return None
    verdicts = {}
    for value in message.get_all("Authentication-Results", []) or []:
        value = " ".join(str(value).split())
        if value.split(";", 1)[0].strip().lower() != authserv_id.lower():
            continue
        for method, result in _AUTH_RESULT.findall(value):
            verdicts.setdefault(method.lower(), result.lower())
    return verdict(verdicts.get("spf", ""), verdicts.get("dkim", ""))


def read(
    message: Message,
    *,
    channel: str,
    size: int,
    recipients: list[str] | None = None,
    envelope_sender: str | None = None,
    authenticated: bool | None = None,
) -> IncomingEmail:
    """The envelope's recipients when the way in knows them (SMTP's RCPT TO, a provider's), else To and Cc."""
    text, html, attachments, unreadable = _bodies(message)
    if not text.strip() and html:
        text = html_to_text(html)
    message_ids = _MESSAGE_ID.findall(_header(message, "Message-ID"))
    in_reply_to = _MESSAGE_ID.findall(_header(message, "In-Reply-To") + " " + _header(message, "References"))
    return IncomingEmail(
        channel=channel,
        recipients=tuple(a.strip().lower() for a in (recipients or _addresses(message, "To", "Cc", "Delivered-To"))),
        sender=_address(_header(message, "From")),
        message_id=message_ids[0] if message_ids else "",
        size=size,
        envelope_sender=envelope_sender,
        in_reply_to=tuple(dict.fromkeys(in_reply_to)),
        subject=_header(message, "Subject")[:300],
        text=text,
        attachments=attachments,
        automatic_headers={name: _header(message, name) for name in AUTOMATIC_HEADERS if name in message},
        is_report=message.get_content_type() == "multipart/report",
        authenticated=authenticated,
        unreadable=unreadable,
    )
