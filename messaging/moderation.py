"""Finding contact details in messages, so that conversations stay on the platform.

Mentees are often young people: a programme decides, per kind of finding, whether a message is
delivered (allow), delivered and shown to coordinators (flag), or held until a coordinator
approves it (hold).

Speed on hostile input matters (a message is checked while its sender waits). Every scan
starts from a literal anchor ("@", "://", "www.", a top-level domain, a platform name, a digit)
and looks a bounded distance around it, so the work is linear in the length of the text: 100 KB
of anything is scanned in milliseconds (a test checks the worst shapes we know).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

KINDS = ("email", "phone", "url", "handle", "word")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


_AT_DOMAIN = re.compile(r"(?<=[\w.+\-])@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,4}\.[A-Za-z]{2,24}\b")
# Anchored on the literal "at" (a leading optional space would make the scan try every position),
# and only where a domain-like word and a dot follow, so ordinary "at"s never reach Python.
_AT = re.compile(
    r"(?:[(\[{]\s{0,2}at\s{0,2}[)\]}]|\bat\b)(?=\s{0,3}[A-Za-z0-9\-]{1,63}\s{0,3}(?:[(\[{]\s{0,2}dot|\bdot\b|\.))",
    re.IGNORECASE,
)
_SPACES = frozenset(" \t")
_DOT = re.compile(r"\s{0,3}(?:[(\[{]\s{0,2}dot\s{0,2}[)\]}]|\bdot\b|\.)\s{0,3}", re.IGNORECASE)
_LABEL = re.compile(r"[A-Za-z0-9\-]{1,63}")

# Messenger links and platform names are found with str.find on the lower-cased text (C speed),
# then checked with a regex anchored where they were found.
_MESSENGER_HOSTS = ("wa.me/", "t.me/", "telegram.me/", "discord.gg/", "discord.com/invite/", "snapchat.com/add/",
                    "instagram.com/", "tiktok.com/@", "m.me/")  # fmt: skip
_MESSENGER_PATH = re.compile(r"[\w.@\-/]{1,64}")
_LINK_PREFIX = re.compile(r"(?:https?://)?(?:www\.)?$", re.IGNORECASE)
_PLATFORMS = ("snapchat", "snap", "instagram", "insta", "ig", "tiktok", "tik tok", "discord", "telegram", "whatsapp",
              "whats app", "signal", "kik", "wechat", "facebook", "fb", "twitter", "threads", "skype")  # fmt: skip
# Right after a platform name: "snap: jo_123", "insta @jo.123", "discord - jo#1234", "my insta is jo.1"
_HANDLE_WITH_SEPARATOR = re.compile(r"\s{0,3}(?:[:=@\-]|\bis\b\s{0,3}@)\s{0,3}@?([A-Za-z0-9][\w.]{1,30}(?:#\d{4})?)")
_HANDLE_AFTER_WORD = re.compile(
    r"\s{1,3}(?:is|id|name|handle|user(?:name)?)\s{0,3}:?\s{0,3}@?([A-Za-z0-9]*[\d_.][\w.]{0,30})", re.IGNORECASE
)

_URL_START = re.compile(r"\bhttps?://|\bwww\.", re.IGNORECASE)
_URL_BODY = re.compile(r"[^\s<>\"']{1,2000}")
_TLD = re.compile(
    r"\.(?:com|org|net|io|co|uk|me|info|biz|app|dev|ly|gg|tv|us|ca|au|de|fr|es|it|nl|in|ng|gh|ke|za|edu|gov|xyz|link)"
    r"(?:\.[a-z]{2})?\b",
    re.IGNORECASE,
)
_PATH_AFTER = re.compile(r"/[^\s<>\"']{0,2000}")

# A run that could be a phone number: digits with single separators, optional + and brackets.
_DIGIT_RUN = re.compile(r"(?<![\w.])\+?\(?\d(?:[\d()]|[ .\-/](?=[\d(])){6,24}")
_SPACED_DIGITS = re.compile(r"(?<![\d+])\+?(?:\d[ .\-]?){10,15}(?!\d)")
_DATE_OR_TIME = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$|^\d{1,2}[:.]\d{2}$")


_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")
_HOST_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


def _skip_spaces(text: str, position: int, limit: int = 3) -> int:
    end = min(len(text), position + limit)
    while position < end and text[position] in _SPACES:
        position += 1
    return position


def _left_extent(text: str, position: int, allowed: frozenset, limit: int) -> int:
    """Where a run of `allowed` characters ending at `position` starts, looking back at most `limit`."""
    start, floor = position, max(0, position - limit)
    while start > floor and text[start - 1] in allowed:
        start -= 1
    return start


# Past this many findings of one kind the decision cannot change: stop looking for more, so that
# a message made of thousands of links costs no more than one with a hundred.
MAX_FINDINGS_PER_KIND = 100


class _Full(Exception):
    pass


class _Spans:
    """Findings that do not overlap ones already made (an e-mail's domain is not also a link).

    A byte per character marks what is taken, so each check costs the span's length, not the
    number of findings so far.
    """

    def __init__(self, text: str):
        self.text = text
        self.taken = bytearray(len(text))
        self.findings: list[Finding] = []
        self.counts: dict[str, int] = {}

    def add(self, kind: str, start: int, end: int) -> None:
        if self.counts.get(kind, 0) >= MAX_FINDINGS_PER_KIND:
            raise _Full
        if end <= start or any(self.taken[start:end]):
            return
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.taken[start:end] = b"\x01" * (end - start)
        self.findings.append(Finding(kind, start, end, self.text[start:end]))


def _emails(text: str, spans: _Spans) -> None:
    # The regex finds "@domain.tld" after a local-part character in C; only real hits reach Python.
    for at in _AT_DOMAIN.finditer(text):
        spans.add("email", _left_extent(text, at.start(), _LOCAL_PART, 64), at.end())


def _obfuscated_emails(text: str, spans: _Spans) -> None:
    """ "me (at) example dot com", "me at example dot com", "me [at] example [dot] co [dot] uk" """
    for at in _AT.finditer(text):
        name_end = _left_extent(text, at.start(), _SPACES, 3)
        start = _left_extent(text, name_end, _LOCAL_PART, 64)
        label = _LABEL.match(text, _skip_spaces(text, at.end()))
        if start == name_end or not label:
            continue
        end, dots, spelled_out = label.end(), 0, "(" in at.group() or "[" in at.group() or "{" in at.group()
        while dots < 3:
            dot = _DOT.match(text, end)
            tail = _LABEL.match(text, dot.end()) if dot else None
            if not dot or not tail or not tail.group().isalpha():
                break
            spelled_out = spelled_out or "dot" in dot.group().lower()
            end, dots = tail.end(), dots + 1
        # "at uni. She" has a dot but nothing spelled out: only obfuscated forms count here.
        if dots and spelled_out:
            spans.add("email", start, end)


def _occurrences(lowered: str, needle: str):
    position = lowered.find(needle)
    while position != -1:
        yield position
        position = lowered.find(needle, position + 1)


def _is_word_boundary(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _handles(text: str, lowered: str, spans: _Spans) -> None:
    for host in _MESSENGER_HOSTS:
        for position in _occurrences(lowered, host):
            if position and (lowered[position - 1].isalnum() or lowered[position - 1] in "-_"):
                continue  # "sat.me/..." is not t.me
            path = _MESSENGER_PATH.match(text, position + len(host))
            if path:
                prefix = _LINK_PREFIX.search(text, max(0, position - 12), position)
                spans.add("handle", prefix.start() if prefix else position, path.end())
    for platform in _PLATFORMS:
        for position in _occurrences(lowered, platform):
            end = position + len(platform)
            if not _is_word_boundary(lowered, position, end):
                continue
            handle = _HANDLE_WITH_SEPARATOR.match(text, end) or _HANDLE_AFTER_WORD.match(text, end)
            if handle:
                spans.add("handle", position, handle.end(1))


def _urls(text: str, spans: _Spans) -> None:
    start = _URL_START.search(text)
    while start:
        body = _URL_BODY.match(text, start.end())
        end = body.end() if body else start.end()
        spans.add("url", start.start(), end)
        start = _URL_START.search(text, end)  # resume after this link, not inside it
    for tld in _TLD.finditer(text):
        start = _left_extent(text, tld.start(), _HOST_PART, 253)
        if start == tld.start() or text[start] in ".-":
            continue
        path = _PATH_AFTER.match(text, tld.end())
        spans.add("url", start, path.end() if path else tld.end())


@lru_cache(maxsize=4096)
def _is_phone_number(raw: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(raw, None if raw.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _phones(text: str, spans: _Spans, region: str) -> None:
    for run in _DIGIT_RUN.finditer(text):
        raw = run.group().rstrip(" .-/(")
        digits = sum(character.isdigit() for character in raw)
        if not 9 <= digits <= 15 or _DATE_OR_TIME.match(raw):
            continue
        if _is_phone_number(raw, region):
            spans.add("phone", run.start(), run.start() + len(raw))
    # "0 7 7 0 0 9 0 0 1 2 3": spaced out to dodge the check above.
    for run in _SPACED_DIGITS.finditer(text):
        if 10 <= sum(character.isdigit() for character in run.group()) <= 15:
            raw = run.group().rstrip(" .-")
            spans.add("phone", run.start(), run.start() + len(raw))


def _words(text: str, spans: _Spans, words) -> None:
    lowered = text.lower()
    for word in {w.strip().lower() for w in words if w and w.strip()}:
        for position in _occurrences(lowered, word):
            if _is_word_boundary(lowered, position, position + len(word)):
                spans.add("word", position, position + len(word))


def find_contact_details(text: str, region: str = "GB", words=()) -> list[Finding]:
    """Every e-mail address, phone number, link and messenger handle in `text`, and the
    programme's listed words; each with its kind and span."""
    spans = _Spans(text)
    lowered = text.lower()
    for scan in (
        lambda: _emails(text, spans),
        lambda: _handles(text, lowered, spans),
        lambda: _obfuscated_emails(text, spans),
        lambda: _urls(text, spans),
        lambda: _phones(text, spans, region),
        lambda: _words(text, spans, words),
    ):
        try:
            scan()
        except _Full:
            continue
    return sorted(spans.findings, key=lambda finding: finding.start)
