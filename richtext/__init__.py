"""Markdown in, safe HTML out: for messages, training modules and anything else people read as text.

Plain Python (no Django): the lowest floor, beside contactfilter.

markdown-it-py renders CommonMark with raw HTML turned off; nh3 (Ammonia) then keeps only an
allow-list of tags and attributes, and links with http, https, mailto or relative targets.
Sanitising the output again changes nothing (a test checks it).
"""

import html

import nh3
from markdown_it import MarkdownIt

DEFAULT_LIMIT = 20_000  # characters rendered at most: a text is cut, never refused, here

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": 20})
_markdown.enable(["strikethrough", "table"])
# No images: they would load from other sites (tracking) and could carry anything. "![x](url)"
# becomes a plain link.
_markdown.disable("image")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """Render Markdown to sanitised HTML."""
    return sanitise(_markdown.render(text[:limit]))


def plain_text(text: str, limit: int = 160) -> str:
    """A one-line snippet of a Markdown body, for the inbox and e-mails: plain text, which the
    template escapes as it would any text."""
    words = " ".join(html.unescape(nh3.clean(_markdown.render(text[:2000]), tags=set())).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
