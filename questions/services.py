"""Every write to the question bank: submissions, answers, votes, study progress, moderation.

Business rules live here, not in forms or serializers: lengths, states, ownership and rate
limits are checked by these functions and refused with llmprep.errors.DomainError subclasses
(translated, with a field name where one input is to blame)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_moderator
from llmprep.errors import InvalidTransition, InvalidValue, NotAllowed
from llmprep.indexing import content_changed
from llmprep.limits import limit_action
from llmprep.markdown import render_markdown
from llmprep.text import multiline, single_line
from questions import notifications
from questions.models import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Answer,
    AnswerRevision,
    Category,
    ModerationLog,
    Question,
    QuestionRevision,
    StudyProgress,
    Vote,
)

VOTE_VALUES = (1, -1, 0)

MODERATE_QUESTION = "questions.moderate_question"
MODERATE_ANSWER = "questions.moderate_answer"


def _log(*, actor, action, question=None, answer=None, reason="", detail="", notify=True):
    log = ModerationLog.objects.create(
        actor=actor,
        action=action,
        question=question,
        answer=answer,
        reason=reason,
        detail=detail[:255],
    )
    if notify:
        notifications.moderation_decision_enqueue(log=log)
    return log


def _require_permission(user, permission: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise NotAllowed(_("Only moderators can do this."))


def _bounded(value: str, *, field: str, minimum: int, maximum: int, too_short, too_long) -> str:
    if len(value) < minimum:
        raise InvalidValue(too_short % {"n": minimum}, field=field)
    if len(value) > maximum:
        raise InvalidValue(too_long % {"n": maximum}, field=field)
    return value


def _clean_title(title: str) -> str:
    return _bounded(
        single_line(title or ""),
        field="title",
        minimum=TITLE_MIN_LENGTH,
        maximum=TITLE_MAX_LENGTH,
        too_short=_("The question must be at least %(n)d characters long."),
        too_long=_("The question may be at most %(n)d characters long."),
    )


def _clean_details(body: str) -> str:
    return _bounded(
        multiline(body or ""),
        field="body",
        minimum=0,
        maximum=BODY_MAX_LENGTH,
        too_short="",
        too_long=_("The details may be at most %(n)d characters long."),
    )


def _clean_answer_body(body: str) -> str:
    return _bounded(
        multiline(body or ""),
        field="body",
        minimum=ANSWER_MIN_LENGTH,
        maximum=ANSWER_MAX_LENGTH,
        too_short=_("An answer must be at least %(n)d characters long."),
        too_long=_("An answer may be at most %(n)d characters long."),
    )


def _clean_reason(reason: str, *, required: bool = True) -> str:
    reason = multiline(reason or "")
    if required and not reason:
        raise InvalidValue(_("A reason is required."), field="reason")
    return _bounded(
        reason,
        field="reason",
        minimum=0,
        maximum=REASON_MAX_LENGTH,
        too_short="",
        too_long=_("The reason may be at most %(n)d characters long."),
    )


def author_is_trusted(user) -> bool:
    """Moderators and staff publish directly; members after enough approved answers."""
    if user.is_staff or user_is_moderator(user):
        return True
    approved = Answer.objects.filter(
        author=user, status__in=[Answer.Status.PUBLISHED, Answer.Status.HIDDEN]
    ).count()
    return approved >= settings.QUESTIONS_TRUSTED_AFTER_APPROVED_ANSWERS


# Member submissions ---------------------------------------------------------------------------


@transaction.atomic
def question_submit(*, author, category: Category, title: str, body: str = "") -> Question:
    title, body = _clean_title(title), _clean_details(body)
    if category is None or not Category.objects.filter(pk=category.pk).exists():
        raise InvalidValue(_("Choose a category."), field="category")
    limit_action("question_submit", user=author)
    publish_now = user_is_moderator(author)
    now = timezone.now()
    question = Question.objects.create(
        author=author,
        category=category,
        title=title,
        body=body,
        body_html=render_markdown(body),
        source=Question.Source.MEMBER,
        status=Question.Status.PUBLISHED if publish_now else Question.Status.PENDING,
        published_at=now if publish_now else None,
    )
    if publish_now:
        content_changed("question", question.pk)
    return question


@transaction.atomic
def answer_create(*, question: Question, author, body: str) -> Answer:
    body = _clean_answer_body(body)
    if question.status != Question.Status.PUBLISHED:
        raise InvalidTransition(_("This question is not open for answers."))
    limit_action("answer_create", user=author)
    publish_now = author_is_trusted(author)
    answer = Answer.objects.create(
        question=question,
        author=author,
        body=body,
        body_html=render_markdown(body),
        status=Answer.Status.PUBLISHED if publish_now else Answer.Status.PENDING,
        published_at=timezone.now() if publish_now else None,
    )
    if publish_now:
        Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
        content_changed("question", question.pk)
    return answer


@transaction.atomic
def answer_update(*, answer: Answer, editor, body: str) -> Answer:
    if answer.author_id != editor.pk:
        raise NotAllowed(_("Only the author can edit this answer."))
    if answer.status == Answer.Status.REJECTED:
        raise InvalidTransition(_("A rejected answer cannot be edited."))
    body = _clean_answer_body(body)
    if body == answer.body:
        return answer
    limit_action("answer_edit", user=editor)
    AnswerRevision.objects.create(answer=answer, body=answer.body, editor=editor)
    answer.body = body
    answer.body_html = render_markdown(body)
    answer.save(update_fields=["body", "body_html", "updated_at"])
    if answer.status == Answer.Status.PUBLISHED:
        content_changed("question", answer.question_id)
    return answer


def answer_preview(*, user, body: str) -> str:
    """The HTML an answer would have; counted against the preview rate limit, because rendering
    Markdown with math and code costs real CPU."""
    body = _bounded(
        multiline(body or ""),
        field="body",
        minimum=0,
        maximum=ANSWER_MAX_LENGTH,
        too_short="",
        too_long=_("An answer may be at most %(n)d characters long."),
    )
    limit_action("preview", user=user)
    return render_markdown(body)


@transaction.atomic
def question_edit(*, question: Question, editor, title: str, body: str, category: Category):
    """A moderator's correction of a question: the previous title and text are kept as a
    revision and the change is written to the moderation log."""
    _require_permission(editor, MODERATE_QUESTION)
    title, body = _clean_title(title), _clean_details(body)
    current = Question.objects.select_for_update().get(pk=question.pk)
    changed = [
        name
        for name, value in (("title", title), ("body", body), ("category", category.pk))
        if getattr(current, "category_id" if name == "category" else name) != value
    ]
    if not changed:
        return current
    QuestionRevision.objects.create(
        question=current,
        title=current.title,
        body=current.body,
        category_id=current.category_id,
        editor=editor,
    )
    Question.objects.filter(pk=current.pk).update(
        title=title,
        body=body,
        body_html=render_markdown(body),
        category=category,
        updated_at=timezone.now(),
    )
    _log(
        actor=editor,
        action=ModerationLog.Action.EDIT,
        question=current,
        detail=", ".join(changed),
        notify=False,
    )
    content_changed("question", current.pk)
    current.refresh_from_db()
    return current


# Votes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    score: int
    value: int  # the caller's vote after the change: 1, -1 or 0 (none)


@transaction.atomic
def vote_cast(*, user, answer_id: int, value: int) -> VoteResult:
    """Cast, change (value 1/-1) or withdraw (value 0) a vote. The answer row is locked so that
    concurrent votes on it are serialized and `score` always equals the sum of its votes."""
    if value not in VOTE_VALUES:
        raise InvalidValue(_("A vote is 1 (up), -1 (down) or 0 (withdraw)."), field="value")
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer_id)
    if answer.status != Answer.Status.PUBLISHED:
        raise InvalidTransition(_("Only published answers can be voted on."))
    if answer.author_id == user.pk:
        raise NotAllowed(_("You cannot vote on your own answer."))
    limit_action("vote", user=user)

    existing = Vote.objects.filter(user=user, answer=answer).first()
    old = existing.value if existing else 0
    if value == old:
        return VoteResult(score=answer.score, value=value)
    if value == 0:
        existing.delete()
    elif existing:
        Vote.objects.filter(pk=existing.pk).update(value=value, updated_at=timezone.now())
    else:
        Vote.objects.create(user=user, answer=answer, value=value)
    Answer.objects.filter(pk=answer.pk).update(score=F("score") + (value - old))
    return VoteResult(score=answer.score + (value - old), value=value)


# Study progress ------------------------------------------------------------------------------


@transaction.atomic
def progress_set(*, user, question: Question, status: str) -> StudyProgress | None:
    """Record where a member stands on a question; an empty status clears it."""
    if not status:
        StudyProgress.objects.filter(user=user, question=question).delete()
        return None
    if status not in StudyProgress.Status.values:
        raise InvalidValue(_("Unknown study status."), field="status")
    # Spaced review: the surer the member is, the longer until the question comes back.
    days = settings.QUESTIONS_REVIEW_AFTER_DAYS[status]
    progress, _created = StudyProgress.objects.update_or_create(
        user=user,
        question=question,
        defaults={"status": status, "review_due_at": timezone.now() + timedelta(days=days)},
    )
    return progress


# Moderation ----------------------------------------------------------------------------------


def _transition(model, pk, *, from_statuses, to_status, **extra) -> None:
    updated = model.objects.filter(pk=pk, status__in=from_statuses).update(
        status=to_status, **extra
    )
    if updated != 1:
        raise InvalidTransition()


@transaction.atomic
def question_approve(*, question: Question, moderator) -> Question:
    _require_permission(moderator, MODERATE_QUESTION)
    _transition(
        Question,
        question.pk,
        from_statuses=[Question.Status.PENDING],
        to_status=Question.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    _log(actor=moderator, action=ModerationLog.Action.APPROVE, question=question)
    content_changed("question", question.pk)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_reject(*, question: Question, moderator, reason: str) -> Question:
    _require_permission(moderator, MODERATE_QUESTION)
    reason = _clean_reason(reason)
    _transition(
        Question,
        question.pk,
        from_statuses=[Question.Status.PENDING, Question.Status.PUBLISHED],
        to_status=Question.Status.REJECTED,
    )
    _log(actor=moderator, action=ModerationLog.Action.REJECT, question=question, reason=reason)
    content_changed("question", question.pk)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_move(*, question: Question, category: Category, moderator, reason="") -> Question:
    _require_permission(moderator, MODERATE_QUESTION)
    reason = _clean_reason(reason, required=False)
    if question.category_id == category.pk:
        return question
    old = question.category
    Question.objects.filter(pk=question.pk).update(category=category)
    _log(
        actor=moderator,
        action=ModerationLog.Action.MOVE,
        question=question,
        reason=reason,
        detail=f"{old.name} → {category.name}",
    )
    content_changed("question", question.pk)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_merge(*, source: Question, target: Question, moderator, reason="") -> Question:
    """Fold a duplicate into another question: its answers move, it stops being listed."""
    _require_permission(moderator, MODERATE_QUESTION)
    reason = _clean_reason(reason, required=False)
    if source.pk == target.pk:
        raise InvalidValue(_("A question cannot be merged into itself."), field="target")
    if target.status != Question.Status.PUBLISHED:
        raise InvalidValue(_("Merge into a published question."), field="target")
    _transition(
        Question,
        source.pk,
        from_statuses=[Question.Status.PENDING, Question.Status.PUBLISHED],
        to_status=Question.Status.MERGED,
        merged_into=target,
    )
    moved = Answer.objects.filter(question=source)
    # The target keeps its own reference answer, if it has one.
    if Answer.objects.filter(question=target, is_endorsed=True).exists():
        moved.filter(is_endorsed=True).update(is_endorsed=False)
    moved.update(question=target)
    published = Answer.objects.filter(question=target, status=Answer.Status.PUBLISHED).count()
    Question.objects.filter(pk=target.pk).update(answer_count=published)
    Question.objects.filter(pk=source.pk).update(answer_count=0)
    _log(
        actor=moderator,
        action=ModerationLog.Action.MERGE,
        question=source,
        reason=reason,
        detail=f"→ #{target.pk} {target.title}",
    )
    content_changed("question", source.pk)
    content_changed("question", target.pk)
    target.refresh_from_db()
    return target


@transaction.atomic
def answer_approve(*, answer: Answer, moderator) -> Answer:
    _require_permission(moderator, MODERATE_ANSWER)
    _transition(
        Answer,
        answer.pk,
        from_statuses=[Answer.Status.PENDING],
        to_status=Answer.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") + 1)
    _log(
        actor=moderator,
        action=ModerationLog.Action.APPROVE,
        answer=answer,
        question=answer.question,
    )
    content_changed("question", answer.question_id)
    answer.refresh_from_db()
    return answer


@transaction.atomic
def answer_reject(*, answer: Answer, moderator, reason: str) -> Answer:
    _require_permission(moderator, MODERATE_ANSWER)
    reason = _clean_reason(reason)
    _transition(
        Answer, answer.pk, from_statuses=[Answer.Status.PENDING], to_status=Answer.Status.REJECTED
    )
    _log(
        actor=moderator,
        action=ModerationLog.Action.REJECT,
        answer=answer,
        question=answer.question,
        reason=reason,
    )
    content_changed("question", answer.question_id)
    answer.refresh_from_db()
    return answer


@transaction.atomic
def answer_hide(*, answer: Answer, moderator, reason: str) -> Answer:
    _require_permission(moderator, MODERATE_ANSWER)
    reason = _clean_reason(reason)
    _transition(
        Answer,
        answer.pk,
        from_statuses=[Answer.Status.PUBLISHED],
        to_status=Answer.Status.HIDDEN,
        is_endorsed=False,
    )
    Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
    _log(
        actor=moderator,
        action=ModerationLog.Action.HIDE,
        answer=answer,
        question=answer.question,
        reason=reason,
    )
    content_changed("question", answer.question_id)
    answer.refresh_from_db()
    return answer


@transaction.atomic
def answer_endorse(*, answer: Answer, moderator) -> Answer:
    """Mark the reference answer of its question (replacing any earlier one)."""
    _require_permission(moderator, MODERATE_ANSWER)
    if answer.status != Answer.Status.PUBLISHED:
        raise InvalidTransition(_("Only a published answer can be the reference answer."))
    Answer.objects.filter(question_id=answer.question_id, is_endorsed=True).exclude(
        pk=answer.pk
    ).update(is_endorsed=False)
    Answer.objects.filter(pk=answer.pk).update(is_endorsed=True)
    _log(
        actor=moderator,
        action=ModerationLog.Action.ENDORSE,
        answer=answer,
        question=answer.question,
    )
    content_changed("question", answer.question_id)
    answer.refresh_from_db()
    return answer
