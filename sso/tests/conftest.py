import pytest
from django.test import Client

from sso.models import Organisation

# python3-saml refuses service-provider addresses at a one-label host such as "testserver" (production
# hosts always have a dot); "localhost" it accepts, as the browser journeys' live server uses.
HOST = "localhost"


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


OIDC_SECRET = "a-client-secret-only-the-platform-and-the-provider-know"


@pytest.fixture
def oidc_organisation(db, identity_provider):
    organisation = Organisation.objects.create(
        name="Northfield College",
        slug="northfield",
        email_domains="northfield.ac.uk",
        protocol=Organisation.Protocol.OIDC,
        issuer=identity_provider.issuer,
        client_id="mentoring-northfield",
        client_secret=OIDC_SECRET,
    )
    identity_provider.register_client(
        "mentoring-northfield", OIDC_SECRET, [f"http://{HOST}/accounts/oidc/northfield/login/callback/"]
    )
    return organisation


@pytest.fixture
def saml_organisation(db, client, identity_provider):
    idp = identity_provider.saml_settings()
    organisation = Organisation.objects.create(
        name="Riverside School",
        slug="riverside",
        email_domains="riverside.sch.uk",
        protocol=Organisation.Protocol.SAML,
        idp_entity_id=idp["entity_id"],
        idp_sso_url=idp["sso_url"],
        idp_certificate=idp["certificate"],
        email_attribute="urn:oid:0.9.2342.19200300.100.1.3",
        name_attribute="urn:oid:2.16.840.1.113730.3.1.241",
    )
    metadata = client.get("/accounts/saml/riverside/metadata/")
    assert metadata.status_code == 200
    identity_provider.register_service_provider(metadata.content)
    return organisation
