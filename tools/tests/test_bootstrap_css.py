"""The trimmed Bootstrap stylesheet (tools/bootstrap_css.py) lacks no class a page can use: every Bootstrap
class named anywhere PurgeCSS looks is defined in it. Fails when a template starts using a Bootstrap class
after the last `make css`."""

import re

import pytest

from tools import bootstrap_css

CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
WORD = re.compile(r"[A-Za-z0-9_-]+")
SELECTOR_LIST = re.compile(r"(?:^|[{}])([^{}@]+)\{")  # in minified CSS, what stands before each "{"


def selectors_of(css: str) -> set[str]:
    """Every selector of every rule, @media rules' included (a small reader for Bootstrap's minified CSS)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"url\([^)]*\)", "", css)  # data: URLs hold SVG text
    return {selector.strip() for group in SELECTOR_LIST.findall(css) for selector in group.split(",")}


def classes_in(selector: str) -> set[str]:
    return set(CLASS.findall(re.sub(r":not\([^)]*\)", "", selector)))  # :not(.x) matches without .x


@pytest.mark.parametrize(("full", "trimmed"), bootstrap_css.PAIRS, ids=["ltr", "rtl"])
def test_every_bootstrap_rule_our_pages_can_use_is_in_the_trimmed_stylesheet(full, trimmed):
    """A rule can apply when every class of its selector is named somewhere PurgeCSS looks."""
    full = selectors_of(full.read_text())
    trimmed = selectors_of(trimmed.read_text())
    words = {word for path in bootstrap_css.content_files() for word in WORD.findall(path.read_text())}
    usable = {selector for selector in full if classes_in(selector) and classes_in(selector) <= words}
    assert {".navbar-expand-lg .navbar-nav .dropdown-menu", ".form-control", ".text-bg-warning"} <= usable
    assert usable - trimmed == set()
    assert len(trimmed) < len(full) / 2  # it is trimmed


def test_the_pages_link_the_trimmed_stylesheet_and_nothing_links_the_full_one():
    templates = [path for path in bootstrap_css.content_files() if path.suffix == ".html"]
    linking = {path.name for path in templates if "bootstrap.used.min.css" in path.read_text()}
    assert linking == {"base.html", "base_plain.html"}
    linking_rtl = {path.name for path in templates if "bootstrap.rtl.used.min.css" in path.read_text()}
    assert linking_rtl == {"base.html", "base_plain.html"}
    full = ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.rtl.min.css")
    assert not [path for path in templates if any(name in path.read_text() for name in full)]
