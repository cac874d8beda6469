"""A confirmed list is sent by a real Celery worker, in batches, while the admin's progress page follows."""

import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching import invitations
from matching.models import Invitation, InvitationList, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP

from .factories import ProgrammeFactory


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_confirmed_list_and_the_progress_page_says_so(worker, client):
    programme = ProgrammeFactory(name="Riverside Sixth Form")
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
    rows = [{"line": n + 2, "name": f"Pupil {n}", "email": f"pupil{n}@school.org.uk", "role": "mentee", "answers": {}}
            for n in range(1100)]  # fmt: skip
    saved = InvitationList.objects.create(programme=programme, file_name="year12.csv", rows=rows,
                                          uploaded_by=coordinator)  # fmt: skip

    assert invitations.start_sending(saved)  # queued for the worker when this commits

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and InvitationList.objects.get(pk=saved.pk).sent_at is None:
        time.sleep(0.1)
    saved.refresh_from_db()
    assert saved.sent_at is not None, worker.log_path.read_text()
    assert saved.processed == saved.invited == 1100
    assert Invitation.objects.filter(programme=programme).count() == 1100
    client.force_login(coordinator)
    page = client.get(reverse("admin:matching_invitation_list_progress", args=[saved.pk])).content.decode()
    assert "1,100 of 1,100 rows sent" in page and "1,100 invitations sent" in page
