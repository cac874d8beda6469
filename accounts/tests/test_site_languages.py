"""Every page and e-mail in the person's language: Accept-Language for visitors, the footer's switch,
the profile's choice for signed-in people (and their e-mails); Arabic right to left."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import delivery
from accounts.email_kinds import EmailKind
from accounts.emails import queue_email
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_a_visitor_gets_the_language_their_browser_asks_for_arabic_right_to_left(client):
    arabic = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert html_tag(arabic) == '<html lang="ar" dir="rtl">'
    page = arabic.content.decode()
    assert "bootstrap.rtl.used.min" in page and "إرشاد يتلاءم مع حياتك" in page

    spanish = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert html_tag(spanish) == '<html lang="es" dir="ltr">'
    assert "Iniciar sesión con tu organización" in spanish.content.decode()

    unknown = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de")
    assert html_tag(unknown) == '<html lang="en" dir="ltr">'


def test_the_footer_switch_keeps_a_visitors_choice(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="language"' in page and '<option value="ar" lang="ar">العربيّة</option>' in page

    switched = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/accounts/login/"})

    assert switched.status_code == 302 and switched["Location"] == "/accounts/login/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    french = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es")  # the choice beats the browser
    assert html_tag(french) == '<html lang="fr" dir="ltr">'


def test_the_switch_refuses_an_unknown_language_and_a_foreign_next(client):
    refused = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert refused.status_code == 302 and refused["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies
    assert client.get(reverse("accounts:set_language")).status_code == 405


def test_a_signed_in_persons_profile_language_wins_and_the_switch_saves_it(client):
    person = UserFactory(language="es")
    client.force_login(person)
    assert html_tag(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")) == '<html lang="es" dir="ltr">'

    client.post(reverse("accounts:set_language"), {"language": "ar", "next": "/"})
    person.refresh_from_db()
    assert person.language == "ar"
    assert html_tag(client.get(reverse("home"))) == '<html lang="ar" dir="rtl">'


def test_the_language_is_chosen_on_the_profile_named_in_its_own_words(client):
    person = UserFactory(language="en")
    client.force_login(person)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="es">español</option>' in page

    data = {"display_name": person.display_name, "language": "fr", "notification_preference": "each_message",
            "digest_hour": 8, "digest_weekday": 0,
            "quiet_hours_start": "22:00", "quiet_hours_end": "08:00"}  # fmt: skip
    saved = client.post(reverse("accounts:profile"), data, follow=True)

    person.refresh_from_db()
    assert person.language == "fr"
    assert "Votre profil a été enregistré." in saved.content.decode()  # said in the language just chosen


@pytest.mark.parametrize(
    ("language", "subject", "text", "direction"),
    [
        ("es", "Te damos la bienvenida a Mentoría", "Tu dirección de correo está confirmada", "ltr"),
        ("fr", "Bienvenue sur Mentorat", "Votre adresse e-mail est confirmée", "ltr"),
        ("ar", "مرحبًا بك في الإرشاد", "تأكّد بريدك الإلكتروني وحسابك جاهز.", "rtl"),
    ],
)
def test_every_e_mail_is_in_the_recipients_language(language, subject, text, direction):
    person = UserFactory(language=language, display_name="Ana")
    row = queue_email(person, EmailKind.WELCOME, "emails/welcome", {"profile_url": "/profile/"}, f"welcome:{language}")

    delivery.deliver(row.pk)

    [sent] = mail.outbox
    html = sent.alternatives[0][0]
    assert subject in sent.subject and text in sent.body and text in html
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_someone_who_signs_up_in_spanish_keeps_spanish(client):
    client.post(
        reverse("account_signup"),
        {"display_name": "Lucía Gómez", "email": "lucia@example.org", "password1": "a long private passphrase",
         "password2": "a long private passphrase"},
        HTTP_ACCEPT_LANGUAGE="es",
    )  # fmt: skip
    from accounts.models import User

    assert User.objects.get(email="lucia@example.org").language == "es"
