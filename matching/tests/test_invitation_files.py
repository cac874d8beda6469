"""Inviting a list from a CSV or XLSX file: a preview with each row's problems, then one send; hostile
files refused whole with a sentence, and nothing half-imported; reminders after 7 and 14 days."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from matching import invitation_files, invitations, tasks
from matching.models import Invitation, InvitationList, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP

from .factories import MenteeFactory, ProgrammeFactory

T0 = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)
UPLOAD = "admin:matching_invitation_from_file"
PROGRESS = "admin:matching_invitation_list_progress"


@pytest.fixture
def school(time_machine):
    time_machine.move_to(T0, tick=False)
    programme = ProgrammeFactory(name="Riverside Sixth Form", enrolment_open=False)
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
    return programme, coordinator


def csv_file(text: str, name="people.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="people.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, programme, file, role=""):
    return client.post(reverse(UPLOAD), {"programme": programme.pk, "role": role, "file": file})


@pytest.mark.django_db
def test_from_a_file_to_invitations_sent_and_never_twice(client, school, django_capture_on_commit_callbacks):
    programme, coordinator = school
    MenteeFactory(programme=programme, user__email="already@school.org.uk")
    invitations.invite(programme, "invited@school.org.uk", "mentee", by=coordinator)
    OutboundEmail.objects.all().delete()
    client.force_login(coordinator)
    assert "Invite from a file" in client.get(reverse("admin:matching_invitation_changelist")).content.decode()
    text = (
        "Name,Email,Role\n"
        "Ada Lovelace,ada@school.org.uk,mentee\n"
        "Ben Okoro,BEN@school.org.uk,Mentor\n"
        "\n"
        "Nobody,not-an-address,mentee\n"
        "Ada Again,ada@school.org.uk,mentee\n"
        "Already,already@school.org.uk,mentee\n"
        "Invited,invited@school.org.uk,mentee\n"
        '=HYPERLINK("http://evil"),cleo@school.org.uk,mentee\n'
        "Dee,dee@school.org.uk,teacher\n"
    )
    preview = upload(client, programme, csv_file(text))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 people will be invited to Riverside Sixth Form." in page
    assert "4 rows have problems and are left out." in page and "2 are already enrolled or invited." in page
    problems = [(5, "is not an e-mail address"), (6, "The same address is on line 2"),
                (9, "starts like a spreadsheet formula"), (10, "The role must be mentor or mentee")]  # fmt: skip
    for line, says in problems:
        assert f'data-problem-line="{line}"' in page and says in page
    assert not Invitation.objects.filter(email="ada@school.org.uk").exists()  # nothing sent before confirming

    saved = InvitationList.objects.get()
    with django_capture_on_commit_callbacks() as queued:
        sent = client.post(reverse(UPLOAD), {"list": saved.pk})
        client.post(reverse(UPLOAD), {"list": saved.pk})  # a double click
    assert sent.status_code == 302 and sent["Location"] == reverse(PROGRESS, args=[saved.pk])
    assert len(queued) == 1  # handed to a worker once
    assert "0 of 2 rows sent" in client.get(sent["Location"]).content.decode()
    tasks.send_invitation_list(saved.pk)  # what the worker runs
    tasks.send_invitation_list(saved.pk)  # and, delivered twice, sends nothing more
    done = client.get(sent["Location"]).content.decode()
    assert "2 of 2 rows sent" in done and "2 invitations sent to people for Riverside Sixth Form." in done
    assert 'http-equiv="refresh"' not in done
    made = Invitation.objects.filter(programme=programme).exclude(email="invited@school.org.uk")
    assert sorted(made.values_list("email", "name", "role")) == [
        ("ada@school.org.uk", "Ada Lovelace", "mentee"), ("ben@school.org.uk", "Ben Okoro", "mentor")
    ]  # fmt: skip
    assert OutboundEmail.objects.filter(template="emails/invitation").count() == 2
    delivery.deliver_due_emails()
    [ada_mail] = [m for m in mail.outbox if m.to == ["ada@school.org.uk"]]
    assert ada_mail.body.startswith("Hello Ada Lovelace,") and "Hello Ada Lovelace," in ada_mail.alternatives[0][0]

    # The same file again: everyone in it is enrolled or invited already.
    again = upload(client, programme, csv_file(text)).content.decode()
    assert "0 people will be invited" in again and "Send the invitations" not in again


@pytest.mark.django_db
def test_an_excel_file_reads_like_a_csv(client, school):
    programme, coordinator = school
    client.force_login(coordinator)
    file = xlsx_file([["email", "name"], ["ada@school.org.uk", "Ada"], [None, None], ["ben@school.org.uk", "Ben"]])
    page = upload(client, programme, file, role="mentee").content.decode()
    assert "2 people will be invited" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: csv_file("name,email\nAdé,ade@school.org.uk\n", encoding="latin-1"), "not in UTF-8"),
        (lambda: csv_file("email,name,Email\na@b.org,A,c@d.org\n"), "appears twice"),
        (lambda: csv_file("name,role\nAda,mentee\n"), "at least “email”"),
        (lambda: csv_file(""), "empty"),
        (lambda: csv_file("email\n" + "\n" * 1_000_000), "has nobody in it"),
        (lambda: csv_file("email\n" + "".join(f"p{n}@x.org\n" for n in range(10_001))), "more than 10,000"),
        (lambda: SimpleUploadedFile("big.csv", b"email\n" + b"a" * (50 * 1024 * 1024)), "larger than 5 MB"),
        (lambda: SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04 not really a zip"), "could not be read"),
        (lambda: SimpleUploadedFile("binary.csv", b"\x00\x01\x02email"), "does not look like a CSV"),
        (lambda: xlsx_file([["email"]] + [[None]] * 50_000 + [["late@x.org"]]), "has nobody in it"),
    ],
)
def test_a_hostile_file_is_refused_whole_with_a_sentence(client, school, make, says):
    programme, coordinator = school
    client.force_login(coordinator)
    response = upload(client, programme, make(), role="mentee")
    assert response.status_code == 200 and says in response.content.decode()
    assert not InvitationList.objects.exists() and not Invitation.objects.exists()


@pytest.mark.django_db
def test_another_programmes_coordinator_can_neither_upload_to_it_nor_send_its_list(client, school):
    programme, coordinator = school
    client.force_login(coordinator)
    upload(client, programme, csv_file("email\nada@school.org.uk\n"), role="mentee")
    saved = InvitationList.objects.get()
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=ProgrammeFactory(), user=other)
    client.force_login(other)
    refused = upload(client, programme, csv_file("email\nben@school.org.uk\n"), role="mentee")
    assert "Select a valid choice" in refused.content.decode()
    assert client.post(reverse(UPLOAD), {"list": saved.pk}).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_reminders_after_7_and_14_days_and_never_twice(school, time_machine):
    programme, coordinator = school
    invitations.invite_many(programme, [invitation_files.Row(2, "Ada", "ada@school.org.uk", "mentee")], coordinator)
    for day in range(1, 20):
        time_machine.move_to(T0 + datetime.timedelta(days=day), tick=False)
        invitations.send_reminders()
        invitations.send_reminders()
    keys = sorted(OutboundEmail.objects.filter(template="emails/invitation").values_list("dedupe_key", flat=True))
    assert len(keys) == 3 and keys[1].endswith(":reminder-14") and keys[2].endswith(":reminder-7")
    delivery.deliver_due_emails()
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert len(reminders) == 2
    assert "A reminder: your invitation is still open." in reminders[0].body
    assert "A reminder: your invitation is still open." in reminders[0].alternatives[0][0]


@pytest.mark.django_db
def test_five_thousand_rows_are_read_and_sent_in_a_few_queries(school, django_assert_max_num_queries):
    programme, coordinator = school
    text = "email,name,role\n" + "".join(f"p{n}@school.org.uk,Person {n},mentee\n" for n in range(5000))
    preview = invitation_files.read("people.csv", text.encode(), programme)
    # A few lookups, then the INSERTs in batches (invitations by 1,000, e-mails by 500): 21 for 5,000 rows.
    with django_assert_max_num_queries(25):
        made = invitations.invite_many(programme, preview.to_invite, coordinator)
    assert len(made) == 5000 and OutboundEmail.objects.filter(template="emails/invitation").count() == 5000


@pytest.mark.django_db
def test_answers_in_the_file_fill_the_invited_persons_enrolment_form(client, school):
    from matching.models import EnrolmentQuestion

    programme, coordinator = school
    question = EnrolmentQuestion.objects.create(
        programme=programme, text="Your background", kind="single", choices=["First in family", "Not the first"],
        rule="same", weight=20,
    )  # fmt: skip
    text = (
        "email,name,role,Your Background\n"
        "ada@school.org.uk,Ada,mentee,first in family\n"
        "ben@school.org.uk,Ben,mentee,Unheard of\n"
    )
    preview = invitation_files.read("people.csv", text.encode(), programme)
    [ada] = preview.to_invite
    assert ada.answers == {str(question.pk): "First in family"}
    [ben] = preview.with_problems
    assert "is not a choice of “Your background”" in ben.problems[0]

    [invitation] = invitations.invite_many(programme, preview.to_invite, coordinator)
    person = UserFactory(email="ada@school.org.uk")
    client.force_login(person)
    response = client.get(invitations.enrol_url(invitation))
    assert response.context["form"][f"question_{question.pk}"].value() == "First in family"
    assert re.search(r'<input[^>]*value="First in family"[^>]*checked', response.content.decode())


@pytest.mark.django_db
def test_a_long_list_shows_its_progress_and_can_be_finished_without_a_worker(client, school, time_machine):
    programme, coordinator = school
    client.force_login(coordinator)
    text = "email,name,role\n" + "".join(f"p{n}@school.org.uk,Person {n},mentee\n" for n in range(1200))
    upload(client, programme, csv_file(text))
    saved = InvitationList.objects.get()
    client.post(reverse(UPLOAD), {"list": saved.pk})  # no worker is running: nothing moves it on

    invitations.send_list(saved.pk, batches=1)  # a worker that stopped after one batch
    page = client.get(reverse(PROGRESS, args=[saved.pk])).content.decode()
    assert "500 of 1,200 rows sent" in page and 'max="1200" value="500"' in page
    assert 'http-equiv="refresh" content="1"' in page and "Send the rest now" not in page

    time_machine.shift(datetime.timedelta(seconds=invitations.WORKER_GRACE_SECONDS + 1))
    assert "Send the rest now" in client.get(reverse(PROGRESS, args=[saved.pk])).content.decode()
    finished = client.post(reverse(PROGRESS, args=[saved.pk])).content.decode()
    assert "1,200 of 1,200 rows sent" in finished and "1,200 invitations sent" in finished
    assert Invitation.objects.filter(programme=programme).count() == 1200


@pytest.mark.django_db
def test_the_beat_sweep_finishes_a_list_whose_worker_stopped(school, time_machine):
    programme, coordinator = school
    text = "email,name,role\n" + "".join(f"p{n}@school.org.uk,Person {n},mentee\n" for n in range(700))
    preview = invitation_files.read("people.csv", text.encode(), programme)
    rows = [row.kept() for row in preview.to_invite]
    saved = InvitationList.objects.create(programme=programme, file_name="p.csv", rows=rows, uploaded_by=coordinator)
    invitations.start_sending(saved)
    invitations.send_list(saved.pk, batches=1)

    assert invitations.resume_stalled_lists() == 0  # still within the worker's time
    time_machine.shift(invitations.STALLED_AFTER + datetime.timedelta(seconds=1))
    assert invitations.resume_stalled_lists() == 1
    assert invitations.resume_stalled_lists() == 0
    saved.refresh_from_db()
    assert saved.sent_at and saved.processed == saved.invited == 700
    assert Invitation.objects.filter(programme=programme).count() == 700


@pytest.mark.django_db
def test_another_programmes_coordinator_cannot_see_a_lists_progress(client, school):
    programme, coordinator = school
    saved = InvitationList.objects.create(programme=programme, file_name="p.csv", rows=[], uploaded_by=coordinator)
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=ProgrammeFactory(), user=other)
    client.force_login(other)
    assert client.get(reverse(PROGRESS, args=[saved.pk])).status_code == 404
    assert client.post(reverse(PROGRESS, args=[saved.pk])).status_code == 404
