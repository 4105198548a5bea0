import pytest
from django.urls import reverse

from accounts.models import DISPLAY_NAME_MAX_LENGTH
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_page_shows_the_member_with_a_chinese_username(client):
    user = UserFactory(username="王小明", display_name="小明同学", bio="准备大模型面试中")

    response = client.get(f"/u/{user.username}/")

    assert response.status_code == 200
    assert "小明同学" in response.content.decode()
    assert "准备大模型面试中" in response.content.decode()
    assert user.get_absolute_url() == "/u/%E7%8E%8B%E5%B0%8F%E6%98%8E/"


def test_unknown_profile_is_404(client):
    assert client.get("/u/nobody-here/").status_code == 404


def test_inactive_member_profile_is_404(client):
    user = UserFactory(is_active=False)

    assert client.get(user.get_absolute_url()).status_code == 404


def test_settings_page_requires_log_in(client):
    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_member_edits_display_name_and_bio(client, member):
    client.force_login(member)

    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "算法小白", "bio": "RLHF 与 PEFT 方向", "language": "en"},
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.display_name == "算法小白"
    assert member.bio == "RLHF 与 PEFT 方向"
    assert member.language == "en"


def test_over_long_display_name_is_a_form_error(client, member):
    client.force_login(member)
    old = member.display_name

    response = client.post(
        reverse("accounts:settings"), {"display_name": "长" * (DISPLAY_NAME_MAX_LENGTH + 1)}
    )

    member.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["display_name"]
    assert member.display_name == old


def test_profile_lists_the_members_best_published_answers(client, django_assert_max_num_queries):
    from tests.questions.factories import AnswerFactory

    user = UserFactory(username="王小明")
    best = AnswerFactory(author=user, score=7, question__title="什么是 LoRA？")
    AnswerFactory(author=user, score=2)
    AnswerFactory(author=user, status="pending", question__title="待审核的回答所属问题")

    with django_assert_max_num_queries(4):
        response = client.get(user.get_absolute_url())

    html = response.content.decode()
    assert response.context["answers"][0] == best
    assert response.context["totals"] == {"count": 2, "score": 9}
    assert "什么是 LoRA？" in html
    assert "待审核的回答所属问题" not in html
