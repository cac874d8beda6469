"""Turning disguised text back into what it says, before the filter reads it.

Three views of a text, each a plain lower-case ASCII string:

- `canonical`: the characters people use to disguise letters and digits become the ASCII ones they
  imitate (NFKC for full-width, mathematical and circled forms; the Unicode confusables table for
  Cyrillic and Greek look-alikes; every script's digits; unidecode for accented letters), invisible
  characters go, every line break and emoji becomes a space, and the ghost emoji reads "snap".
  A full stop run into a capitalised word ("well done.Love it") gets its space back first, so that
  it is not read as a link.
- `letters`: words spelled out one character at a time ("s n a p", "i.n.s.t.a") are joined, spaced
  punctuation ("example . com / jo", "[at]", "dot com") is closed up, and nicknames and split names
  ("the ghost app", "whats app", "g mail") are read as the name.
- `digits`: numbers said in words ("oh seven seven double oh nine") become digits (text2num does the
  grammar, one stretch of number words at a time), letters that imitate digits inside a number
  ("O77OO 9OO l23") become digits, and dates and times are set aside so that they never join a phone
  number.

Speed: the views are built with `str.translate` and with regular expressions that start from a
literal or a digit, each step first checking at C speed that what it rewrites is there at all; the
few steps that call back into Python for each place they rewrite stop after MAX_REWRITES places.
A text that needs more than that is more than any message holds, and `Overflow` says so.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache

from confusable_homoglyphs.utils import load as load_confusables
from text_to_num import alpha2digit
from unidecode import unidecode

from .lexicon import COMMON_TLDS

GHOST = "\U0001f47b"
# Characters that change nothing a reader sees, or that only decorate another character.
_INVISIBLE = [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0x20E3]
_INVISIBLE += [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), *range(0xFE00, 0xFE10)]
_INVISIBLE += [*range(0xE0000, 0xE0080), *range(0xE0100, 0xE01F0), *range(0x0300, 0x0370)]
# Pictographs, arrows and other symbols: spaces between words and digits, whatever they show.
_SYMBOL_RANGES = [(0x2190, 0x2C00), (0x1F000, 0x1FB00), (0x3000, 0x3040)]
# Where look-alikes of Latin letters and digits live: fonts of letters and digits in Unicode.
_LOOKALIKE_RANGES = [(0x00A0, 0x0250), (0x0370, 0x0530), (0x1D00, 0x1E00), (0x1E00, 0x1F00), (0x2070, 0x20A0),
                     (0x2100, 0x2190), (0x2460, 0x2500), (0xFE30, 0xFE70), (0xFF00, 0xFFF0), (0x1D400, 0x1D800),
                     (0x1F100, 0x1F200)]  # fmt: skip
# Rewrites of one kind in one text past which the text is more than any message holds.
MAX_REWRITES = 2_000


class Overflow(Exception):
    """The text needs more rewriting than any message does: too long and too strange to read cheaply."""


def _ascii_lookalike(character: str, confusables: dict) -> str | None:
    """The ASCII a character imitates, if any."""
    folded = unicodedata.normalize("NFKC", character)
    if folded.isascii() and folded.strip():
        return folded
    for homoglyph in confusables.get(character, ()):
        if homoglyph["c"].isascii() and homoglyph["c"].isalnum():
            return homoglyph["c"]
    if unicodedata.category(character) == "Nd":
        return str(unicodedata.digit(character))
    transliterated = unidecode(folded)
    if transliterated.isascii() and transliterated.strip() and len(transliterated) <= 3:
        return transliterated
    return None


@cache
def _table() -> dict[int, str]:
    """One translation table for every character that matters, built once (a fraction of a second):
    then each text is translated at C speed, however many different characters it holds."""
    confusables = load_confusables("confusables.json")
    table: dict[int, str] = dict.fromkeys(range(0, 32), " ")
    table[0x7F] = " "
    for start, end in _SYMBOL_RANGES:
        for code in range(start, end):
            if unicodedata.category(chr(code)).startswith(("S", "P", "Z")) or code >= 0x1F000:
                table[code] = " "
    candidates = {code for start, end in _LOOKALIKE_RANGES for code in range(start, end)}
    candidates |= {ord(character) for character in confusables if len(character) == 1}
    candidates |= {code for code in range(0x80, 0x30000) if unicodedata.category(chr(code)) == "Nd"}
    for code in sorted(candidates):
        if code < 0x80:
            continue
        character = chr(code)
        if unicodedata.category(character) in {"Zs", "Zl", "Zp", "Cc"}:
            table[code] = " "
            continue
        lookalike = _ascii_lookalike(character, confusables)
        if lookalike is not None:
            table[code] = lookalike
    for code in _INVISIBLE:
        table[code] = ""
    table[ord(GHOST)] = " snap "  # Snapchat's ghost (short: a text of ghosts should not grow much)
    return table


_CONTROLS_TO_SPACE = str.maketrans(dict.fromkeys([*range(32), 127], " "))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_RUN_ON_SENTENCE = re.compile(r"\.([A-Z][a-z]+)\b")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def canonical(text: str) -> str:
    """The text with look-alikes made plain, invisible characters removed and lines joined, in lower case."""
    extra_bytes = len(text.encode("utf-8", "surrogatepass")) - len(text)
    if extra_bytes:
        table = _table()
        if extra_bytes * 8 < len(text):  # mostly ASCII: translate only the rest, piece by piece
            text = _NON_ASCII.sub(lambda m: m.group().translate(table), text)
        else:
            text = text.translate(table)
        if not text.isascii():
            # What is left (other scripts' letters, most symbols) cannot be part of an address or a
            # handle: "?" keeps words apart, and every view below stays ASCII, which is much faster.
            text = text.encode("ascii", "replace").decode("ascii")
    text = text.translate(_CONTROLS_TO_SPACE)
    if "." in text:
        text = _RUN_ON_SENTENCE.sub(
            lambda m: m.group() if m.group(1).lower() in COMMON_TLDS else ". " + m.group(1), text
        )
    return text.translate(_ASCII_LOWER)


_PUNCTUATION_TO_SPACE = str.maketrans({c: " " for c in string.punctuation if c != "'"})


def words_of(text: str) -> set[str]:
    """The words of a (lower-case) text, for checking at C speed whether any word of a list is in it."""
    return set(text.translate(_PUNCTUATION_TO_SPACE).split())


def occurrences(text: str, word: str, limit: int = MAX_REWRITES):
    """Where `word` stands as a whole word in `text` (found with str.find, at C speed)."""
    position, found, size = text.find(word), 0, len(word)
    while position != -1:
        before = text[position - 1] if position else " "
        after = text[position + size] if position + size < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            found += 1
            if found > limit:
                raise Overflow
            yield position
        position = text.find(word, position + 1)


# --- letters --------------------------------------------------------------------------------

# Four or more single characters in a row, each followed by one space: "s n a p", "j o @ g m a i l".
_SPACED_OUT = re.compile(r" (?:\S ){3,40}\S(?=[\s:;,!?]|$)")
# Three or more single letters joined by dots, dashes, stars or underscores: "i.n.s.t.a", "s-n-a-p".
_DOTTED_HINT = re.compile(r"[.\-*_~][a-z][.\-*_~][a-z]")
_DOTTED_OUT = re.compile(r"[a-z][.\-*_~](?:[a-z][.\-*_~]){1,40}[a-z](?![a-z0-9])")
_SINGLES = re.compile(r" \S \S \S")
_SEPARATOR = re.compile(r"[.\-*_~]")
# Punctuation written with spaces around it, between two words: "example . com", "t . me / jo".
_SPACED_PUNCTUATION = re.compile(r" {1,3}([./@]) {1,3}(?=\w)")
_BRACKETED = re.compile(r"[(\[{<] ?(\.|dot|@|at) ?[)\]}>]")
_SPELLED_AT = re.compile(r" {1,3}at {1,3}(?=[a-z0-9\-]{1,63} {0,3}dot {0,3}(?:com|org|net|co|uk|io|me|info|edu|ac)\b)")
_SPELLED_DOT_BEFORE_TLD = re.compile(r" {1,3}dot {1,3}(?=(?:com|org|net|co|uk|io|me|info)\b)")
_SPELLED_SLASH = re.compile(r" {1,3}slash {1,3}(?=\w)")
# Names people split or replace with a nickname: "whats app", "g mail", "the ghost app" (Snapchat).
_SPLIT_NAMES = {"what's app": "whatsapp", "whats app": "whatsapp", "tik tok": "tiktok", "insta gram": "instagram",
                "snap chat": "snapchat", "face book": "facebook", "g mail": "gmail", "hot mail": "hotmail",
                "i cloud": "icloud", "google mail": "googlemail", "proton mail": "protonmail",
                "ghost app": "snapchat", "yellow ghost": "snapchat"}  # fmt: skip


def _after_word(pattern: re.Pattern, replacement: str, text: str) -> str:
    """Replace `pattern` where it follows a word character (what a look-behind would say, but checked
    here, so that the pattern can start from its literal and the scan stay fast)."""

    def replace(match: re.Match) -> str:
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return match.expand(replacement)
        return match.group()

    return pattern.sub(_bounded(replace), text)


def _bounded(rewrite):
    done = 0

    def bounded(match: re.Match) -> str:
        nonlocal done
        done += 1
        if done > MAX_REWRITES:
            raise Overflow
        return rewrite(match)

    return bounded


def letters(text: str) -> str:
    """`text` (canonical) with spelled-out words joined and spaced punctuation closed up."""
    if "(" in text or "[" in text or "{" in text or "<" in text:
        text = _BRACKETED.sub(_bounded(lambda m: "." if m.group(1) in {".", "dot"} else "@"), text)
    if " " in text:
        spaced = " " + text
        if _SINGLES.search(spaced):
            text = _SPACED_OUT.sub(_bounded(lambda m: " " + m.group()[1:].replace(" ", "")), spaced)[1:]
        if " . " in text or " / " in text or " @ " in text or "  " in text:
            text = _after_word(_SPACED_PUNCTUATION, r"\1", text)
        if " dot " in text:
            if " at " in text:
                text = _after_word(_SPELLED_AT, "@", text)
            text = _after_word(_SPELLED_DOT_BEFORE_TLD, ".", text)
        if " slash " in text:
            text = _after_word(_SPELLED_SLASH, "/", text)
        for split, name in _SPLIT_NAMES.items():
            if split in text:
                text = re.sub(rf"\b{re.escape(split)}\b", name, text)
    if _DOTTED_HINT.search(text):
        text = _dotted_out(text)
    return text


def _dotted_out(text: str) -> str:
    """Join "i.n.s.t.a" and "s-n-a-p", looking only where the hint (a letter between two separators) is."""
    pieces, position = [], 0
    for hint in _DOTTED_HINT.finditer(text):
        start = hint.start() - 1
        if start < position or start < 0:
            continue
        word = _DOTTED_OUT.match(text, start)
        if not word or (start and text[start - 1].isalnum()):
            continue
        pieces += [text[position:start], _SEPARATOR.sub("", word.group())]
        position = word.end()
        if len(pieces) > 2 * MAX_REWRITES:
            raise Overflow
    return "".join([*pieces, text[position:]])


# --- digits ---------------------------------------------------------------------------------

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NUMBER_WORDS = frozenset({*DIGIT_WORDS, "oh", "o", "nought", "double", "triple", "treble", "hundred", "plus",
                          "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
                          "eighty", "ninety"})  # fmt: skip
_WORDS = "|".join(DIGIT_WORDS)
# A token of a spoken number, words glued to digits or to each other included: "0seven7", "sevennine".
_RUN_TOKEN = rf"(?:{_WORDS}|oh|o|nought|double|triple|treble|hundred|plus|\d)+"
_WHOLE_TOKENS = re.compile(rf"^{_RUN_TOKEN}$", re.MULTILINE)
# A run of such tokens (3 or more, to 40): "oh seven seven double oh nine …".
_NUMBER_RUN = re.compile(rf"\b{_RUN_TOKEN}(?:[ ,\-]{{1,3}}{_RUN_TOKEN}\b){{2,40}}")
# A digit word glued to a digit or to another digit word, or a digit glued to a digit word.
_GLUED = re.compile(rf"(?:\d|{_WORDS})(?=(?:{_WORDS}))|(?:{_WORDS})(?=\d)")
_ZERO = re.compile(r"\b(?:oh|o|nought)\b")
_REPEAT = re.compile(rf"\b(double|triple|treble) {{1,3}}({_WORDS}|zero|\d)\b")
_PLUS = re.compile(r"\bplus\b\s*")
# Letters that imitate digits, inside a word that has digits already: "o7700", "9oo", "l23".
_DIGIT_THEN_LOOKALIKE = re.compile(r"\d[oilszb|]")
_DIGIT_LOOKALIKES = re.compile(r"(?:[0-9]+[oilszb|]|[oilszb|]+[0-9])[0-9oilszb|]{0,20}")
_AS_DIGITS = str.maketrans("oilszb|", "0115281")
# Dates and times never join a phone number: "12/03/2025", "2025-03-12", "14:30", "9.15".
_DATE_OR_TIME = re.compile(  # one leading branch per shape of first group, so a run of digits costs one try each
    r"\d{1,2}(?:[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?![\d/.\-])|:\d{2}(?::\d{2})?(?!\d)|\.\d{2}(?![\d.]))"
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}(?![\d/.\-])"
)
# Anything but digits, letters, "+", brackets and commas separates the groups of a number.
_SEPARATORS_TO_SPACE = str.maketrans({c: " " for c in string.punctuation if c not in "+(),"})
# Filler words between two groups of digits ("07700 then 900123") keep the number together, as a
# list would: such a run must then be a valid number (detector._is_phone_number).
_FILLER = re.compile(r"(\d) {1,3}(?:then|and|x|dash|space) {1,3}(?=\d)")
# How far around a number word the rest of its number may be.
_REACH = 80


def _lookalikes_to_digits(match: re.Match) -> str:
    start, end = match.span()
    text = match.string
    if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return match.group()  # part of a longer word: "boils", "10s" stay as they are
    return match.group().translate(_AS_DIGITS)


def _dates_out(match: re.Match) -> str:
    start = match.start()
    if start and (match.string[start - 1].isdigit() or match.string[start - 1] in "/.-"):
        return match.group()  # the tail of a longer run of digits, not a date of its own
    return " date "


def _spoken(match: re.Match) -> str:
    start = match.start()
    if start and match.string[start - 1].isalnum():
        return match.group()
    run = _GLUED.sub(r"\g<0> ", match.group())
    run = _PLUS.sub("+", run)
    run = _ZERO.sub("0", run)
    run = _REPEAT.sub(lambda m: " ".join([m.group(2)] * (2 if m.group(1) == "double" else 3)), run)
    return alpha2digit(run, "en")


def _spoken_numbers(text: str) -> str:
    """Rewrite the stretches of text around number words ("oh seven …", "0seven7"): only those."""
    tokens = "\n".join(token for token in words_of(text) if not token.isdigit())
    spoken = {token for token in _WHOLE_TOKENS.findall(tokens) if not token.isdigit()}
    if not spoken:
        return text
    stretches = sorted(
        (max(0, position - _REACH), position + len(token) + _REACH)
        for token in spoken
        for position in occurrences(text, token)
    )
    merged = [list(stretches[0])]
    for start, end in stretches[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], 0
    rewrite = _bounded(_spoken)
    for start, end in merged:
        pieces += [text[position:start], _NUMBER_RUN.sub(rewrite, text[start:end])]
        position = end
    return "".join([*pieces, text[position:]])


def digits(text: str) -> str:
    """`text` (letters view) with spoken and disguised numbers written as digits."""
    if ":" in text or "/" in text or "." in text or "-" in text:
        text = _DATE_OR_TIME.sub(_bounded(_dates_out), text)
    # A digit with a look-alike letter on either side (the reversed text finds "o7" as "7o", so that
    # both searches start from a digit, which is fast).
    if _DIGIT_THEN_LOOKALIKE.search(text) or _DIGIT_THEN_LOOKALIKE.search(text[::-1]):
        text = _DIGIT_LOOKALIKES.sub(_bounded(_lookalikes_to_digits), text)
    text = _spoken_numbers(text.translate(_SEPARATORS_TO_SPACE))
    if " then " in text or " and " in text or " x " in text or " dash " in text or " space " in text:
        text = _FILLER.sub(r"\1 , ", text)
    return text
