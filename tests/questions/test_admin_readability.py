"""The admin as a Chinese-speaking moderator reads it: model and field names in Chinese without
collisions, one sidebar group per name, and answers shown rendered (as readers see them),
read-only, wherever a moderator decides on them."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import translation

from questions import services
from questions.models import Answer, ModerationLog, Question
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ANSWER = (
    "RMSNorm 去掉了均值项：\n\n$$\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}$$\n\n"
    "```python\nx = x / rms(x)\n```"
)


@pytest.fixture
def pending_answer(member):
    return AnswerFactory(author=member, status=Answer.Status.PENDING, body=ANSWER)


def _rendered_block(html: str) -> str:
    match = re.search(r'<div class="rendered-content">(.*?)</div>\s*</', html, re.S)
    assert match, "no rendered answer on the page"
    return match.group(1)


def test_the_answer_model_and_the_answer_count_have_different_chinese_names():
    with translation.override("zh-hans"):
        assert str(Answer._meta.verbose_name_plural) == "回答"
        assert str(Question._meta.get_field("answer_count").verbose_name) == "回答数"


def test_the_admin_sidebar_has_no_two_groups_of_the_same_name(admin_client):
    response = admin_client.get(reverse("admin:index"))

    names = [app["name"] for app in response.context["app_list"]]
    assert len(names) == len(set(names)), names
    assert {"用户", "账户"} <= set(names)
    answers = next(app for app in response.context["app_list"] if app["app_label"] == "questions")
    assert "回答" in [model["name"] for model in answers["models"]]
    assert "回答数" not in [model["name"] for model in answers["models"]]


def test_the_moderation_log_columns_and_filters_are_chinese(client, moderator):
    question = QuestionFactory(status=Question.Status.PENDING, source="member")
    services.question_reject(question=question, moderator=moderator, reason="与已有问题重复")
    client.force_login(moderator)

    response = client.get(reverse("admin:questions_moderationlog_changelist"))

    html = response.content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>.*?<a [^>]*>([^<]+)</a>', html, re.S)
    headers += re.findall(r'<th scope="col"[^>]*>\s*<div class="text"><span>([^<]+)</span>', html)
    assert {"创建时间", "操作人", "操作", "问题", "回答", "原因"} <= set(headers), headers
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert [str(title) for title in filters] == ["操作", "创建时间"]
    for english in ("Actor", "Action", "Notified at", "Created at", "Reason"):
        assert f">{english}<" not in html


@pytest.mark.parametrize("model", ["answer", "pendinganswer"])
def test_the_answer_page_shows_the_rendered_answer_not_its_html(
    client, moderator, pending_answer, model
):
    client.force_login(moderator)

    response = client.get(reverse(f"admin:questions_{model}_change", args=[pending_answer.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    rendered = _rendered_block(html)
    assert "<math" in rendered and "<msqrt>" in rendered
    assert 'class="highlight"' in rendered
    assert "Body html" not in html
    assert "&lt;math" not in html  # no escaped HTML source anywhere
    assert "回答（显示效果）" in html
    # Read-only: the moderator decides with the actions, the text stays the author's.
    assert "<textarea" not in html
    assert "css/math.css" in html and "css/pygments.css" in html
    for english in ("CREATED AT", "Created at", "Editor", ">Body<"):
        assert english not in html  # the revisions inline too


def test_the_reject_page_shows_each_selected_answer_rendered(client, moderator, pending_answer):
    other = AnswerFactory(status=Answer.Status.PENDING, body="LoRA 冻结原权重，只训练 $A$、$B$。")
    client.force_login(moderator)

    response = client.post(
        reverse("admin:questions_pendinganswer_changelist"),
        {"action": "reject", ACTION_CHECKBOX_NAME: [pending_answer.pk, other.pk]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<div class="rendered-content">') == 2
    assert "<msqrt>" in html
    assert "LoRA 冻结原权重，只训练" in html
    assert "&lt;math" not in html
    assert not ModerationLog.objects.exists()  # nothing decided yet


def test_the_question_page_shows_its_details_rendered(client, moderator):
    question = QuestionFactory(
        status=Question.Status.PENDING,
        source="member",
        body="公式：$\\frac{QK^T}{\\sqrt{d_k}}$",
        body_html='<p>公式：<math display="inline"><mfrac><mi>a</mi><mi>b</mi></mfrac></math></p>',
    )
    client.force_login(moderator)

    response = client.get(reverse("admin:questions_pendingquestion_change", args=[question.pk]))

    html = response.content.decode()
    assert "<mfrac>" in _rendered_block(html)
    assert "Body html" not in html
