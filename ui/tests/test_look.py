"""The shared look: icons inline from the vendored files, initials avatars, and colours that keep AA contrast."""

import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from ui.avatars import initials
from ui.icons import UnknownIcon, icon

PROJECT = Path(__file__).resolve().parents[2]
CSS = (PROJECT / "static" / "css" / "site.css").read_text()
ICONS = PROJECT / "static" / "vendor" / "bootstrap-icons"


def contrast(foreground: str, background: str) -> float:
    def luminance(colour):
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scheme(name: str) -> dict:
    block = re.search(rf'\[data-bs-theme="{name}"\] \{{(.*?)\n\}}', CSS, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6});", block))


def test_an_icon_is_inlined_and_hidden_from_screen_readers_unless_labelled():
    plain = icon("bell")
    labelled = icon("bell", "Notifications")

    assert plain.startswith("<svg") and 'aria-hidden="true"' in plain and "<path" in plain
    assert 'role="img" aria-label="Notifications"' in labelled and "aria-hidden" not in labelled
    with pytest.raises(UnknownIcon):
        icon("no-such-icon")
    with pytest.raises(UnknownIcon):
        icon("../css/site")


def test_every_icon_a_template_names_is_vendored():
    named = set()
    for template in (PROJECT / "templates").rglob("*.html"):
        named |= set(re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', template.read_text()))
        named |= set(re.findall(r'icon_name="([a-z0-9-]+)"', template.read_text()))
    assert named, "no template names an icon"
    assert sorted(name for name in named if not (ICONS / f"{name}.svg").exists()) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Sam Brown", "SB"), ("doreen", "D"), ("Anne-Marie O'Neil", "AO"), ("  ", "?"), ("Ünal Şahin", "ÜŞ")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_an_avatar_is_the_persons_initials_in_their_colour_never_their_markup():
    class Person:
        pk, display_name = 11, "<b>Zed</b> Ray"

    html = Template('{% load ui %}{% avatar person "sm" %}').render(Context({"person": Person()}))

    assert html == '<span class="avatar avatar-3 avatar-sm" aria-hidden="true">R</span>'


def test_every_avatar_colour_carries_white_text_at_aa_contrast():
    colours = re.findall(r"\.avatar-\d \{ background: (#[0-9a-f]{6}); \}", CSS)

    assert len(colours) == 8
    assert min(contrast("#ffffff", colour) for colour in colours) >= 4.5


def test_the_brand_colours_keep_aa_contrast_in_both_schemes():
    light, dark = scheme("light"), scheme("dark")
    dark_body = "#212529"  # Bootstrap 5.3's dark body background

    assert contrast(light["brand"], "#ffffff") >= 4.5 and contrast(light["on-brand"], light["brand"]) >= 4.5
    assert contrast(dark["brand"], dark_body) >= 4.5 and contrast(dark["on-brand"], dark["brand"]) >= 4.5
    assert contrast(dark["on-brand"], dark["brand-strong"]) >= 4.5


@pytest.mark.parametrize(
    "path", ["/manifest.webmanifest", "/icon.svg", "/icon-192.png", "/apple-touch-icon.png", "/favicon.ico"]
)
def test_the_web_app_manifest_and_its_icons_are_served_from_the_root(client, path):
    response = client.get(path)

    assert response.status_code == 200
    if path.endswith(".webmanifest"):
        manifest = json.loads(b"".join(response.streaming_content))
        assert response["Content-Type"].startswith("application/manifest+json")
        assert manifest["short_name"] == "Waymark" and {i["src"] for i in manifest["icons"]} >= {"/icon-192.png"}


def test_the_inline_colour_scheme_script_is_allowed_by_its_hash_and_no_other(client):
    import base64
    import hashlib

    html = client.get("/").content.decode()
    csp = client.get("/")["Content-Security-Policy"]
    inline = re.search(r"<script>(.*?)</script>", html, re.S).group(1)

    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and html.count("<script>") == 1
