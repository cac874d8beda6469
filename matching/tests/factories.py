import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from matching.models import Membership, Programme, Role, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda topic: topic.name.lower().replace(" ", "-"))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    description = "A mentoring programme."
    agreement = "Be kind. Keep conversations on the platform."
    # The model's defaults are the safe ones (young people, approval); tests that are about them say so.
    for_young_people = False
    enrolment_requires_approval = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, languages=["en"])
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.MENTEE
    status = Membership.Status.APPROVED
    languages = factory.LazyAttribute(lambda m: list(m.user.languages or ["en"]))
    agreement_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class MentorFactory(MembershipFactory):
    role = Role.MENTOR
    capacity = 1


class MenteeFactory(MembershipFactory):
    role = Role.MENTEE
