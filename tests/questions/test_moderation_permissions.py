"""Deciding on content needs the moderate_* permission, not just the admin's view permission;
a moderator's edit of a member's question keeps the previous version and is logged."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from llmprep.errors import NotAllowed
from questions import services
from questions.models import Answer, ModerationLog, Question, QuestionRevision
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(db):
    """Staff who may look at the queues but hold no moderate_* permission."""
    user = UserFactory(is_staff=True)
    codenames = ["view_answer", "view_pendinganswer", "view_question", "change_question"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _changelist_actions(client, model):
    response = client.get(reverse(f"admin:questions_{model}_changelist"))
    assert response.status_code == 200
    form = response.context["action_form"]  # None when no action is available
    return {name for name, _label in form.fields["action"].choices} if form else set()


def test_viewing_a_queue_does_not_offer_its_decisions(client, viewer, moderator):
    AnswerFactory(status=Answer.Status.PENDING)
    client.force_login(viewer)
    assert not {"approve", "reject", "hide", "endorse"} & _changelist_actions(
        client, "pendinganswer"
    )

    client.force_login(moderator)
    assert {"approve", "reject", "hide", "endorse"} <= _changelist_actions(client, "pendinganswer")


def test_posting_a_decision_without_the_permission_changes_nothing(client, viewer):
    pending = AnswerFactory(status=Answer.Status.PENDING)
    client.force_login(viewer)

    client.post(
        reverse("admin:questions_pendinganswer_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [pending.pk]},
    )

    pending.refresh_from_db()
    assert pending.status == Answer.Status.PENDING
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.answer_approve, {}),
        (services.answer_reject, {"reason": "离题"}),
        (services.answer_hide, {"reason": "抄袭"}),
        (services.answer_endorse, {}),
    ],
)
def test_answer_decisions_are_refused_to_members_by_the_service(member, service, kwargs):
    answer = AnswerFactory(status=Answer.Status.PENDING)
    if service is services.answer_endorse:
        Answer.objects.filter(pk=answer.pk).update(status=Answer.Status.PUBLISHED)

    with pytest.raises(NotAllowed):
        service(answer=answer, moderator=member, **kwargs)
    assert not ModerationLog.objects.exists()


def test_question_decisions_are_refused_to_members_by_the_service(member):
    question = QuestionFactory(status=Question.Status.PENDING)

    with pytest.raises(NotAllowed):
        services.question_approve(question=question, moderator=member)
    with pytest.raises(NotAllowed):
        services.question_reject(question=question, moderator=member, reason="重复")
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING


def test_a_moderators_edit_keeps_a_revision_and_is_logged(client, moderator, member):
    old_category, new_category = CategoryFactory(name="LoRA篇"), CategoryFactory(name="QLoRA篇")
    question = QuestionFactory(
        author=member, category=old_category, title="LoRA 是啥", body="原来的说明"
    )
    client.force_login(moderator)

    response = client.post(
        reverse("admin:questions_question_change", args=[question.pk]),
        {
            "title": "什么是 LoRA？",
            "category": new_category.pk,
            "body": "改正后的说明：$W_0 + BA$",
            # The read-only inlines' management forms, as the page sends them.
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert (question.title, question.category, question.author) == (
        "什么是 LoRA？",
        new_category,
        member,
    )
    assert "<math" in question.body_html
    revision = QuestionRevision.objects.get(question=question)
    assert (revision.title, revision.body, revision.category) == (
        "LoRA 是啥",
        "原来的说明",
        old_category,
    )
    log = ModerationLog.objects.get(question=question)
    assert (log.action, log.actor) == (ModerationLog.Action.EDIT, moderator)
    assert log.detail == "title, body, category"


def test_the_admin_change_forms_cannot_reassign_authors_or_edit_answers(client, moderator):
    """Walk every admin change form of members' content: authorship is read-only everywhere,
    and an answer's text is the author's (moderators decide through the actions)."""
    question = QuestionFactory(author=UserFactory())
    answer = AnswerFactory(question=question)
    client.force_login(moderator)

    question_form = client.get(reverse("admin:questions_question_change", args=[question.pk]))
    answer_page = client.get(reverse("admin:questions_answer_change", args=[answer.pk]))

    assert "author" not in question_form.context["adminform"].form.fields
    assert answer_page.status_code == 200
    assert not answer_page.context["has_change_permission"]
