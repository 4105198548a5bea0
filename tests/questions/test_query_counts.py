"""The question pages run a fixed number of SQL queries, whatever the number of answers, votes
and questions on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questions.models import Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _question_with(n_answers: int, voter):
    question = QuestionFactory()
    for answer in AnswerFactory.create_batch(n_answers, question=question):
        Vote.objects.create(user=voter, answer=answer, value=1)
        Vote.objects.create(user=UserFactory(), answer=answer, value=-1)
    return question


@pytest.mark.parametrize("logged_in", [False, True])
def test_question_page_query_count_does_not_grow_with_answers(client, member, logged_in):
    if logged_in:
        client.force_login(member)
    one = _question_with(1, member)
    fifty = _question_with(50, member)

    with_one = _queries(client, one.get_absolute_url())
    with_fifty = _queries(client, fifty.get_absolute_url())

    assert with_one == with_fifty
    assert with_fifty <= (9 if logged_in else 4)


def test_question_page_exact_query_budget_for_an_anonymous_visitor(
    client, django_assert_num_queries
):
    question = _question_with(3, UserFactory())

    # question, categories, category counts, answers with authors
    with django_assert_num_queries(4):
        client.get(question.get_absolute_url())


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_page_query_count_does_not_grow_with_page_size(client, member, logged_in):
    if logged_in:
        client.force_login(member)
    QuestionFactory.create_batch(2)
    small = _queries(client, reverse("questions:list"))
    QuestionFactory.create_batch(40)

    full = _queries(client, reverse("questions:list"))
    filtered = _queries(client, reverse("questions:list") + "?sort=score&q=SFT")

    assert small == full
    assert filtered == full + 2  # the search engine: the index's size, then the ranking
    assert full <= (8 if logged_in else 5)
