"""A thread on a phone in real Chromium: quotes set apart and folded, headings the size of the text,
"Quote" takes the selected words, and a "Reply" button in reach until the reply box is on screen."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from messaging.models import Message
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in

# Reduced motion: Bootstrap scrolls smoothly otherwise, and a control tabbed to would be judged mid-scroll.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "reduced_motion": "reduce"}
LONG_QUOTE = "\n".join(f"> Line {n} of what Sam wrote before, which goes on for a while." for n in range(12))


@pytest.fixture
def thread_on_phone(new_page):
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Here is what I found.\n\n" + "A long paragraph of my news. " * 20)
    body = f"# A heading in a message\n\nSam wrote:\n{LONG_QUOTE}\n\nThank you: the second part interests me most."
    first = send_message(doreen, conversation, body)
    page = new_page(**PHONE)
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/messages/{conversation.pk}/")
    return page, conversation, first


@pytest.mark.django_db(transaction=True)
def test_a_long_quote_folds_and_unfolds_and_headings_keep_to_the_message_size(thread_on_phone):
    page, _conversation, first = thread_on_phone
    quote = page.locator(f"#message-{first.pk} .message-body > blockquote")
    toggle = page.locator(f"#message-{first.pk} .quote-toggle")

    assert quote.evaluate("q => q.classList.contains('quote-collapsed')")
    folded = quote.evaluate("q => q.getBoundingClientRect().height")
    assert folded <= 110
    assert quote.evaluate("q => getComputedStyle(q).borderInlineStartWidth") == "4px"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert quote.evaluate("q => q.getBoundingClientRect().height") > 2 * folded
    heading = page.locator(f"#message-{first.pk} .message-body h1").evaluate(
        "h => parseFloat(getComputedStyle(h).fontSize)"
    )
    title = page.locator("main h1").first.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")
    assert heading <= 19.2 < title


@pytest.mark.django_db(transaction=True)
def test_quote_takes_the_selected_words_without_leaving_the_page(thread_on_phone):
    page, conversation, first = thread_on_phone
    page.evaluate(
        """id => {
            const p = [...document.querySelectorAll(`#message-${id} .message-body > p`)].pop();
            const range = document.createRange();
            range.setStart(p.firstChild, 11);
            range.setEnd(p.firstChild, 26);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        first.pk,
    )
    url = page.url
    page.locator(f"#message-{first.pk} a[data-quote]").tap()

    assert page.url == url
    assert page.input_value("#id_body") == "Doreen wrote:\n> the second part\n\n"
    assert page.input_value("input[name=reply_to]") == str(first.pk)
    page.click("#reply-form button[type=submit]:text-is('Send')")
    page.wait_for_load_state()
    reply = Message.objects.filter(conversation=conversation).latest("pk")
    assert (reply.reply_to_id, reply.body.replace("\r\n", "\n")) == (first.pk, "Doreen wrote:\n> the second part")


@pytest.mark.django_db(transaction=True)
def test_without_a_selection_quote_asks_for_the_first_lines(thread_on_phone):
    page, _conversation, first = thread_on_phone
    page.locator(f"#message-{first.pk} a[data-quote]").tap()
    page.wait_for_load_state()

    assert page.input_value("#id_body").startswith(
        "Doreen wrote:\n> # A heading in a message\n> Sam wrote:\n> Thank you"
    )


@pytest.mark.django_db(transaction=True)
def test_the_reply_button_stays_in_reach_until_the_reply_box_shows(thread_on_phone):
    page, _conversation, _first = thread_on_phone
    jump = page.locator("[data-reply-jump]")

    assert jump.is_visible()
    jump.tap()
    jump.wait_for(state="hidden")
    assert page.locator("#id_body").is_visible()


FOCUSED_IS_SEEN = """() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const points = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2],
                    [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
    const seen = points.some(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return hit && el.contains(hit);
    });
    return [el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 30), seen];
}"""


@pytest.mark.django_db(transaction=True)
def test_no_focused_control_is_hidden_behind_the_reply_button(thread_on_phone):
    """WCAG 2.2's focus not obscured (2.4.11): tabbing through the whole thread on a phone, every control
    that takes the focus is at least partly in sight, never under the floating Reply button."""
    page, _conversation, _first = thread_on_phone
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name, seen = page.evaluate(FOCUSED_IS_SEEN)
        if name.startswith("BODY"):
            break
        if not seen:
            hidden.append(name)

    assert hidden == [], hidden
