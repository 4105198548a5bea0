"""A batch builds its digests with a constant number of queries, whatever its size."""

import datetime as dt

import pytest

from digests.building import digests_build, member_plan
from digests.mail import digest_email
from digests.selectors import digest_batch_members
from digests.services import digest_batch_send
from tests.digests.factories import NOW, DigestPreferenceFactory, NewQuestionFactory
from tests.jobs.factories import JobFactory, TagFactory
from tests.questions.factories import AnswerFactory, CategoryFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def content(db):
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    questions = [NewQuestionFactory(category=c, published_at=NOW - DAY) for c in (parent, child)]
    for question in questions:
        AnswerFactory(question=question, published_at=NOW - DAY)
    rlhf, rag = TagFactory(name="RLHF"), TagFactory(name="RAG")
    for tags in ([rlhf], [rag], [rlhf, rag]):
        JobFactory(status="published", published_at=NOW - DAY, expires_at=NOW + 20 * DAY, tags=tags)
    return parent, rlhf


def _members(count, content):
    parent, tag = content
    return [
        DigestPreferenceFactory(
            categories=[parent] if i % 2 else None, job_tags=[tag] if i % 3 else None
        ).user_id
        for i in range(count)
    ]


@pytest.mark.parametrize("size", [1, 20])
def test_building_a_batch_takes_the_same_queries_whatever_its_size(
    size, content, django_assert_num_queries
):
    user_ids = _members(size, content)

    # Members with their preferences, categories, job tags and last digest (3); the category
    # tree, questions, answers, jobs and their tags, the members' due reviews (6); rendering the
    # mails (0).
    with django_assert_num_queries(9):
        preferences = list(digest_batch_members(user_ids=user_ids, frequency="weekly", now=NOW))
        digests = digests_build([member_plan(p, now=NOW) for p in preferences])
        messages = [digest_email(digest) for digest in digests]

    assert len(messages) == size
    assert all(m.body and m.alternatives for m in messages)


@pytest.mark.parametrize("size", [1, 20])
def test_sending_a_batch_adds_only_one_update_per_mail(
    size, content, django_assert_num_queries, mailoutbox
):
    user_ids = _members(size, content)

    # Load (3), claim (3 in a transaction: +2 savepoint queries), build (6), one UPDATE per mail
    # sent, then move the members to their next slot (1).
    with django_assert_num_queries(15 + size):
        digest_batch_send(frequency="weekly", user_ids=user_ids, now=NOW)

    assert len(mailoutbox) == size
