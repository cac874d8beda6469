import pytest
from django.db import IntegrityError, connection

from accounts.models import User


@pytest.mark.django_db
def test_email_is_stored_lower_case_and_unique_whatever_its_case():
    User.objects.create_user("Doreen@Example.ORG", "pw-123456789", display_name="Doreen")

    assert User.objects.get_by_natural_key("DOREEN@example.org").display_name == "Doreen"
    with pytest.raises(IntegrityError):
        User.objects.create_user("doreen@example.org", "pw-123456789", display_name="Other")


@pytest.mark.django_db
def test_the_database_refuses_a_mixed_case_address_written_around_the_model():
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, email, display_name, pronouns, bio, timezone,"
            " languages, notification_preference, digest_hour, quiet_hours_start, quiet_hours_end, is_staff,"
            " is_active, date_joined) VALUES ('', false, 'Mixed@Example.org', 'M', '', '', 'UTC', '{}',"
            " 'none', 8, '21:00', '08:00', false, true, now())"
        )


@pytest.mark.django_db
def test_new_people_get_sensible_defaults():
    person = User.objects.create_user("sam@example.org", "pw-123456789", display_name="Sam")

    assert person.notification_preference == User.NotificationPreference.EACH_MESSAGE
    assert person.digest_hour == 8
    assert (person.quiet_hours_start.hour, person.quiet_hours_end.hour) == (21, 8)
    assert str(person) == "Sam"
