import pytest
from django.test import override_settings

from llmprep.errors import DomainError, InvalidTransition, InvalidValue, NotAllowed
from outbox.models import OutboxMail
from questions import services
from questions.models import Answer, AnswerRevision, ModerationLog, Question, Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _score_matches_votes(answer):
    answer.refresh_from_db()
    total = sum(Vote.objects.filter(answer=answer).values_list("value", flat=True))
    return answer.score == total


# Answers and trust ---------------------------------------------------------------------------


def test_a_new_members_first_answer_waits_for_review(member):
    question = QuestionFactory()

    answer = services.answer_create(question=question, author=member, body="LoRA 是低秩适配。")

    question.refresh_from_db()
    assert answer.status == Answer.Status.PENDING
    assert question.answer_count == 0


@override_settings(QUESTIONS_TRUSTED_AFTER_APPROVED_ANSWERS=2)
def test_after_two_approved_answers_a_member_publishes_directly(member, moderator):
    for _ in range(2):
        pending = services.answer_create(
            question=QuestionFactory(),
            author=member,
            body="一个足够长的回答：LoRA 只训练低秩矩阵。",
        )
        services.answer_approve(answer=pending, moderator=moderator)
    question = QuestionFactory()

    answer = services.answer_create(
        question=question, author=member, body="第三个回答直接发布：QLoRA 用 4-bit NF4 量化。"
    )

    question.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert question.answer_count == 1


def test_moderators_answers_publish_directly(moderator):
    answer = services.answer_create(
        question=QuestionFactory(), author=moderator, body="参考答案：$\\sqrt{d_k}$"
    )

    assert answer.status == Answer.Status.PUBLISHED
    assert "<msqrt>" in answer.body_html


def test_answering_a_pending_question_is_refused(member):
    question = QuestionFactory(status=Question.Status.PENDING)

    with pytest.raises(InvalidTransition):
        services.answer_create(
            question=question, author=member, body="不该被接受的回答：待审核的问题不能回答。"
        )
    assert not Answer.objects.exists()


def test_editing_an_answer_keeps_the_previous_text_as_a_revision(member):
    answer = AnswerFactory(author=member, body="旧的回答内容")

    services.answer_update(
        answer=answer, editor=member, body="新的回答：$x\\cdot\\sigma(\\beta x)$"
    )

    answer.refresh_from_db()
    assert answer.body.startswith("新的回答")
    assert "<math" in answer.body_html
    assert list(AnswerRevision.objects.values_list("body", flat=True)) == ["旧的回答内容"]


def test_only_the_author_edits_an_answer(member, other_member):
    answer = AnswerFactory(author=member)

    with pytest.raises(DomainError):
        services.answer_update(answer=answer, editor=other_member, body="篡改的内容")
    assert not AnswerRevision.objects.exists()


def test_member_question_waits_for_review(member):
    question = services.question_submit(
        author=member, category=CategoryFactory(), title="  RoPE 的外推  能力如何？ ", body=""
    )

    assert question.status == Question.Status.PENDING
    assert question.source == Question.Source.MEMBER
    assert question.title == "RoPE 的外推 能力如何？"  # whitespace runs become one space


# Votes ---------------------------------------------------------------------------------------


def test_voting_up_down_and_withdrawing_keeps_score_equal_to_the_votes(member):
    answer = AnswerFactory()

    up = services.vote_cast(user=member, answer_id=answer.pk, value=1)
    down = services.vote_cast(user=member, answer_id=answer.pk, value=-1)
    none = services.vote_cast(user=member, answer_id=answer.pk, value=0)

    assert (up.score, up.value) == (1, 1)
    assert (down.score, down.value) == (-1, -1)
    assert (none.score, none.value) == (0, 0)
    assert not Vote.objects.exists()
    assert _score_matches_votes(answer)


def test_voting_twice_changes_nothing_the_second_time(member):
    answer = AnswerFactory()

    services.vote_cast(user=member, answer_id=answer.pk, value=1)
    again = services.vote_cast(user=member, answer_id=answer.pk, value=1)

    assert again.score == 1
    assert Vote.objects.count() == 1
    assert _score_matches_votes(answer)


def test_votes_from_several_members_add_up(member, other_member):
    answer = AnswerFactory()
    third = UserFactory()

    services.vote_cast(user=member, answer_id=answer.pk, value=1)
    services.vote_cast(user=other_member, answer_id=answer.pk, value=1)
    result = services.vote_cast(user=third, answer_id=answer.pk, value=-1)

    assert result.score == 1
    assert _score_matches_votes(answer)


def test_voting_on_ones_own_answer_is_refused(member):
    answer = AnswerFactory(author=member)

    with pytest.raises((NotAllowed, InvalidTransition), match="自己的回答"):
        services.vote_cast(user=member, answer_id=answer.pk, value=1)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, -2, 5, "1"])
def test_a_vote_value_other_than_up_down_or_none_is_refused(member, value):
    answer = AnswerFactory()

    with pytest.raises(InvalidValue):
        services.vote_cast(user=member, answer_id=answer.pk, value=value)
    assert not Vote.objects.exists()


def test_voting_on_a_pending_answer_is_refused(member):
    answer = AnswerFactory(status=Answer.Status.PENDING)

    with pytest.raises((NotAllowed, InvalidTransition)):
        services.vote_cast(user=member, answer_id=answer.pk, value=1)


def test_the_database_refuses_a_second_vote_row_for_the_same_member(member):
    from django.db import IntegrityError, transaction

    answer = AnswerFactory()
    Vote.objects.create(user=member, answer=answer, value=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=member, answer=answer, value=-1)


def test_the_database_refuses_a_vote_value_of_two(member):
    from django.db import IntegrityError, transaction

    answer = AnswerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=member, answer=answer, value=2)


# Moderation ----------------------------------------------------------------------------------


def test_approving_a_question_publishes_logs_and_mails_the_author(
    member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    question = QuestionFactory(author=member, status=Question.Status.PENDING, source="member")

    with django_capture_on_commit_callbacks(execute=True):
        services.question_approve(question=question, moderator=moderator)

    question.refresh_from_db()
    log = ModerationLog.objects.get()
    assert question.status == Question.Status.PUBLISHED
    assert question.published_at is not None
    assert (log.actor, log.action, log.question) == (moderator, "approve", question)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert question.title[:10] in mailoutbox[0].subject
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT


def test_approving_twice_is_an_invalid_transition_and_logs_once(member, moderator):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    services.question_approve(question=question, moderator=moderator)

    with pytest.raises(InvalidTransition):
        services.question_approve(question=question, moderator=moderator)
    assert ModerationLog.objects.count() == 1


def test_rejecting_needs_a_reason_which_reaches_the_author(
    member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    question = QuestionFactory(author=member, status=Question.Status.PENDING)
    with pytest.raises(DomainError):
        services.question_reject(question=question, moderator=moderator, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        services.question_reject(question=question, moderator=moderator, reason="与已有题目重复")

    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED
    assert "与已有题目重复" in mailoutbox[0].body
    assert "与已有题目重复" in mailoutbox[0].alternatives[0][0]


def test_approving_an_answer_counts_it_on_the_question(member, moderator):
    answer = AnswerFactory(author=member, status=Answer.Status.PENDING)

    services.answer_approve(answer=answer, moderator=moderator)

    answer.question.refresh_from_db()
    assert answer.question.answer_count == 1


def test_hiding_an_answer_removes_it_from_the_count_and_unendorses_it(moderator):
    answer = AnswerFactory(is_endorsed=True)

    services.answer_hide(answer=answer, moderator=moderator, reason="包含错误信息")

    answer.refresh_from_db()
    answer.question.refresh_from_db()
    assert answer.status == Answer.Status.HIDDEN
    assert not answer.is_endorsed
    assert answer.question.answer_count == 0


def test_endorsing_replaces_the_previous_reference_answer(moderator):
    first = AnswerFactory(is_endorsed=True)
    second = AnswerFactory(question=first.question)

    services.answer_endorse(answer=second, moderator=moderator)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_endorsed, second.is_endorsed) == (False, True)


def test_rejecting_a_published_answer_is_an_invalid_transition(moderator):
    answer = AnswerFactory()

    with pytest.raises(InvalidTransition):
        services.answer_reject(answer=answer, moderator=moderator, reason="理由")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED


def test_moving_a_question_logs_both_categories(moderator):
    question = QuestionFactory()
    target = CategoryFactory(name="RMS Norm 篇")

    services.question_move(question=question, category=target, moderator=moderator)

    question.refresh_from_db()
    log = ModerationLog.objects.get()
    assert question.category == target
    assert log.action == "move"
    assert "RMS Norm 篇" in log.detail


def test_merging_a_duplicate_moves_its_answers_and_recounts(moderator):
    target = QuestionFactory()
    AnswerFactory(question=target, is_endorsed=True)
    duplicate = QuestionFactory()
    moved = [AnswerFactory(question=duplicate, is_endorsed=(i == 0)) for i in range(2)]

    services.question_merge(source=duplicate, target=target, moderator=moderator, reason="重复")

    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.status == Question.Status.MERGED
    assert duplicate.merged_into == target
    assert set(target.answers.values_list("pk", flat=True)) >= {a.pk for a in moved}
    assert target.answer_count == 3
    assert target.answers.filter(is_endorsed=True).count() == 1
    assert ModerationLog.objects.get().action == "merge"


def test_merging_into_itself_is_refused(moderator):
    question = QuestionFactory()

    with pytest.raises(DomainError):
        services.question_merge(source=question, target=question, moderator=moderator)


# Study progress ------------------------------------------------------------------------------


def test_progress_is_set_changed_and_cleared(member):
    question = QuestionFactory()

    services.progress_set(user=member, question=question, status="learning")
    services.progress_set(user=member, question=question, status="mastered")
    mastered = list(member.study_progress.values_list("status", flat=True))
    services.progress_set(user=member, question=question, status="")

    assert mastered == ["mastered"]
    assert not member.study_progress.exists()


def test_unknown_progress_status_is_refused(member):
    with pytest.raises(DomainError):
        services.progress_set(user=member, question=QuestionFactory(), status="forgotten")


def test_marking_progress_schedules_the_next_review_by_how_sure_the_member_is(member):
    from datetime import timedelta

    from django.utils import timezone

    question = QuestionFactory()
    before = timezone.now()

    review = services.progress_set(user=member, question=question, status="review")
    review_due = review.review_due_at
    mastered = services.progress_set(user=member, question=question, status="mastered")

    assert before + timedelta(days=1) <= review_due < before + timedelta(days=1, minutes=1)
    assert mastered.review_due_at >= before + timedelta(days=21)


def test_questions_due_for_review_are_the_members_own_whose_date_has_come(member, other_member):
    from datetime import timedelta

    from django.utils import timezone

    from questions.selectors import progress_due_for_review

    due = QuestionFactory(title="旋转位置编码 RoPE 有什么优点？")
    later = QuestionFactory(title="ALiBi 有什么优点？")
    services.progress_set(user=member, question=due, status="review")
    services.progress_set(user=member, question=later, status="mastered")
    services.progress_set(user=other_member, question=later, status="review")
    in_two_days = timezone.now() + timedelta(days=2)

    rows = list(progress_due_for_review(member, now=in_two_days))

    assert [row.question for row in rows] == [due]
