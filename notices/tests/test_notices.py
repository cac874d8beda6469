"""The notifications page: told once per event, in the reader's language, read when followed, a person's own."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from notices.models import Notice
from notices.services import mark_read, notify, unread_count


@pytest.mark.django_db
def test_an_event_told_twice_is_one_notice():
    sam = UserFactory()
    for _ in range(2):
        notify(sam, Notice.Kind.MATCH, "You are matched with %(names)s: say hello.", {"names": "Doreen"},
               url="/matches/1/", key="match-started:1")  # fmt: skip

    notice = Notice.objects.get()
    assert notice.text == "You are matched with Doreen: say hello."
    assert unread_count(sam) == 1


@pytest.mark.django_db
def test_a_sentence_missing_its_placeholder_reads_as_written_never_an_error():
    sam = UserFactory()
    notify(sam, Notice.Kind.MATCH, "You are matched with %(names)s.", {}, key="k")

    with translation.override("en"):
        assert Notice.objects.get().text == "You are matched with %(names)s."


@pytest.mark.django_db
def test_following_a_notice_marks_it_read_and_leads_to_its_page(client):
    sam = UserFactory()
    notify(sam, Notice.Kind.REQUEST, "%(name)s asked you to be their mentor.", {"name": "Sam"}, url="/requests/",
           key="r:1")  # fmt: skip
    notice = Notice.objects.get()
    client.force_login(sam)

    page = client.get(reverse("notices:list")).content.decode()
    assert "Sam asked you to be their mentor." in page and "New" in page
    response = client.get(notice.get_absolute_url())

    assert response.status_code == 302 and response["Location"] == "/requests/"
    assert Notice.objects.get().is_read


@pytest.mark.django_db
def test_a_notice_never_leads_off_the_site(client):
    sam = UserFactory()
    for n, url in enumerate(["https://evil.example/", "//evil.example/", "javascript:alert(1)"]):
        notify(sam, Notice.Kind.MATCH, "x", url=url, key=f"k{n}")
    client.force_login(sam)

    for notice in Notice.objects.all():
        assert client.get(notice.get_absolute_url())["Location"] == reverse("notices:list")


@pytest.mark.django_db
def test_someone_elses_notice_is_not_found():
    sam, other = UserFactory(), UserFactory()
    notify(sam, Notice.Kind.MATCH, "x", key="k")
    client = Client()
    client.force_login(other)

    assert client.get(Notice.objects.get().get_absolute_url()).status_code == 404
    assert not Notice.objects.get().is_read


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_persons_own(client):
    sam, other = UserFactory(), UserFactory()
    for n in range(3):
        notify(sam, Notice.Kind.MATCH, "x", key=f"k{n}")
    notify(other, Notice.Kind.MATCH, "x", key="k0")
    client.force_login(sam)

    client.post(reverse("notices:mark_all_read"))

    assert (unread_count(sam), unread_count(other)) == (0, 1)
    assert mark_read(sam) == 0


@pytest.mark.django_db
def test_the_list_refreshes_as_a_fragment_in_constant_queries(client, django_assert_max_num_queries):
    sam = UserFactory()
    client.force_login(sam)
    notify(sam, Notice.Kind.MATCH, "one", key="k0")
    client.get(reverse("notices:list"))
    for n in range(1, 30):
        notify(sam, Notice.Kind.CHECK_IN, "more %(n)s", {"n": n}, key=f"k{n}")

    with django_assert_max_num_queries(3):  # session, user, notices
        fragment = client.get(reverse("notices:list"), {"fragment": "1"})

    html = fragment.content.decode()
    assert "<html" not in html and html.count("<li") == 30 and "more 29" in html


@pytest.mark.django_db
def test_an_empty_list_says_what_will_show_there(client):
    client.force_login(UserFactory())

    assert "Nothing new" in client.get(reverse("notices:list")).content.decode()
