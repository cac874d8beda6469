import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_visitors_see_the_landing_page(client):
    page = client.get(reverse("home")).content.decode()

    assert "Mentoring that fits around your life" in page
    assert reverse("account_signup") in page
    assert 'href="#main"' in page  # skip link


@pytest.mark.django_db
def test_signed_in_people_see_their_dashboard(client):
    client.force_login(UserFactory(display_name="Sam Patel"))

    page = client.get(reverse("home")).content.decode()

    assert "Welcome, Sam Patel" in page
    assert "Your programmes" in page


@pytest.mark.django_db
def test_the_dashboard_names_each_match_by_the_others_without_a_stray_comma(client):
    """The mentor, listed after the mentee, saw "Sam Patel, " (the comma of the last name but one)."""
    from messaging.tests.helpers import one_to_one

    conversation, sam, doreen = one_to_one(mentee_name="Sam Patel", mentor_name="Doreen Okafor")
    for viewer, other in ((doreen, "Sam Patel"), (sam, "Doreen Okafor")):
        client.force_login(viewer)
        page = client.get(reverse("home")).content.decode()
        assert f'<a href="/matches/{conversation.match_id}/">{other}</a>' in page, viewer


@pytest.mark.django_db
def test_vendored_assets_are_served_from_our_own_origin(client):
    page = client.get(reverse("home")).content.decode()

    assert "/static/vendor/bootstrap/bootstrap.used.min" in page
    assert "/static/js/site." in page
    assert "cdn" not in page.lower()


@pytest.mark.django_db
def test_every_page_names_an_icon_that_is_served(client):
    page = client.get(reverse("home")).content.decode()
    ico = client.get("/favicon.ico")  # browsers ask for it whatever the page says
    svg_href = page.split('rel="icon" href="', 1)[1].split('"', 1)[0]
    svg = client.get(svg_href)

    assert ico.status_code == 200
    assert ico["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(ico.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's magic number
    assert svg.status_code == 200
    assert b"<svg" in b"".join(svg.streaming_content)


@pytest.mark.django_db
def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_wrong_method_is_a_styled_405(client):
    response = client.post(reverse("home"))

    assert response.status_code == 405
    assert "That action is not available here" in response.content.decode()
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_missing_csrf_token_is_a_styled_403():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)  # the default test client skips CSRF checks
    strict.get(reverse("account_login"))
    without_token = strict.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    with_token = strict.post(
        reverse("account_login"),
        {"login": "a@example.org", "password": "x", "csrfmiddlewaretoken": strict.cookies["csrftoken"].value},
    )

    assert without_token.status_code == 403
    assert "This form has expired" in without_token.content.decode()
    assert with_token.status_code == 200  # the same form with its token reaches the login (wrong password)
    assert "This form has expired" not in with_token.content.decode()


def test_server_error_page_is_styled_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    response = client.get(reverse("home"))

    csp = response["Content-Security-Policy"]
    for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_private_pages_are_not_cached(client):
    client.force_login(UserFactory())

    for url in [reverse("home"), reverse("accounts:profile")]:
        assert "no-store" in client.get(url)["Cache-Control"]
