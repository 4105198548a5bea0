"""An administrator made with `manage.py createsuperuser` can post at once: their e-mail address
counts as verified (they never get a verification mail to click)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.services import user_mark_email_verified
from questions.models import Question
from tests.questions.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-42")
    call_command(
        "createsuperuser",
        interactive=False,
        username="管理员",
        email="admin@llmprep.example.org",
        verbosity=0,
    )
    return User.objects.get(username="管理员")


def test_createsuperuser_marks_the_email_verified_and_primary(superuser):
    address = EmailAddress.objects.get(user=superuser)

    assert superuser.is_superuser
    assert (address.email, address.verified, address.primary) == (
        "admin@llmprep.example.org",
        True,
        True,
    )


def test_a_new_superuser_can_ask_a_question_right_away(client, superuser):
    category = CategoryFactory(name="推理面")
    client.force_login(superuser)

    response = client.post(
        reverse("questions:ask"),
        {"title": "vLLM 的 PagedAttention 解决了什么问题？", "category": category.pk, "body": ""},
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()


def test_marking_verified_is_idempotent_and_keeps_one_primary_address(superuser):
    EmailAddress.objects.create(user=superuser, email="old@llmprep.example.org", primary=False)

    user_mark_email_verified(user=superuser)
    user_mark_email_verified(user=superuser)

    assert EmailAddress.objects.filter(user=superuser, primary=True).count() == 1
    assert EmailAddress.objects.get(user=superuser, primary=True).verified
