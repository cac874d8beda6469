"""Finding contact details in text people write to each other, so that conversations stay on the platform.

The text is first read back to what it says (contactfilter.normalise: look-alike characters, spelled-out
words and numbers, spaced punctuation), then scanned for e-mail addresses, phone numbers, links and
messenger handles. Handles are recognised by a lexicon of platforms and the words around them ("add
me on snap", "my sc is …", "jo.123 on insta"), so that a platform's name alone ("a snap decision",
"discord in the team") is not a finding.

Speed on hostile input matters (a message is checked while its sender waits). Every scan starts from
a literal anchor ("@", "://", a dot before a top-level domain, a platform's name, a digit), found at
C speed, and looks a bounded distance around it, so the work is linear in the length of the text.
Past MAX_ANCHORS anchors of one kind, or MAX_DIGIT_GROUPS groups of digits, a text is more than any
message holds: the filter stops reading and reports it (a finding of that kind), so that a person
reads it instead. The corpus test measures recall and false positives; `make bench` the speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from . import lexicon, normalise

KINDS = ("email", "phone", "url", "handle", "word")
# Past this many findings of one kind the decision cannot change: stop looking for more, so that
# a message made of thousands of links costs no more than one with a hundred.
MAX_FINDINGS_PER_KIND = 100
# At most this many places are looked at for one kind of anchor in one text.
MAX_ANCHORS = 500
# At most this many groups of digits are tried as parts of a phone number in one text (a message with
# phone numbers in it has a few dozen).
MAX_DIGIT_GROUPS = 1_000


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # in the view it was found in (see `view`), which is the text as normalised
    end: int
    text: str
    view: str = "letters"


class _Full(Exception):
    pass


class _Overflow(Exception):
    def __init__(self, position: int):
        self.position = position


class _Spans:
    """Findings that do not overlap ones already made (an e-mail's domain is not also a link).

    A byte per character marks what is taken, so each check costs the span's length, not the
    number of findings so far.
    """

    def __init__(self, text: str, view: str, counts: dict[str, int]):
        self.text, self.view = text, view
        self.taken = bytearray(len(text))
        self.findings: list[Finding] = []
        self.counts = counts

    def add(self, kind: str, start: int, end: int) -> None:
        if self.counts.get(kind, 0) >= MAX_FINDINGS_PER_KIND:
            raise _Full
        if end <= start or any(self.taken[start:end]):
            return
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.taken[start:end] = b"\x01" * (end - start)
        self.findings.append(Finding(kind, start, end, self.text[start:end].strip(), self.view))


def _bounded(matches, limit: int = MAX_ANCHORS):
    for count, match in enumerate(matches):
        if count >= limit:
            raise _Overflow(match if isinstance(match, int) else match.start())
        yield match


_SPACES = frozenset(" \t")
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.+-")
_HOST_PART = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


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


def _handle_like(word: str) -> bool:
    """A word that reads as a user name rather than an English word: "jo_123", "jo.draws", "@jo", "jo#1234"."""
    return word.startswith("@") or any(c.isdigit() or c in "_." for c in word.strip("."))


# --- e-mail addresses -----------------------------------------------------------------------

_AT_DOMAIN = re.compile(r"@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){0,4}\.[a-z]{2,24}\b")
# Anchored on the literal "at" (brackets are closed up in the letters view), and only where a
# domain-like word and a dot follow, so ordinary "at"s never reach Python.
_AT = re.compile(r"at\b(?=\s{0,3}[a-z0-9\-]{1,63}\s{0,3}(?:\bdot\b|\.))")
_DOT = re.compile(r"\s{0,3}(?:\bdot\b|\.)\s{0,3}")
_LABEL = re.compile(r"[a-z0-9\-]{1,63}")
_PROVIDERS = frozenset(lexicon.MAIL_PROVIDERS)
_AFTER_PROVIDER = re.compile(r"\s{0,3}(?:\.|\bdot\b)?\s{0,3}(?:com|co\.uk|co uk|net|org|fr|es|de|it|co|ch)\b")
_MAIL_CUE = re.compile(r"(?:e-?mail|mail|address|contact)\b[^.\n]{0,20}$")


def _emails(text: str, spans: _Spans) -> None:
    # The regex finds "@domain.tld" in C; only real hits reach Python.
    if "@" not in text:
        return
    for at in _bounded(_AT_DOMAIN.finditer(text)):
        if at.start() and text[at.start() - 1] in _LOCAL_PART:
            spans.add("email", _left_extent(text, at.start(), _LOCAL_PART, 64), at.end())


def _obfuscated_emails(text: str, spans: _Spans) -> None:
    """ "me (at) example dot com", "me at example dot com", "me [at] example [dot] co [dot] uk" """
    for at in _bounded(_AT.finditer(text)):
        if at.start() and text[at.start() - 1].isalnum():
            continue  # "cat.", "chat dot": not the word "at"
        name_end = _left_extent(text, at.start(), _SPACES, 3)
        start = _left_extent(text, name_end, _LOCAL_PART, 64)
        label = _LABEL.match(text, _skip_spaces(text, at.end()))
        if start == name_end or not label:
            continue
        end, dots, spelled_out = label.end(), 0, False
        while dots < 3:
            dot = _DOT.match(text, end)
            tail = _LABEL.match(text, dot.end()) if dot else None
            if not dot or not tail or not tail.group().isalpha():
                break
            spelled_out = spelled_out or "dot" in dot.group()
            end, dots = tail.end(), dots + 1
        # "at uni. She" has a dot but nothing spelled out: only obfuscated forms count here.
        if dots and spelled_out:
            spans.add("email", start, end)


def _provider_emails(text: str, words: set[str], spans: _Spans) -> None:
    """ "jo.smith at gmail", "jojo09 @ yahoo", "jo.smith gmail com": the provider's name makes it an address."""
    for provider in words & _PROVIDERS:
        for position in _bounded(normalise.occurrences(text, provider)):
            end = position + len(provider)
            tld = _AFTER_PROVIDER.match(text, end)
            # What joins the name to the provider: "@", the word "at", or (with ".com" after) nothing.
            before = _left_extent(text, position, _SPACES, 3)
            if text.startswith("@", before - 1):
                joined_by, name_end = "@", before - 1
            elif text.startswith("at", before - 2) and before - 2 > 0 and text[before - 3] in _SPACES:
                joined_by, name_end = "at", before - 2
            elif tld and before < position:
                joined_by, name_end = "", before
            else:
                continue  # "I use gmail" is not an address; "jo.smith gmail com" is
            name_end = _left_extent(text, name_end, _SPACES, 3)
            name_start = _left_extent(text, name_end, _LOCAL_PART, 64)
            name = text[name_start:name_end]
            if not name or not name[0].isalnum():
                continue
            if provider in lexicon.WORDLIKE_PROVIDERS:
                if not (_handle_like(name) or tld):
                    continue  # "look at outlook", "at me"
            elif not (_handle_like(name) or tld or joined_by == "@") and not _MAIL_CUE.search(
                text, max(0, name_start - 30), name_start
            ):
                continue  # "I looked at gmail": a name that could be any word, and nothing says "e-mail"
            spans.add("email", name_start, tld.end() if tld else end)


# --- messenger handles ----------------------------------------------------------------------

_HANDLE = r"@?[a-z0-9][\w.]{0,30}(?:#\d{4})?"
# After a platform's name, with a separator that says "here is the handle": "snap: jo", "tg: @jo", "ig @jo".
_STRONG_AFTER = re.compile(rf"\s{{0,3}}[:=@]\s{{0,3}}({_HANDLE})")
# After "my <platform>": "my sc is jojo", "my xbox gamertag is JoJo", "my insta handle: jojo".
_AFTER_MY = re.compile(
    rf"\s{{0,3}}(?:(handle|name|id|tag|user ?name|user|account|acc|gamertag|page|profile)\s{{0,3}})?"
    rf"(is|:|=|-)?\s{{0,3}}({_HANDLE})"
)
# After a platform's name, a weaker separator: only a handle-like word counts ("snap jo_123", not "snap decision").
_WEAK_AFTER = re.compile(rf"(?:\s{{1,3}}(?:is|as|=)\s{{1,3}}|\s{{0,3}}[->]+\s{{0,3}}|\s{{1,3}})({_HANDLE})")
# A user name near a platform's name: "snap? jojo_09", "do you have snapchat? mine is jojo_09".
_NEAR_HANDLE = re.compile(r"(@[a-z0-9_.]{2,30}|[a-z][a-z0-9]*(?:[_.][a-z0-9]+|\d+)[\w.]*)")
_SENTENCE_END = re.compile(r"[.!]\s|\n")
_ME_AFTER = re.compile(r"\s{1,3}(?:me|us)\b")
_VERBS = "|".join(verb.replace(" ", r"\s") for verb in lexicon.CONTACT_VERBS)
_VERB_BEFORE = re.compile(
    rf"\b(?:{_VERBS})\s{{1,3}}(?:(?:me|us|you)\s{{1,3}})?"
    r"(?:up\s{1,3})?(?:on|at|via|in|over|thru|through|with|using)\s{1,3}(?:my\s{1,3}|the\s{1,3})?$"
)
_HANDLE_BEFORE = re.compile(
    r"(?:(?:i'?m|i am|im|as|search|find|look up|add)\s{1,3})?(@?[a-z0-9][\w.]{1,30})\s{1,3}"
    r"(?:on|@|is my|=\s{0,3}my)\s{1,3}$"
)
_MY_BEFORE = re.compile(r"\bmy\s{1,3}$")
_DISCORD_TAG = re.compile(r"#\d{4}\b")
# Words that can follow "my snap is" without being a handle: "my insta is private".
_NOT_A_HANDLE = frozenset(
    [
        "private",
        "down",
        "broken",
        "not",
        "off",
        "on",
        "gone",
        "dead",
        "banned",
        "deleted",
        "blocked",
        "closed",
        "locked",
        "the",
        "a",
        "an",
        "so",
        "too",
        "very",
        "really",
        "full",
        "boring",
        "fun",
        "good",
        "bad",
        "great",
        "annoying",
        "messed",
        "hacked",
        "new",
        "old",
        "empty",
        "public",
        "open",
        "same",
        "different",
        "better",
        "worse",
        "just",
        "only",
        "mostly",
        "all",
        "like",
        "for",
        "about",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "it",
        "this",
        "that",
        "there",
        "here",
        "also",
        "mainly",
        "always",
        "never",
        "sometimes",
        "mine",
        "yours",
        "set",
        "called",
        "named",
        "linked",
        "in",
        "at",
        "with",
        "and",
        "or",
        "but",
        "because",
        "if",
        "when",
    ]
)
# Symbols that imitate letters in a platform's name: "sn@p", "$nap", "1nsta", "!g".
_LEET = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l", "0": "o", "1": "i", "3": "e", "4": "a", "5": "s",
                       "7": "t", "8": "b"})  # fmt: skip
_TOKEN_SEPARATORS = str.maketrans(dict.fromkeys('"()[]{}<>,.;:?*~-=/\\#%^&+_`', " "))
_ALIASES = frozenset(lexicon.ALIASES)


def _handle_at(match: re.Match | None, strong: bool, group: int = 1) -> int | None:
    """Where a handle found after a platform's name ends, if it is one."""
    if not match:
        return None
    handle = match.group(group)
    if handle.strip("@") in _NOT_A_HANDLE or (not strong and not _handle_like(handle)):
        return None
    return match.end(group)


def _near_handle(text: str, end: int) -> int | None:
    """A user name within a few words after a platform's name, in the same sentence."""
    window = text[end : end + 32]
    stop = _SENTENCE_END.search(window)
    for candidate in _NEAR_HANDLE.finditer(window[: stop.start() if stop else None]):
        if candidate.start() and window[candidate.start() - 1] in "@#.":
            continue
        word = candidate.group().rstrip(".")
        if len(word) >= 4 and word.strip("@") not in _NOT_A_HANDLE:
            return end + candidate.start() + len(word)
    return None


def _platform_names_in(text: str) -> dict[str, str]:
    """The platform names a text holds, as written ("sn@p", "insta") -> the alias they read as."""
    tokens = set(text.translate(_TOKEN_SEPARATORS).split())
    found = {token: token for token in tokens & _ALIASES}
    read_as_letters = set(text.translate(_TOKEN_SEPARATORS).translate(_LEET).split()) & _ALIASES
    if read_as_letters - set(found):
        for token in tokens:
            plain = token.translate(_LEET)
            if plain != token and plain in read_as_letters and any(c.isalpha() for c in token):
                found[token] = plain
    return found


def _platform_handles(text: str, spans: _Spans) -> None:
    for written, alias in _platform_names_in(text).items():
        for start in _bounded(normalise.occurrences(text, written)):
            _platform_handle(text, start, start + len(written), alias, spans)
    if "#" in text:  # "discord jo#1234": a name with Discord's four-digit tag
        for tag in _bounded(_DISCORD_TAG.finditer(text)):
            start = _left_extent(text, tag.start(), _LOCAL_PART, 32)
            if tag.start() - start >= 2:
                spans.add("handle", start, tag.end())


def _platform_handle(text: str, start: int, end: int, alias: str, spans: _Spans) -> None:
    platform = lexicon.ALIASES[alias]
    weak = alias in lexicon.WEAK_ALIASES
    window = max(0, start - 40)
    found = None
    my = _MY_BEFORE.search(text, window, start)
    if my:
        after = _AFTER_MY.match(text, end)
        said = after and (after.group(1) or after.group(2))  # "my snap is jojo", not "my snap judgement"
        found = _handle_at(after, strong=bool(said), group=3)
        start = my.start() if found else start
    found = found or _handle_at(_STRONG_AFTER.match(text, end), strong=True)
    if not found:
        after = _WEAK_AFTER.match(text, end)
        # A short or everyday alias ("sc", "tt") takes only a name that cannot be a word: "sc jojo_09".
        if not weak or (after and _NEAR_HANDLE.fullmatch(after.group(1)) and len(after.group(1)) >= 4):
            found = _handle_at(after, strong=False)
    me = _ME_AFTER.match(text, end)
    if not found and me and (alias in lexicon.VERB_PLATFORMS or platform == "phone"):
        found = _handle_at(_WEAK_AFTER.match(text, me.end()), strong=False) or me.end()  # "snap me", "kik me x"
    if not found:
        verb = _VERB_BEFORE.search(text, window, start)  # "add me on snap", "hmu on ig"
        if verb:
            start, found = verb.start(), end
    if not found:
        before = _HANDLE_BEFORE.search(text, window, start)  # "jo.123 on insta"
        if before and _handle_like(before.group(1)) and before.group(1) not in _NOT_A_HANDLE:
            start, found = before.start(1), end
    if not found and not weak:
        found = _near_handle(text, end)
    if found:
        spans.add("handle", start, found)


# --- links ----------------------------------------------------------------------------------

_URL_START = re.compile(r"(?:https?|hxxps?)://|www\.")
_URL_BODY = re.compile(r"[^\s<>\"'()\[\]]{1,2000}")
_PROTOCOL_RELATIVE = re.compile(r"//[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){1,5}")
_DOMAIN = re.compile(r"\.([a-z]{2,24})\b")
_PATH_AFTER = re.compile(r"/[^\s<>\"'()\[\]]{0,2000}")
_MESSENGER_PATH = re.compile(r"[\w.@\-/]{1,64}")
_LINK_CUE = re.compile(
    r"(?:\bvisit|\bsee|\bcheck(?: out)?|\bgo to|\bat|\bon|\bmy (?:site|page|blog|shop|website|link|portfolio|store)"
    r"(?: is)?|\bwebsite|\bsite|\blink|\burl|\bfind me)\s{1,3}$"
)
# "wa.me" -> "wa.me/": the messenger hosts by their domain, to be told apart at the dot of their TLD.
_MESSENGERS: dict[str, list[str]] = {}
for _host in lexicon.MESSENGER_HOSTS:
    _MESSENGERS.setdefault(_host.split("/", 1)[0], []).append(_host)
_LINK_HOSTS = frozenset(lexicon.LINK_HOSTS)


def _hidden_or_messenger(text: str, start: int, host: str) -> int | None:
    """Where a link to a messenger ("wa.me/…") or to a host that hides or gathers links ("bit.ly/…",
    "jojo.carrd.co") ends, if `host` (starting at `start`) is one of them."""
    bare = host[4:] if host.startswith("www.") else host
    for messenger in _MESSENGERS.get(bare, ()):
        at = start + len(host) - len(bare)
        if text.startswith(messenger, at):
            path = _MESSENGER_PATH.match(text, at + len(messenger))
            if path or not messenger.endswith("/"):
                return path.end() if path else at + len(messenger)
    if bare in _LINK_HOSTS or any(bare.endswith("." + link) for link in lexicon.LINK_HOSTS if "." in bare):
        path = _PATH_AFTER.match(text, start + len(host))
        return path.end() if path else start + len(host)
    return None


def _urls(text: str, spans: _Spans) -> None:
    if "://" in text or "www." in text:
        for start in _bounded(_URL_START.finditer(text)):
            if start.start() and text[start.start() - 1].isalnum():
                continue
            body = _URL_BODY.match(text, start.end())
            end = body.end() if body else start.end()
            host_start = start.end() - (4 if start.group() == "www." else 0)
            host = text[host_start:end].split("/", 1)[0]
            kind = "handle" if _hidden_or_messenger(text, host_start, host) is not None else "url"
            spans.add(kind, start.start(), end)
    if "//" in text:
        for link in _bounded(_PROTOCOL_RELATIVE.finditer(text)):
            if link.start() and (text[link.start() - 1].isalnum() or text[link.start() - 1] in ":/"):
                continue
            path = _PATH_AFTER.match(text, link.end())
            spans.add("url", link.start(), path.end() if path else link.end())
    if "." not in text:
        return
    tlds = lexicon.all_tlds()
    for domain in _bounded(_DOMAIN.finditer(text), limit=2_000):
        tld = domain.group(1)
        if tld not in tlds or tld in lexicon.FILE_EXTENSIONS:
            continue
        start = _left_extent(text, domain.start(), _HOST_PART, 253)
        if start == domain.start() or text[start] in ".-":
            continue
        host = text[start : domain.end()]
        hidden = _hidden_or_messenger(text, start, host)
        if hidden is not None:
            spans.add("handle", start, hidden)
            continue
        path = _PATH_AFTER.match(text, domain.end())
        if tld not in lexicon.COMMON_TLDS:
            cued = (
                path
                or tld in lexicon.SITE_TLDS
                or any(c.isdigit() or c == "-" for c in host)
                or _LINK_CUE.search(text, max(0, start - 30), start)
            )
            if not cued:
                continue  # "i finished.now what": a word that is also a domain, in a sentence
        spans.add("url", start, path.end() if path else domain.end())


# --- phone numbers --------------------------------------------------------------------------

# A run of at least nine digits, each followed by up to three separators (spaces, commas, brackets).
_DIGIT_RUN = re.compile(r"\d(?:[ ,()]{0,3}\d){8,}")
_GROUP = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _is_phone_number(number: str, region: str, groups: int, listed: bool) -> bool:
    """Whether a run of 9 to 15 digits (a leading + kept) is a phone number: one that the numbering
    plan of `region` (or of its country code) accepts, or one written as numbers are (a leading 0 or
    +) with 10 to 15 digits: Ofcom's drama numbers (07700 900xxx) are not valid, and people make up
    others. Groups separated by commas or filler words ("0, 1, 1, 2, 3, 5, 8") need to be few."""
    count = len(number.lstrip("+"))
    if not 9 <= count <= 15:
        return False
    if count >= 10 and number[0] in "0+" and (not listed or groups <= 4):
        return True
    # Without its leading 0 ("seven nine one one …, with a zero first") a national number is still one.
    for attempt in [number] if number[0] in "0+" else [number, "0" + number]:
        try:
            parsed = phonenumbers.parse(attempt, None if attempt.startswith("+") else region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


def _phones(text: str, spans: _Spans, region: str) -> None:
    examined = 0
    for run in _DIGIT_RUN.finditer(text):
        offset = run.start()
        plus = (offset and text[offset - 1] == "+") or (offset > 1 and text[offset - 2 : offset] == "+(")
        groups = []
        for group in _GROUP.finditer(run.group()):
            groups.append((group.start(), group.end(), group.group(), len(group.group())))
            examined += 1
            if examined > MAX_DIGIT_GROUPS:
                raise _Overflow(offset)
        if plus:
            start, end, digits, count = groups[0]
            groups[0] = (start, end, "+" + digits, count)
        # A run may hold several numbers: try each stretch of 9 to 15 digits, longest first from the left.
        first = 0
        while first < len(groups):
            count, last = 0, first
            while last < len(groups) and count + groups[last][3] <= 15:
                count += groups[last][3]
                last += 1
            while last > first and count >= 9:
                chosen = groups[first:last]
                number = "".join(group[2] for group in chosen)
                between = run.group()[chosen[0][0] : chosen[-1][1]]
                if _is_phone_number(number, region, len(chosen), "," in between):
                    start = offset + chosen[0][0] - (1 if first == 0 and plus else 0)
                    spans.add("phone", start, offset + chosen[-1][1])
                    first = last - 1
                    break
                last -= 1
                count -= groups[last][3]
            first += 1


def _words(text: str, spans: _Spans, words) -> None:
    for word in {w.strip().lower() for w in words if w and w.strip()}:
        for position in _bounded(normalise.occurrences(text, word, limit=MAX_ANCHORS + 1)):
            spans.add("word", position, position + len(word))


_ANY_DIGIT = re.compile(r"\d")


def find_contact_details(text: str, region: str = "GB", words=()) -> list[Finding]:
    """Every e-mail address, phone number, link and messenger handle in `text`, however disguised,
    and the programme's listed words; each with its kind and the text it was found as."""
    counts: dict[str, int] = {}
    try:
        plain = normalise.letters(normalise.canonical(text))
    except normalise.Overflow:
        return [Finding("handle", 0, 40, text[:40].strip(), "text as written")]
    letters = _Spans(plain, "letters", counts)
    words_in_text = normalise.words_of(plain)
    scans = [
        ("email", lambda: _emails(plain, letters)),
        ("handle", lambda: _platform_handles(plain, letters)),
        ("email", lambda: _obfuscated_emails(plain, letters)),
        ("email", lambda: _provider_emails(plain, words_in_text, letters)),
        ("url", lambda: _urls(plain, letters)),
        ("word", lambda: _words(plain, letters, words)),
    ]
    for kind, scan in scans:
        try:
            scan()
        except _Full:
            continue
        except (_Overflow, normalise.Overflow) as overflow:  # more than any message holds: a person reads it
            position = getattr(overflow, "position", 0)
            letters.add(kind, position, min(len(plain), position + 40))
    found = sorted(letters.findings, key=lambda finding: finding.start)
    if _ANY_DIGIT.search(plain) or words_in_text & normalise.NUMBER_WORDS:
        numbers = None
        try:
            number_view = normalise.digits(_blank_out(plain, letters.findings))
            numbers = _Spans(number_view, "digits", counts)
            _phones(number_view, numbers, region)
        except _Full:
            pass
        except (_Overflow, normalise.Overflow) as overflow:
            position = getattr(overflow, "position", 0)
            numbers = numbers or _Spans(plain, "letters", counts)
            numbers.add("phone", position, min(len(numbers.text), position + 40))
        if numbers:
            found += sorted(numbers.findings, key=lambda finding: finding.start)
    return found


def _blank_out(text: str, findings: list[Finding]) -> str:
    """The text with what was already found replaced by spaces: the digits of "wa.me/4477…" or of an
    e-mail address are not a phone number as well."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        pieces += [text[position : finding.start], " " * (finding.end - finding.start)]
        position = finding.end
    return "".join([*pieces, text[position:]])
