"""What `make run` shows of single sign-on: the test identity provider started with --demo holds this
client and these people, and seed_demo creates the organisation that signs them in. Plain constants,
importable by the platform's seed command without the provider's own Django."""

import os

PORT = int(os.environ.get("DEMO_IDP_PORT", "8001"))
ISSUER = f"http://127.0.0.1:{PORT}/o"
SLUG = "demo-college"
DOMAIN = "demo-college.test"
CLIENT_ID = "demo-college"
CLIENT_SECRET = "demo-college-client-secret"  # published, for the demo only
# An http://127.0.0.1 redirect URI matches at any port (RFC 8252, as django-oauth-toolkit implements it).
REDIRECT_URIS = [
    f"http://127.0.0.1/accounts/oidc/{SLUG}/login/callback/",
    f"http://localhost:8000/accounts/oidc/{SLUG}/login/callback/",
]
PEOPLE = [(f"pupil@{DOMAIN}", "Priya Shah"), (f"teacher@{DOMAIN}", "Tom Reyes")]
PASSWORD = "demo-college-password"  # published, for the demo only
