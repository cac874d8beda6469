"""Hostile shapes of 100 KB the contact filter must read quickly (a message is read while its sender
waits): the tests check that each finishes with bounded findings, `make bench` times the worst."""

HOSTILE = {
    "letters": "a" * 100_000, "ats": "@" * 100_000, "spaced digits": "1 " * 50_000, "dotted": "a.a." * 25_000,
    "www": "www." * 25_000, "snap colons": "snap: " * 16_000, "at dot": "a at b dot " * 10_000,
    "dashed digits": "1-" * 50_000, "domains": "x.com " * 16_000, "bare ats": " at " * 25_000, "pluses": "+" * 100_000,
    "spelled letters": "s n a p " * 12_500, "spoken digits": "oh seven " * 11_000, "doubles": "double oh " * 10_000,
    "ghosts and keycaps": "\U0001f47b0\ufe0f\u20e3" * 25_000, "asks": "add me on " * 10_000,
    "my snap": "my snap is " * 9_000, "look-alike digits": "o7oo 9oo l2 " * 8_000, "leet": "sn@p " * 20_000,
    "full width": "\uff49\uff4e\uff53\uff54\uff41\uff1a" * 16_000, "quotes": ">" * 100_000,
    "emphasis": "*a* " * 25_000, "numbers": " ".join(str(n * 7919 % 100_000) for n in range(17_000)),
}  # fmt: skip


def shapes(size: int = 100_000) -> dict[str, str]:
    return {name: text[:size] for name, text in HOSTILE.items()}
