import pytest
from django.urls import reverse

from questions.models import Answer, Question, StudyProgress, Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _vote_url(answer):
    return reverse("questions:answer_vote", args=[answer.pk])


# Browsing ------------------------------------------------------------------------------------


def test_list_shows_published_questions_only(client):
    shown = QuestionFactory(title="什么是 LoRA？")
    QuestionFactory(title="待审核的问题", status=Question.Status.PENDING)

    html = client.get(reverse("questions:list")).content.decode()

    assert shown.title in html
    assert "待审核的问题" not in html


def test_text_filter_finds_chinese_words(client):
    QuestionFactory(title="旋转位置编码 RoPE 思路是什么？")
    QuestionFactory(title="QLoRA 的特点是什么？")

    response = client.get(reverse("questions:list"), {"q": "位置编码"})

    assert [q.title for q in response.context["questions"]] == ["旋转位置编码 RoPE 思路是什么？"]


def test_category_filter_includes_subcategories(client):
    peft = CategoryFactory(name="PEFT 面")
    lora = CategoryFactory(name="LoRA篇", parent=peft)
    inside = QuestionFactory(category=lora, title="什么是 LoRA？")
    QuestionFactory(title="别的分类的问题")

    response = client.get(peft.get_absolute_url())

    assert [q.pk for q in response.context["questions"]] == [inside.pk]
    assert response.context["breadcrumbs"] == [peft]


def test_category_url_without_slug_redirects_to_the_canonical_one(client):
    category = CategoryFactory(name="位置编码篇")

    response = client.get(reverse("questions:category", args=[category.pk]))

    assert response.status_code == 301
    assert response["Location"] == category.get_absolute_url()
    assert "位置编码篇" in category.slug


def test_unanswered_filter_and_sorts(client):
    answered = QuestionFactory(title="有回答的问题")
    AnswerFactory(question=answered, score=5)
    unanswered = QuestionFactory(title="没有回答的问题")

    only_unanswered = client.get(reverse("questions:list"), {"unanswered": "true"})
    by_answers = client.get(reverse("questions:list"), {"sort": "answers"})
    by_score = client.get(reverse("questions:list"), {"sort": "score"})

    assert [q.pk for q in only_unanswered.context["questions"]] == [unanswered.pk]
    assert [q.pk for q in by_answers.context["questions"]] == [answered.pk, unanswered.pk]
    assert [q.pk for q in by_score.context["questions"]] == [answered.pk, unanswered.pk]


def test_bad_filter_values_are_reported_not_a_server_error(client):
    QuestionFactory()

    response = client.get(reverse("questions:list"), {"category": "abc", "sort": "drop table"})

    assert response.status_code == 200
    assert response.context["filter"].errors
    assert len(response.context["questions"]) == 1


def test_htmx_list_request_gets_only_the_results_partial(client):
    QuestionFactory(title="什么是 LoRA？")

    response = client.get(reverse("questions:list"), {"q": "LoRA"}, headers=HX)

    html = response.content.decode()
    assert "什么是 LoRA？" in html
    assert "<html" not in html
    assert 'class="filters"' not in html


def test_list_is_paginated(client):
    QuestionFactory.create_batch(25)

    first = client.get(reverse("questions:list"))
    second = client.get(reverse("questions:list"), {"page": 2})

    assert len(first.context["questions"]) == 20
    assert len(second.context["questions"]) == 5


def test_question_page_orders_answers_endorsed_then_score_then_oldest(client):
    question = QuestionFactory()
    low = AnswerFactory(question=question, score=1)
    high = AnswerFactory(question=question, score=7)
    tie_later = AnswerFactory(question=question, score=1)
    endorsed = AnswerFactory(question=question, score=0, is_endorsed=True)

    response = client.get(question.get_absolute_url())

    assert [a.pk for a in response.context["answers"]] == [
        endorsed.pk,
        high.pk,
        low.pk,
        tie_later.pk,
    ]


def test_question_url_without_slug_redirects_to_the_canonical_chinese_slug(client):
    question = QuestionFactory(title="什么是 LoRA？")

    response = client.get(reverse("questions:detail", args=[question.pk]))

    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()
    assert client.get(question.get_absolute_url()).status_code == 200


def test_merged_question_redirects_to_its_target(client):
    target = QuestionFactory()
    merged = QuestionFactory(status=Question.Status.MERGED, merged_into=target)

    response = client.get(reverse("questions:detail", args=[merged.pk]))

    assert response.status_code == 301  # the duplicate lives on at its target
    assert response["Location"] == target.get_absolute_url()


@pytest.mark.parametrize("who", ["anonymous", "other_member"])
def test_pending_question_is_404_to_those_who_may_not_see_it(client, who, member, other_member):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    if who == "other_member":
        client.force_login(other_member)

    assert client.get(question.get_absolute_url()).status_code == 404


def test_author_sees_own_pending_question_marked_awaiting_review(client, member):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    client.force_login(member)

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert "待审核" in response.content.decode()


def test_moderator_sees_pending_question(client, moderator, member):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    client.force_login(moderator)

    assert client.get(question.get_absolute_url()).status_code == 200


def test_hidden_answer_is_not_shown_to_the_public_but_to_moderators(client, moderator):
    answer = AnswerFactory(status=Answer.Status.HIDDEN, body="被隐藏的回答内容")

    public = client.get(answer.question.get_absolute_url()).content.decode()
    client.force_login(moderator)
    moderated = client.get(answer.question.get_absolute_url()).content.decode()

    assert "被隐藏的回答内容" not in public
    assert "被隐藏的回答内容" in moderated


# Answering -----------------------------------------------------------------------------------


def test_anonymous_answer_redirects_to_log_in(client):
    question = QuestionFactory()

    response = client.post(
        reverse("questions:answer_create", args=[question.pk]), {"body": "匿名回答内容很长"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Answer.objects.exists()


def test_unverified_member_cannot_answer(client):
    unverified = UserFactory(verified=False)
    question = QuestionFactory()
    client.force_login(unverified)

    response = client.post(
        reverse("questions:answer_create", args=[question.pk]), {"body": "未验证邮箱的回答"}
    )

    assert not Answer.objects.exists()
    assert response.status_code == 200
    assert "verif" in response.content.decode().lower() or "验证" in response.content.decode()


def test_member_answers_with_a_formula_and_code_and_sees_them_rendered(client, moderator):
    question = QuestionFactory(title="RMS Norm 的计算公式写一下？")
    client.force_login(moderator)  # publishes directly
    body = (
        "$$\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_{i=1}^{n} a_i^2}$$\n\n"
        "```python\nimport torch\nclass RMSNorm(torch.nn.Module):\n    pass\n```\n"
    )

    response = client.post(reverse("questions:answer_create", args=[question.pk]), {"body": body})
    page = client.get(question.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert "<msqrt>" in page and "<mfrac>" in page
    assert '<div class="highlight">' in page
    assert '<span class="kn">import</span>' in page


def test_new_members_answer_is_pending_and_visible_only_to_them(client, member, other_member):
    question = QuestionFactory()
    client.force_login(member)

    client.post(
        reverse("questions:answer_create", args=[question.pk]),
        {"body": "我的第一个回答：LoRA 冻结原权重，只训练低秩矩阵。"},
    )
    own_view = client.get(question.get_absolute_url()).content.decode()
    client.force_login(other_member)
    other_view = client.get(question.get_absolute_url()).content.decode()

    assert Answer.objects.get().status == Answer.Status.PENDING
    assert "我的第一个回答" in own_view
    assert "我的第一个回答" not in other_view


@pytest.mark.parametrize("body", ["", "   ", "短", "长" * 30_001])
def test_empty_short_or_over_long_answer_is_a_form_error(client, member, body):
    question = QuestionFactory()
    client.force_login(member)

    response = client.post(reverse("questions:answer_create", args=[question.pk]), {"body": body})

    assert response.status_code == 400
    assert response.context["answer_form"].errors["body"]
    assert not Answer.objects.exists()


def test_answering_a_pending_question_is_404(client, member, other_member):
    question = QuestionFactory(author=other_member, status=Question.Status.PENDING)
    client.force_login(member)

    response = client.post(
        reverse("questions:answer_create", args=[question.pk]), {"body": "回答待审核的问题"}
    )

    assert response.status_code == 404


def _elements(html):
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)" onclick="x()">x</a>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_script_handlers_and_dangerous_urls_never_reach_the_page(client, moderator, payload):
    question = QuestionFactory()
    client.force_login(moderator)

    client.post(reverse("questions:answer_create", args=[question.pk]), {"body": f"回答 {payload}"})
    html = Answer.objects.get().body_html
    page = client.get(question.get_absolute_url()).content.decode()

    assert "回答" in html  # the answer itself survives sanitizing
    for tag, attrs in _elements(html):
        assert tag not in {"script", "img", "iframe"}
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith(("javascript:", "data:"))
    assert "<script>alert" not in page


def test_invalid_latex_shows_as_code_not_an_error_page(client, moderator):
    question = QuestionFactory()
    client.force_login(moderator)

    response = client.post(
        reverse("questions:answer_create", args=[question.pk]), {"body": "公式 $\\frac{a$ 错了"}
    )
    page = client.get(question.get_absolute_url())

    assert response.status_code == 302
    assert page.status_code == 200
    assert 'class="math-error"' in page.content.decode()


def test_live_preview_renders_markdown_as_a_partial(client, member):
    client.force_login(member)

    response = client.post(
        reverse("questions:answer_preview"), {"body": "**加粗** $\\sqrt{d_k}$"}, headers=HX
    )

    html = response.content.decode()
    assert "<strong>加粗</strong>" in html
    assert "<msqrt>" in html
    assert "<html" not in html


def test_preview_needs_log_in_and_post(client):
    assert client.get(reverse("questions:answer_preview")).status_code in (302, 405)
    assert client.post(reverse("questions:answer_preview"), {"body": "x"}).status_code == 302


def test_author_edits_answer_and_a_revision_is_kept(client, member):
    answer = AnswerFactory(author=member, body="原来的回答内容")
    client.force_login(member)

    response = client.post(
        reverse("questions:answer_edit", args=[answer.pk]),
        {"body": "修改后的回答内容：增加了 QLoRA 的说明。"},
    )

    answer.refresh_from_db()
    assert response.status_code == 302
    assert answer.body == "修改后的回答内容：增加了 QLoRA 的说明。"
    assert answer.revisions.get().body == "原来的回答内容"


def test_editing_someone_elses_answer_is_404(client, member, other_member):
    answer = AnswerFactory(author=other_member)
    client.force_login(member)

    assert client.get(reverse("questions:answer_edit", args=[answer.pk])).status_code == 404
    response = client.post(reverse("questions:answer_edit", args=[answer.pk]), {"body": "改掉它"})
    assert response.status_code == 404


# Voting --------------------------------------------------------------------------------------


def test_vote_without_javascript_redirects_back_to_the_answer(client, member):
    answer = AnswerFactory()
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": "1"})

    answer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    assert answer.score == 1


def test_vote_with_htmx_returns_the_updated_widget(client, member):
    answer = AnswerFactory()
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": "-1"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="vote-{answer.pk}"' in html
    assert '<span class="score" aria-label="Score">-1</span>' in html or ">-1</span>" in html
    assert "<html" not in html


def test_changing_and_withdrawing_a_vote_through_the_page(client, member):
    answer = AnswerFactory()
    client.force_login(member)

    client.post(_vote_url(answer), {"value": "1"})
    client.post(_vote_url(answer), {"value": "-1"})
    after_change = Vote.objects.get().value
    client.post(_vote_url(answer), {"value": "0"})

    answer.refresh_from_db()
    assert after_change == -1
    assert not Vote.objects.exists()
    assert answer.score == 0


@pytest.mark.parametrize("value", ["2", "up", "", "1.0"])
def test_a_bad_vote_value_is_400(client, member, value):
    answer = AnswerFactory()
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": value})

    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_must_be_a_post(client, member):
    answer = AnswerFactory()
    client.force_login(member)

    # A GET (e.g. the return trip after logging in) goes to the answer and changes nothing.
    response = client.get(_vote_url(answer), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    assert client.put(_vote_url(answer)).status_code == 405
    assert not Vote.objects.exists()


def test_vote_needs_a_csrf_token(member):
    from django.test import Client

    answer = AnswerFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(_vote_url(answer), {"value": "1"})

    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_anonymous_vote_redirects_to_log_in(client):
    answer = AnswerFactory()

    response = client.post(_vote_url(answer), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_voting_on_own_answer_gives_a_clear_message(client, member):
    answer = AnswerFactory(author=member)
    client.force_login(member)

    plain = client.post(_vote_url(answer), {"value": "1"}, follow=True)
    htmx = client.post(_vote_url(answer), {"value": "1"}, headers=HX)

    assert "不能给自己的回答投票" in plain.content.decode()
    assert htmx.status_code == 403
    assert "不能给自己的回答投票" in htmx.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", [Answer.Status.PENDING, Answer.Status.HIDDEN])
def test_voting_on_a_pending_or_hidden_answer_is_404(client, member, status):
    answer = AnswerFactory(status=status)
    client.force_login(member)

    assert client.post(_vote_url(answer), {"value": "1"}).status_code == 404


# Asking and progress -------------------------------------------------------------------------


def test_member_asks_a_question_which_awaits_review(client, member):
    category = CategoryFactory(name="推理面")
    client.force_login(member)

    response = client.post(
        reverse("questions:ask"),
        {"title": "KV Cache 为什么能加速推理？", "category": category.pk, "body": ""},
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.status == Question.Status.PENDING
    assert question.author == member


@pytest.mark.parametrize(
    ("title", "category_ok"),
    [("", True), ("短", True), ("长" * 201, True), ("合理的问题标题？", False)],
)
def test_bad_question_submissions_are_form_errors(client, member, title, category_ok):
    category = CategoryFactory()
    client.force_login(member)

    response = client.post(
        reverse("questions:ask"),
        {"title": title, "category": category.pk if category_ok else 999_999},
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Question.objects.exists()


def test_anonymous_ask_redirects_to_log_in(client):
    response = client.get(reverse("questions:ask"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_progress_is_saved_with_htmx_and_shown_in_my_progress(client, member):
    question = QuestionFactory(title="什么是位置编码？")
    client.force_login(member)

    response = client.post(
        reverse("questions:progress", args=[question.pk]), {"status": "review"}, headers=HX
    )
    page = client.get(reverse("questions:my_progress")).content.decode()

    assert response.status_code == 200
    assert StudyProgress.objects.get(user=member).status == "review"
    assert "什么是位置编码？" in page


def test_bad_progress_status_is_400(client, member):
    question = QuestionFactory()
    client.force_login(member)

    response = client.post(reverse("questions:progress", args=[question.pk]), {"status": "x"})

    assert response.status_code == 400


def test_my_progress_lists_questions_due_for_review_first(client, member):
    from datetime import timedelta

    from django.utils import timezone

    question = QuestionFactory(title="什么是 LoRA？")
    StudyProgress.objects.create(
        user=member,
        question=question,
        status="review",
        review_due_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(member)

    response = client.get(reverse("questions:my_progress"))

    assert [item.question for item in response.context["due"]] == [question]
    assert "到期复习" in response.content.decode()
