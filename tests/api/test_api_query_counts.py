"""List and detail endpoints run a fixed number of SQL queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.fixture(params=["anonymous", "token"])
def caller(request, api, member):
    if request.param == "anonymous":
        return api
    from tests.api.conftest import client_for

    client = client_for(member)
    client.get("/api/v1/me/")  # the token's first use is recorded once; not counted below
    return client


def test_question_list_queries_do_not_grow_with_the_page_size(caller):
    parent = CategoryFactory(name="大模型基础面")
    child = CategoryFactory(name="Transformer篇", parent=parent)
    QuestionFactory.create_batch(25, category=child)

    one = _queries(caller, "/api/v1/questions/", {"page_size": 1})
    many = _queries(caller, "/api/v1/questions/", {"page_size": 25})
    filtered = _queries(
        caller,
        "/api/v1/questions/",
        {"page_size": 25, "category": parent.pk, "search": "SFT", "ordering": "score"},
    )

    assert one == many
    assert many <= 3
    # the category itself, then the tree (categories, counts), and the search engine (the
    # index's size, then the ranking)
    assert filtered == many + 5


def test_category_list_queries_do_not_grow_with_the_tree(caller):
    for n in range(3):
        root = CategoryFactory(name=f"第{n}部分")
        for m in range(8):
            QuestionFactory(category=CategoryFactory(name=f"第{n}.{m}篇", parent=root))

    one = _queries(caller, "/api/v1/categories/", {"page_size": 1})
    many = _queries(caller, "/api/v1/categories/", {"page_size": 20})

    assert one == many <= 3


def test_answer_list_queries_do_not_grow_with_the_page_size(caller, member):
    question = QuestionFactory(title="什么是 LoRA？")
    for answer in AnswerFactory.create_batch(22, question=question):
        Vote.objects.create(user=member, answer=answer, value=1)
        Vote.objects.create(user=UserFactory(), answer=answer, value=-1)
    url = f"/api/v1/questions/{question.pk}/answers/"

    one = _queries(caller, url, {"page_size": 1})
    many = _queries(caller, url, {"page_size": 22})

    assert one == many
    assert many <= 6


def test_detail_queries_are_fixed(caller):
    question = QuestionFactory(title="什么是 LoRA？", author=UserFactory())
    answer = AnswerFactory(question=question)

    assert _queries(caller, f"/api/v1/questions/{question.pk}/") <= 3
    assert _queries(caller, f"/api/v1/answers/{answer.pk}/") <= 4


def test_exact_budget_for_an_anonymous_question_list(api, django_assert_num_queries):
    QuestionFactory.create_batch(5)

    # count, page
    with django_assert_num_queries(2):
        api.get("/api/v1/questions/")


def test_job_list_queries_do_not_grow_with_the_page_size(caller):
    from tests.jobs.factories import CompanyFactory, JobFactory, TagFactory

    tags = [TagFactory(name="RLHF"), TagFactory(name="推理")]
    for n in range(21):
        JobFactory(company=CompanyFactory(), published=True, tags=tags, title=f"算法工程师{n}")

    one = _queries(caller, "/api/v1/jobs/", {"page_size": 1})
    many = _queries(caller, "/api/v1/jobs/", {"page_size": 21})
    filtered = _queries(caller, "/api/v1/jobs/", {"page_size": 21, "tag": "rlhf", "search": "算法"})

    assert one == many == filtered
    assert many <= 4  # the token, the count, the page with companies, their tags


def test_recruiters_own_list_queries_do_not_grow(recruiter):
    from tests.api.conftest import client_for
    from tests.jobs.factories import CompanyFactory, JobFactory

    company = CompanyFactory(recruiters=[recruiter])
    JobFactory.create_batch(21, company=company)
    client = client_for(recruiter)
    client.get("/api/v1/me/")

    one = _queries(client, "/api/v1/jobs/mine/", {"page_size": 1})
    many = _queries(client, "/api/v1/jobs/mine/", {"page_size": 21})

    assert one == many
