"""S5: the XSS inputs of QUALITY.md render harmless, and sanitising twice changes nothing."""

import re

import pytest

from richtext import plain_text, render_markdown, sanitise

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="https://ok" onclick="alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<form action=https://evil.example><button>x</button></form>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '"><script>alert(1)</script>',
    "{{ 7*7 }} {% debug %}",
    '=HYPERLINK("https://evil.example","x")',
    "<iframe src=https://evil.example></iframe>",
    "<object data=x></object><embed src=x><math><mi>x</mi></math><base href=https://evil.example><style>*{}</style>",
    "[x](vbscript:msgbox(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "<a href='jav&#x61;script:alert(1)'>x</a>",
    '[x](https://ok" onmouseover="alert(1))',
    "**bold** and _em_ and `code`\n\n> quote\n\n- a\n- b\n\n[fine](https://example.org/path?q=1)",
]
FORBIDDEN_TAGS = [
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "meta",
    "base",
    "style",
    "img",
    "button",
]


def assert_harmless(html: str) -> None:
    for tag in FORBIDDEN_TAGS:
        assert not re.search(rf"<{tag}\b", html, re.IGNORECASE), (tag, html)
    assert not re.search(r"<[^>]+\s(on\w+|style)\s*=", html, re.IGNORECASE), html
    for href in re.findall(r'href="([^"]*)"', html):
        assert re.match(r"^(https?:|mailto:|/|#|[^:]*$)", href, re.IGNORECASE), href


@pytest.mark.parametrize("text", XSS)
def test_hostile_markdown_renders_harmless(text):
    html = render_markdown(text)

    assert_harmless(html)
    assert sanitise(html) == html  # idempotent


def test_links_get_rel_nofollow_and_markdown_still_works():
    html = render_markdown(XSS[-1])

    assert '<a href="https://example.org/path?q=1" rel="nofollow noopener noreferrer">fine</a>' in html
    assert "<strong>bold</strong>" in html and "<blockquote>" in html and "<li>a</li>" in html


def test_templates_syntax_is_just_text():
    assert render_markdown("{{ 7*7 }} {% debug %}") == "<p>{{ 7*7 }} {% debug %}</p>\n"


@pytest.mark.parametrize(
    "text", [">" * 100_000, "*" * 10_000, "*a" * 10_000, "[" * 20_000, "`" * 20_000, "hello " * 5_000]
)
def test_pathological_input_still_renders(text):
    # Speed is measured in `make bench`; here: it terminates, stays bounded and harmless.
    html = render_markdown(text)

    assert_harmless(html)
    assert len(html) < 200_000


def test_plain_text_snippets_have_no_markup():
    assert plain_text("**Hello** <b>there</b> [link](https://x)\n\n> quoted") == "Hello <b>there</b> link quoted"
