import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from questions.models import Answer, Question
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory


@pytest.fixture
def api():
    """An API client without credentials."""
    return APIClient()


def client_for(user) -> APIClient:
    """An API client sending a fresh personal token of `user`."""
    _token, secret = api_token_create(user=user, name="测试")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_member(member):
    return client_for(member)


@pytest.fixture
def as_other_member(other_member):
    return client_for(other_member)


@pytest.fixture
def as_moderator(moderator):
    return client_for(moderator)


@pytest.fixture
def as_recruiter(recruiter):
    return client_for(recruiter)


@pytest.fixture
def other_recruiter(db):
    """A recruiter of another company (月之暗面)."""
    from accounts.roles import RECRUITERS
    from accounts.services import user_grant_role
    from tests.jobs.factories import CompanyFactory

    user = UserFactory()
    user_grant_role(user=user, role=RECRUITERS)
    CompanyFactory(name="月之暗面", recruiters=[user])
    return user


@pytest.fixture
def as_other_recruiter(other_recruiter):
    return client_for(other_recruiter)


@pytest.fixture
def unverified_member(db):
    return UserFactory(verified=False)


@pytest.fixture
def bank(db, member, other_member):
    """A little seed-style bank: a PEFT section with a LoRA sub-group, answers, a pending
    question and answer by `member`."""
    peft = CategoryFactory(name="大模型（LLMs）参数高效微调(PEFT) 面")
    lora = CategoryFactory(name="LoRA篇", parent=peft)
    rope = CategoryFactory(name="位置编码篇")
    what_is_lora = QuestionFactory(category=lora, title="什么是 LoRA？")
    qlora = QuestionFactory(category=lora, title="QLoRA 的思路是怎么样的？")
    rope_q = QuestionFactory(category=rope, title="旋转位置编码 RoPE 思路是什么？")
    pending_q = QuestionFactory(
        category=lora,
        title="LoRA 的秩应该怎么选？",
        status=Question.Status.PENDING,
        source=Question.Source.MEMBER,
        author=member,
        published_at=None,
    )
    by_other = AnswerFactory(
        question=what_is_lora,
        author=other_member,
        body="LoRA 在冻结的权重旁加一个低秩分解 $W = W_0 + BA$，只训练 $A$ 和 $B$。",
    )
    by_member = AnswerFactory(question=what_is_lora, author=member)
    pending_a = AnswerFactory(
        question=what_is_lora, author=member, status=Answer.Status.PENDING, published_at=None
    )
    hidden_a = AnswerFactory(question=qlora, author=other_member, status=Answer.Status.HIDDEN)
    return {
        "peft": peft,
        "lora": lora,
        "rope": rope,
        "what_is_lora": what_is_lora,
        "qlora": qlora,
        "rope_q": rope_q,
        "pending_q": pending_q,
        "by_other": by_other,
        "by_member": by_member,
        "pending_a": pending_a,
        "hidden_a": hidden_a,
    }
