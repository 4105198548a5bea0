"""The question list's filter form as a new member sees it: "unanswered only" is a checkbox,
and categories are named by their path so that same-named sub-groups can be told apart."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _option_labels(html: str) -> list[str]:
    select = re.search(r'<select name="category"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_unanswered_only_is_an_unticked_checkbox_by_default(client):
    html = client.get(reverse("questions:list")).content.decode()

    checkbox = re.search(r'<input[^>]*name="unanswered"[^>]*>', html).group(0)
    assert 'type="checkbox"' in checkbox
    assert 'value="true"' in checkbox
    assert "checked" not in checkbox
    assert "未知" not in html
    assert "仅看未回答" in html


def test_ticking_unanswered_only_lists_the_unanswered_questions_and_stays_ticked(client):
    answered = QuestionFactory(title="LoRA 的秩怎么选？")
    AnswerFactory(question=answered)
    unanswered = QuestionFactory(title="QLoRA 的量化是怎么做的？")

    html = client.get(reverse("questions:list"), {"unanswered": "true"}).content.decode()

    checkbox = re.search(r'<input[^>]*name="unanswered"[^>]*>', html).group(0)
    assert "checked" in checkbox
    assert unanswered.title in html
    assert answered.title not in html


def test_without_the_checkbox_every_question_is_listed(client):
    answered = QuestionFactory(title="LoRA 的秩怎么选？")
    AnswerFactory(question=answered)
    unanswered = QuestionFactory(title="LoRA 的缩放系数 alpha 怎么设？")

    html = client.get(reverse("questions:list"), {"q": "LoRA"}).content.decode()

    assert answered.title in html
    assert unanswered.title in html


def test_categories_are_named_by_their_path_and_every_name_is_unambiguous(client):
    call_command("import_question_bank", verbosity=0)

    labels = _option_labels(client.get(reverse("questions:list")).content.decode())

    assert "LLMs Tokenizer 篇 › 对比篇" in labels
    assert "Layer Normalization 篇 › Layer normalization-方法篇 › Layer normalization 对比篇" in (
        labels
    )
    assert "第二部分：大模型一般知识点" in labels  # a top-level part is named alone
    assert "对比篇" not in labels
    named = [label for label in labels if not label.startswith("---")]
    assert len(named) == 42
    assert len(set(named)) == len(named)


def test_choosing_a_category_by_its_path_filters_the_list(client):
    call_command("import_question_bank", verbosity=0)
    html = client.get(reverse("questions:list")).content.decode()
    value = re.search(r'<option value="(\d+)">LLMs Tokenizer 篇 › 对比篇</option>', html).group(1)

    listed = client.get(reverse("questions:list"), {"category": value}).content.decode()

    assert "selected>LLMs Tokenizer 篇 › 对比篇</option>" in listed
    assert "2 个问题" in listed
    assert "举例 介绍一下 不同 大模型LLMs 的分词方式？" in listed
    # Not the other 对比篇 (under Layer Normalization).
    assert "LLMs 各模型分别用了 哪种 Layer normalization？" not in listed
