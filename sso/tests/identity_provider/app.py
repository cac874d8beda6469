"""The identity provider's views: sign-in, OpenID Connect (django-oauth-toolkit), SAML 2.0 (pysaml2),
and the /test/ endpoints through which a test registers what a real provider's admin would set up."""

import html
import json

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

from . import demo

# Addresses the provider will say are *not* verified (OpenID Connect's email_verified claim).
UNVERIFIED: set[str] = set()
_saml: dict = {}
# How assertions are signed; a test may ask for SHA-1 (POST /test/saml-signing/) to see it refused.
SIGNING = {"sign_alg": SIG_RSA_SHA256, "digest_alg": DIGEST_SHA256}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "email_verified": user.email not in UNVERIFIED, "name": user.first_name}


def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is not None:
            login(request, user)
            return HttpResponse(status=302, headers={"Location": next_url})
        error = "<p role='alert'>Wrong address or password.</p>"
    page = f"""<!doctype html><html lang="en"><title>Test identity provider</title>
<h1>Test identity provider</h1>{error}
<form method="post" action="/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">
<input type="hidden" name="next" value="{html.escape(next_url)}">
<label>E-mail <input name="username" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>"""
    return HttpResponse(page)


def _saml_server() -> Server:
    if "server" not in _saml:
        base = settings.IDP_BASE_URL
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{base}/saml/metadata/",
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "key_file": settings.IDP_KEY_FILE,
                "cert_file": settings.IDP_CERT_FILE,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(f"{base}/saml/sso/", BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
                        "want_authn_requests_signed": False,
                    }
                },
                "metadata": {},
            }
        )
        _saml["server"] = Server(config=config)
    return _saml["server"]


@login_required
def saml_sso(request):
    server = _saml_server()
    try:
        request_info = server.parse_authn_request(request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT)
    except Exception as exc:  # noqa: BLE001 - a test server: it says what was wrong instead of failing
        return HttpResponseBadRequest(f"bad AuthnRequest: {exc!r}")
    arguments = server.response_args(request_info.message, [BINDING_HTTP_POST])
    return _post_response(server, request.user, arguments, request.GET.get("RelayState", ""))


@login_required
def saml_unsolicited(request):
    """An identity-provider-initiated sign-in: a response to no request, for the given service provider."""
    server = _saml_server()
    arguments = {"in_response_to": None, "destination": request.GET["acs"], "sp_entity_id": request.GET["sp"]}
    return _post_response(server, request.user, arguments, "")


def _post_response(server, user, arguments, relay_state):
    identity = {"mail": [user.email], "displayName": [user.first_name]}
    response = server.create_authn_response(
        identity,
        userid=str(user.pk),
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"idp-person-{user.pk}"),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_assertion=True,
        sign_response=False,
        **SIGNING,
        **arguments,
    )
    http = server.apply_binding(BINDING_HTTP_POST, str(response), arguments["destination"], relay_state, response=True)
    return HttpResponse(http["data"])


def saml_metadata(request):
    return JsonResponse(
        {
            "entity_id": f"{settings.IDP_BASE_URL}/saml/metadata/",
            "sso_url": f"{settings.IDP_BASE_URL}/saml/sso/",
            "certificate": settings.IDP_CERTIFICATE_PEM,
        }
    )


def _register_client(client_id, client_secret, redirect_uris):
    Application = get_application_model()
    Application.objects.filter(client_id=client_id).delete()
    Application.objects.create(
        name=client_id,
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def _register_person(email, name, password, email_verified=True):
    User.objects.filter(username=email).delete()
    User.objects.create_user(email, email, password, first_name=name)
    (UNVERIFIED.discard if email_verified else UNVERIFIED.add)(email)


def register_demo():
    _register_client(demo.CLIENT_ID, demo.CLIENT_SECRET, demo.REDIRECT_URIS)
    for email, name in demo.PEOPLE:
        _register_person(email, name, demo.PASSWORD)


@csrf_exempt
def register_client(request):
    _register_client(**json.loads(request.body))
    return JsonResponse({"ok": True})


@csrf_exempt
def register_person(request):
    data = json.loads(request.body)
    _register_person(data["email"], data.get("name", ""), data["password"], data.get("email_verified", True))
    return JsonResponse({"ok": True})


@csrf_exempt
def register_service_provider(request):
    _saml_server().metadata.load("inline", request.body.decode())
    return JsonResponse({"ok": True})


@csrf_exempt
def saml_signing(request):
    sha1 = json.loads(request.body)["algorithm"] == "sha1"
    SIGNING.update(sign_alg=SIG_RSA_SHA1 if sha1 else SIG_RSA_SHA256, digest_alg=DIGEST_SHA1 if sha1 else DIGEST_SHA256)
    return JsonResponse({"ok": True})


def ready(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("saml/sso/", saml_sso),
    path("saml/metadata/", saml_metadata),
    path("saml/unsolicited/", saml_unsolicited),
    path("test/clients/", register_client),
    path("test/people/", register_person),
    path("test/service-providers/", register_service_provider),
    path("test/saml-signing/", saml_signing),
    path("test/ready/", ready),
]
