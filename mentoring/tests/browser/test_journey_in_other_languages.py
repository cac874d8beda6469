"""The journey in Spanish and Arabic, in Chromium, with every e-mail read from a real SMTP server: Lucía,
whose browser asks for Spanish, signs up, enrols and asks Layla, whose profile says Arabic; Layla accepts
and they write to each other. Each sees every page, and gets every e-mail, in their own language; Layla's
pages and e-mails run right to left."""

import re
from email.header import decode_header, make_header

import pytest

from accounts.models import User
from matching.models import Match
from matching.tests.factories import MentorFactory, ProgrammeFactory, TopicFactory

from .test_journey import pick_language, sign_in
from .test_safe_lifecycle import text_of

PASSWORD = "una contraseña larga y privada"


def emails_to(sink, address):
    """Every e-mail the SMTP server received for `address`, oldest first: (subject, text, html)."""
    from accounts import delivery

    delivery.deliver_due_emails()
    return [(str(make_header(decode_header(r.message["Subject"]))), *text_of(r.message))
            for r in sink.received if address in r.rcpt_tos]  # fmt: skip


def assert_in_language(email, words, language, direction):
    subject, text, html = email
    assert all(word in text for word in words), text
    assert all(word in html for word in words), html
    assert f'<html lang="{language}" dir="{direction}">' in html
    return subject


@pytest.mark.django_db(transaction=True)
def test_a_spanish_mentee_and_an_arabic_mentor_each_in_their_own_language(new_page, smtp_sink, screenshot, settings):
    settings.NEW_MESSAGE_EMAIL_WINDOW_MINUTES = 0  # each new message's e-mail goes at once, not batched
    programme = ProgrammeFactory(name="Acceso Universitario", slug="acceso")
    law = TopicFactory(name="Derecho", slug="derecho")
    programme.topics.set([law])
    layla = MentorFactory(programme=programme, topics=[law], languages=["es", "ar"], capacity=2,
                          user__display_name="Layla Haddad", user__language="ar").user  # fmt: skip

    # Lucía's browser asks for Spanish: the site answers in Spanish from the first page.
    lucia_page = new_page(locale="es-ES")
    lucia_page.goto("/accounts/signup/")
    assert lucia_page.get_attribute("html", "lang") == "es"
    lucia_page.fill("input[name=display_name]", "Lucía Gómez")
    lucia_page.fill("input[name=email]", "lucia@example.org")
    lucia_page.fill("input[name=password1]", PASSWORD)
    lucia_page.fill("input[name=password2]", PASSWORD)
    lucia_page.click("main button[type=submit]")
    lucia_page.wait_for_url("**/accounts/confirm-email/")
    [confirm] = emails_to(smtp_sink, "lucia@example.org")
    assert "Confirm" not in confirm[0] and "confirm" in confirm[1].lower()  # allauth's own Spanish text
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", confirm[1]).group(1)
    lucia_page.goto(link)
    lucia_page.click("main button[type=submit]")
    sign_in(lucia_page, "lucia@example.org", PASSWORD)
    assert "Hola, Lucía Gómez" in lucia_page.content()
    assert User.objects.get(email="lucia@example.org").language == "es"
    welcome = emails_to(smtp_sink, "lucia@example.org")[-1]
    assert_in_language(welcome, ["Tu dirección de correo está confirmada"], "es", "ltr")

    # She enrols and asks Layla, all in Spanish.
    lucia_page.goto("/programmes/acceso/enrol/")
    lucia_page.check("input[name=role][value=mentee]")
    lucia_page.check("label:has-text('Derecho') >> xpath=preceding-sibling::input")
    pick_language(lucia_page, "español")
    lucia_page.check("input[name=accept_agreement]")
    lucia_page.click("button:has-text('Inscribirme')")
    lucia_page.wait_for_url("**/suggestions/")
    assert "1 tema en común: Derecho" in lucia_page.content()
    screenshot(lucia_page, "es-01-suggestions")
    lucia_page.click("summary:has-text('Pedir mentoría')")
    lucia_page.fill("textarea[name=note]", "Hola Layla, quiero estudiar Derecho.")
    lucia_page.click("button:has-text('Enviar solicitud')")
    assert "Tu solicitud se ha enviado a Layla Haddad" in lucia_page.content()

    # Layla's profile says Arabic: her e-mail, and every page, are Arabic, right to left.
    request = emails_to(smtp_sink, layla.email)[-1]
    assert "Lucía Gómez" in assert_in_language(request, ["أن تكون مرشده في Acceso Universitario"], "ar", "rtl")
    layla_page = new_page(locale="en-GB")  # her browser says English; her profile wins
    sign_in(layla_page, layla.email, "correct horse battery staple")
    assert (layla_page.get_attribute("html", "lang"), layla_page.get_attribute("html", "dir")) == ("ar", "rtl")
    layla_page.goto("/requests/")
    screenshot(layla_page, "ar-01-requests")
    layla_page.click("button:has-text('قبول')")
    layla_page.wait_for_url("**/matches/*/")
    assert Match.objects.get().status == "active"
    matched = emails_to(smtp_sink, "lucia@example.org")[-1]
    assert "Layla Haddad" in assert_in_language(matched, ["Buenas noticias: ya estás emparejado con Layla Haddad"],
                                                 "es", "ltr")  # fmt: skip

    # They write to each other; each is told in their own language.
    conversation = Match.objects.get().conversations.get()
    lucia_page.goto(f"/messages/{conversation.pk}/")
    lucia_page.fill("#id_body", "Hola Layla, estoy trabajando en mi carta de motivación esta semana.")
    lucia_page.get_by_role("button", name="Enviar", exact=True).click()
    lucia_page.wait_for_load_state()
    to_layla = emails_to(smtp_sink, layla.email)[-1]
    assert "Lucía Gómez" in assert_in_language(to_layla, ["القراءة والرد"], "ar", "rtl")
    layla_page.goto(f"/messages/{conversation.pk}/")
    screenshot(layla_page, "ar-02-thread")
    assert "estoy trabajando en mi carta" in layla_page.content()
    layla_page.fill("#id_body", "أهلًا لوسيا، لنعمل معًا على المقابلات الجامعية هذا الأسبوع.")
    layla_page.get_by_role("button", name="إرسال", exact=True).click()
    layla_page.wait_for_load_state()
    to_lucia = emails_to(smtp_sink, "lucia@example.org")[-1]
    assert "Layla Haddad" in assert_in_language(to_lucia, ["Leer y responder"], "es", "ltr")

    # Lucía finds Layla's Arabic reply by its words; the Spanish one is found by its Spanish stem.
    lucia_page.goto("/messages/search/?q=المقابلات")
    assert "<mark>المقابلات</mark>" in lucia_page.content()
    lucia_page.goto("/messages/search/?q=trabajo")
    assert "<mark>trabajando</mark>" in lucia_page.content()
    screenshot(lucia_page, "es-02-search")
