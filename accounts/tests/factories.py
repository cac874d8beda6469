import time

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct horse battery staple"
# Staff made by the factory have an authenticator app with this secret (they cannot open the admin
# without one); `totp_code()` is what the app would show now.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


TOTP_MARGIN_SECONDS = 5


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The current code, taken at least TOTP_MARGIN_SECONDS before its period ends: allauth accepts only the
    current period (MFA_TOTP_TOLERANCE 0), so a code read at 29.9 s was refused by the time a browser had
    typed and sent it (a browser journey failed so on a fresh clone)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    timezone = "Europe/London"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff have a second factor, as the admin requires; `second_factor=False` makes one without."""
        if create and extracted is not False and (self.is_staff or self.is_superuser):
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(self, TOTP_SECRET)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """allauth requires a verified address before a person can sign in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
