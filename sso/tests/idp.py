"""Start the test identity provider (identity_provider/) in a process of its own and talk to it as its
administrator would (registering clients, people, service providers) and as a person's browser would
at its end (signing in, following its redirects)."""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-identity-provider-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostForm:
    """The auto-submitting form a SAML identity provider answers with (the HTTP-POST binding)."""

    action: str
    fields: dict[str, str]


class IdentityProvider:
    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base}/o"
        env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sso.tests.identity_provider", str(self.port), str(workdir)],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.process.kill()
            raise RuntimeError(f"the identity provider did not start: {self.process.stderr.read().decode()[-2000:]}")
        self.admin = httpx.Client(base_url=self.base, timeout=10)

    def stop(self) -> None:
        self.admin.close()
        self.process.terminate()
        self.process.wait(10)

    def register_client(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        self.admin.post("/test/clients/", json={"client_id": client_id, "client_secret": client_secret,
                                                "redirect_uris": redirect_uris}).raise_for_status()  # fmt: skip

    def register_person(self, email: str, name: str, *, email_verified: bool = True) -> None:
        self.admin.post("/test/people/", json={"email": email, "name": name, "password": PASSWORD,
                                               "email_verified": email_verified}).raise_for_status()  # fmt: skip

    def register_service_provider(self, metadata_xml: bytes) -> None:
        self.admin.post("/test/service-providers/", content=metadata_xml).raise_for_status()

    def sign_saml_with(self, algorithm: str) -> None:
        self.admin.post("/test/saml-signing/", json={"algorithm": algorithm}).raise_for_status()

    def saml_settings(self) -> dict:
        return self.admin.get("/saml/metadata/").raise_for_status().json()

    def browser(self) -> PersonAtProvider:
        return PersonAtProvider(self)


class PersonAtProvider:
    """A person's browser at the identity provider: its own cookies, and the provider's sign-in page."""

    def __init__(self, provider: IdentityProvider):
        self.provider = provider
        self.http = httpx.Client(timeout=10)

    def go(self, url: str, email: str, password: str = PASSWORD) -> str | PostForm:
        """Follow the provider's answers from `url`, signing in when asked, until it sends the person
        back: the URL it redirects to, or the form it would post."""
        for _ in range(10):
            response = self.http.get(url)
            if response.is_redirect:
                url = urljoin(url, response.headers["location"])
                if not url.startswith(self.provider.base):
                    return url
                continue
            response.raise_for_status()
            if 'action="/login/"' in response.text:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
                next_url = unescape(re.search(r'name="next" value="([^"]*)"', response.text).group(1))
                signed_in = self.http.post(
                    f"{self.provider.base}/login/",
                    data={"csrfmiddlewaretoken": token, "next": next_url, "username": email, "password": password},
                    headers={"Referer": f"{self.provider.base}/login/"},
                )
                assert signed_in.is_redirect, "the identity provider refused the sign-in"
                url = urljoin(self.provider.base, signed_in.headers["location"])
                continue
            return _post_form(response.text)
        raise AssertionError("the identity provider kept redirecting")


def _post_form(page: str) -> PostForm:
    action = re.search(r'<form[^>]+action="([^"]+)"', page)
    assert action, f"the identity provider answered with no form: {page[:500]}"
    fields = {unescape(name): unescape(value)
              for name, value in re.findall(r'<input[^>]+name="([^"]+)"[^>]+value="([^"]*)"', page)}  # fmt: skip
    return PostForm(unescape(action.group(1)), fields)
