import datetime as dt

import factory
from django.utils import timezone

from digests.models import DigestDelivery, DigestPreference, Frequency
from questions.models import Question
from tests.factories import UserFactory
from tests.questions.factories import QuestionFactory

# A Monday: the default weekly slot is 09:00 Asia/Shanghai, i.e. 01:00 UTC.
SLOT = dt.datetime(2025, 6, 9, 1, 0, tzinfo=dt.UTC)
# The hourly run a few seconds after the slot.
NOW = SLOT + dt.timedelta(seconds=5)


class MemberFactory(UserFactory):
    """A member who joined well before SLOT (a first digest reaches back no further than the
    member's joining)."""

    date_joined = SLOT - dt.timedelta(days=60)


class NewQuestionFactory(QuestionFactory):
    """A member's question: news for a digest (questions imported from the bank are not)."""

    source = Question.Source.MEMBER


class DigestPreferenceFactory(factory.django.DjangoModelFactory):
    """A member whose weekly digest is due at SLOT."""

    class Meta:
        model = DigestPreference
        skip_postgeneration_save = True

    user = factory.SubFactory(MemberFactory)
    frequency = Frequency.WEEKLY
    next_due_at = SLOT

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)

    @factory.post_generation
    def job_tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.job_tags.set(extracted)


class DigestDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestDelivery

    user = factory.SubFactory(UserFactory)
    frequency = Frequency.WEEKLY
    period = "2025-W24"
    status = DigestDelivery.Status.SENT
    claimed_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
    window_start = SLOT - dt.timedelta(days=7)
    window_end = NOW
